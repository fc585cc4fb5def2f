namespace CompromisosApi.Features.Catalogo;

public static class CatalogoEndpoints
{
    public static IEndpointRouteBuilder MapCatalogo(this IEndpointRouteBuilder app)
    {
        var ministerios = app.MapGrupo("/ministerios", "Catálogo");
        ministerios.MapListarMinisterios();
        ministerios.MapObtenerMinisterio();
        ministerios.MapCrearMinisterio();
        ministerios.MapActualizarMinisterio();

        var servicios = app.MapGrupo("/servicios", "Catálogo");
        servicios.MapListarServicios();
        servicios.MapObtenerServicio();
        servicios.MapCrearServicio();
        servicios.MapActualizarServicio();

        // On the application, not in a group: the contract lists it first among the catalog's operations, and without
        // the groups' 503.
        app.MapListarLineasEvaluacion();

        return app;
    }
}
