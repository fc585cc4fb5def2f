namespace CompromisosApi.Features.Catalogo;

public static class CatalogoEndpoints
{
    public static IEndpointRouteBuilder MapCatalogo(this IEndpointRouteBuilder app)
    {
        app.MapGrupo("/ministerios", "Catálogo",
            g => g.MapListarMinisterios(), g => g.MapObtenerMinisterio(), g => g.MapCrearMinisterio(),
            g => g.MapActualizarMinisterio());

        app.MapGrupo("/servicios", "Catálogo",
            g => g.MapListarServicios(), g => g.MapObtenerServicio(), g => g.MapCrearServicio(),
            g => g.MapActualizarServicio());

        // On the application, not in a group: the contract lists it first among the catalog's operations, and without
        // the groups' 503.
        app.MapListarLineasEvaluacion();
        app.MapListarTiposCompromiso();

        return app;
    }
}
