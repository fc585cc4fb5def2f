namespace CompromisosApi.Features.Estadisticas;

public static class EstadisticasEndpoints
{
    public static IEndpointRouteBuilder MapEstadisticas(this IEndpointRouteBuilder app) =>
        app.MapGrupo("/estadisticas", "Estadísticas",
            g => g.MapObtenerCumplimiento(),
            g => g.MapObtenerOportunidad());
}
