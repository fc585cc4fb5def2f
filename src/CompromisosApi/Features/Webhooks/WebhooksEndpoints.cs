using CompromisosApi.Common;

namespace CompromisosApi.Features.Webhooks;

public static class WebhooksEndpoints
{
    public static IEndpointRouteBuilder MapWebhooks(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup($"{Http.Base}/suscripciones").WithTags("Webhooks").ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        g.MapListarSuscripciones();
        g.MapObtenerSuscripcion();
        g.MapCrearSuscripcion();
        g.MapEliminarSuscripcion();
        g.MapReactivarSuscripcion();
        return app;
    }
}
