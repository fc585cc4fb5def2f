namespace CompromisosApi.Features.Cortes;

public static class CortesEndpoints
{
    /// <summary>The scheduled corte.recordatorio pass.</summary>
    public static IServiceCollection AddCortes(this IServiceCollection services) => services.AddTareaProgramada<RecordatoriosDeCorte>();

    public static IEndpointRouteBuilder MapCortes(this IEndpointRouteBuilder app)
    {
        var g = app.MapGrupo("", "Calendario");
        g.MapListarCortes();
        g.MapObtenerCorteActual();
        g.MapListarPorCalificar();
        g.MapListarPendientes();
        g.MapCalificarCorte();
        g.MapRegistrarReportesDeCorte();
        return app;
    }
}
