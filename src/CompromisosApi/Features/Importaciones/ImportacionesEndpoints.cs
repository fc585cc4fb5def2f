namespace CompromisosApi.Features.Importaciones;

public static class ImportacionesEndpoints
{
    public static IEndpointRouteBuilder MapImportaciones(this IEndpointRouteBuilder app)
    {
        var g = app.MapGrupo("/importaciones", "Importaciones");
        g.MapImportarRegistro();
        return app;
    }
}
