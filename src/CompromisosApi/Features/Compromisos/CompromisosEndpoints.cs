using CompromisosApi.Common;

namespace CompromisosApi.Features.Compromisos;

public static class CompromisosEndpoints
{
    public static IEndpointRouteBuilder MapCompromisos(this IEndpointRouteBuilder app)
    {
        var deRecomendacion = app.MapGrupo("/recomendaciones", "Compromisos");
        deRecomendacion.MapListarCompromisosDeRecomendacion();
        deRecomendacion.MapCrearCompromiso();

        var g = app.MapGrupo("/compromisos", "Compromisos");
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
