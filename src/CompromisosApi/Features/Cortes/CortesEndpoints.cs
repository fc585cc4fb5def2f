namespace CompromisosApi.Features.Cortes;

public static class CortesEndpoints
{
    /// <summary>The scheduled corte.recordatorio pass.</summary>
    public static IServiceCollection AddCortes(this IServiceCollection services) => services.AddTareaProgramada<RecordatoriosDeCorte>();

    public static IEndpointRouteBuilder MapCortes(this IEndpointRouteBuilder app) =>
        app.MapGrupo("", "Calendario",
            g => g.MapListarCortes(), g => g.MapObtenerCorteActual(), g => g.MapListarPorCalificar(),
            g => g.MapListarPendientes(), g => g.MapCalificarCorte(), g => g.MapRegistrarReportesDeCorte());
}
