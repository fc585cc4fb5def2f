using CompromisosApi.Common;

namespace CompromisosApi.Features.Programas;

public static class ProgramasEndpoints
{
    public static IEndpointRouteBuilder MapProgramas(this IEndpointRouteBuilder app)
    {
        var g = app.MapGrupo("/programas", "Programas");
        g.MapListarProgramas();
        g.MapObtenerPrograma();
        g.MapCrearPrograma();
        g.MapActualizarPrograma();
        g.MapEgresarPrograma();
        return app;
    }
}
