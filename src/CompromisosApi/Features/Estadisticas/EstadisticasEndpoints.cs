using CompromisosApi.Common;

namespace CompromisosApi.Features.Estadisticas;

public static class EstadisticasEndpoints
{
    public static IEndpointRouteBuilder MapEstadisticas(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup($"{Http.Base}/estadisticas").WithTags("Estadísticas").ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        g.MapObtenerCumplimiento();
        return app;
    }
}
