using CompromisosApi.Common;

namespace CompromisosApi.Features.Webhooks;

public static class WebhooksEndpoints
{
    public static IEndpointRouteBuilder MapWebhooks(this IEndpointRouteBuilder app)
    {
        var g = app.MapGrupo("/suscripciones", "Webhooks");
        g.MapListarSuscripciones();
        g.MapObtenerSuscripcion();
        g.MapCrearSuscripcion();
        g.MapEliminarSuscripcion();
        g.MapReactivarSuscripcion();
        return app;
    }
}
