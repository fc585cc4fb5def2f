namespace CompromisosApi.Features.Recomendaciones;

public static class RecomendacionesEndpoints
{
    public static IEndpointRouteBuilder MapRecomendaciones(this IEndpointRouteBuilder app)
    {
        app.MapGrupo("/programas", "Recomendaciones",
            g => g.MapListarRecomendaciones(), g => g.MapCrearRecomendacion());

        app.MapGrupo("/recomendaciones", "Recomendaciones",
            g => g.MapObtenerRecomendacion(), g => g.MapActualizarRecomendacion());
        return app;
    }
}
