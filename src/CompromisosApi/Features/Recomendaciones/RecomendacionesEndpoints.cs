namespace CompromisosApi.Features.Recomendaciones;

public static class RecomendacionesEndpoints
{
    public static IEndpointRouteBuilder MapRecomendaciones(this IEndpointRouteBuilder app)
    {
        var delPrograma = app.MapGrupo("/programas", "Recomendaciones");
        delPrograma.MapListarRecomendaciones();
        delPrograma.MapCrearRecomendacion();

        var g = app.MapGrupo("/recomendaciones", "Recomendaciones");
        g.MapObtenerRecomendacion();
        g.MapActualizarRecomendacion();
        return app;
    }
}
