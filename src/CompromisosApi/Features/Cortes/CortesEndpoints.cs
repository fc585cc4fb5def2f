using CompromisosApi.Common;

namespace CompromisosApi.Features.Cortes;

public static class CortesEndpoints
{
    public static IEndpointRouteBuilder MapCortes(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup(Http.Base).WithTags("Calendario").ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        g.MapListarCortes();
        g.MapObtenerCorteActual();
        g.MapListarPorCalificar();
        g.MapListarPendientes();
        return app;
    }
}
