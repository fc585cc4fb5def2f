using CompromisosApi.Common;

namespace CompromisosApi.Features.Programas;

public static class ProgramasEndpoints
{
    public static IEndpointRouteBuilder MapProgramas(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup($"{Http.Base}/programas").WithTags("Programas").ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        g.MapListarProgramas();
        g.MapObtenerPrograma();
        g.MapCrearPrograma();
        g.MapActualizarPrograma();
        g.MapEgresarPrograma();
        return app;
    }
}
