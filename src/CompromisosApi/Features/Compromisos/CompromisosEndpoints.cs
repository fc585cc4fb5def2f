using CompromisosApi.Common;

namespace CompromisosApi.Features.Compromisos;

public static class CompromisosEndpoints
{
    public static IEndpointRouteBuilder MapCompromisos(this IEndpointRouteBuilder app)
    {
        var deRecomendacion = app.MapGroup($"{Http.Base}/recomendaciones").WithTags("Compromisos").ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        deRecomendacion.MapListarCompromisosDeRecomendacion();
        deRecomendacion.MapCrearCompromiso();

        var g = app.MapGroup($"{Http.Base}/compromisos").WithTags("Compromisos").ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        g.MapListarCompromisos();
        g.MapObtenerCompromiso();
        g.MapActualizarCompromiso();

        g.MapListarCalificaciones();
        g.MapObtenerCalificacion();
        g.MapCalificarCompromiso();

        g.MapListarReportes();
        g.MapObtenerReporte();
        g.MapRegistrarReporte();

        g.MapListarMediosVerificacion();
        g.MapObtenerMedioVerificacion();
        g.MapRegistrarMedioVerificacion();
        g.MapDescargarMedioVerificacion();
        return app;
    }
}
