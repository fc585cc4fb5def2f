using CompromisosApi.Common;

namespace CompromisosApi.Features.Importaciones;

public static class ImportacionesEndpoints
{
    public static IEndpointRouteBuilder MapImportaciones(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup($"{Http.Base}/importaciones").WithTags("Importaciones").ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        g.MapImportarRegistro();
        return app;
    }
}
