using CompromisosApi.Common;

namespace CompromisosApi.Features.Recomendaciones;

public static class RecomendacionesEndpoints
{
    public static IEndpointRouteBuilder MapRecomendaciones(this IEndpointRouteBuilder app)
    {
        var delPrograma = app.MapGroup($"{Http.Base}/programas").WithTags("Recomendaciones").ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        delPrograma.MapListarRecomendaciones();
        delPrograma.MapCrearRecomendacion();

        var g = app.MapGroup($"{Http.Base}/recomendaciones").WithTags("Recomendaciones").ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        g.MapObtenerRecomendacion();
        g.MapActualizarRecomendacion();
        return app;
    }
}
