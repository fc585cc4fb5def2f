namespace CompromisosApi.Features.Importaciones;

public static class ImportacionesEndpoints
{
    public static IEndpointRouteBuilder MapImportaciones(this IEndpointRouteBuilder app) =>
        app.MapGrupo("/importaciones", "Importaciones",
            g => g.MapImportarRegistro());
}
