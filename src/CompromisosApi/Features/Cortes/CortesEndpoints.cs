using CompromisosApi.Common;

namespace CompromisosApi.Features.Cortes;

public static class CortesEndpoints
{
    public static IEndpointRouteBuilder MapCortes(this IEndpointRouteBuilder app)
    {
        var g = app.MapGrupo("", "Calendario");
        g.MapListarCortes();
        g.MapObtenerCorteActual();
        g.MapListarPorCalificar();
        g.MapListarPendientes();
        return app;
    }
}
