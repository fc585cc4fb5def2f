namespace CompromisosApi.Features.Estadisticas;

public static class EstadisticasEndpoints
{
    public static IEndpointRouteBuilder MapEstadisticas(this IEndpointRouteBuilder app)
    {
        var g = app.MapGrupo("/estadisticas", "Estadísticas");
        g.MapObtenerCumplimiento();
        return app;
    }
}
