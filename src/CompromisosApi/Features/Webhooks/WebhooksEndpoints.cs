namespace CompromisosApi.Features.Webhooks;

public static class WebhooksEndpoints
{
    /// <summary>The relay that delivers the outbox to the subscriptions, and who may manage them.</summary>
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration config)
    {
        services.Configure<OpcionesWebhooks>(config.GetSection("Webhooks"));
        services.AddSingleton<PoliticaDeDestinos>();
        services.AddSingleton<RelayDeWebhooks>();
        services.AddHostedService<ServicioDeWebhooks>();
        services.AddAuthorizationBuilder().AddPolicy(PoliticaWebhooks.Nombre, p => p.RequireRole(Roles.Administrador));
        return services;
    }

    public static IEndpointRouteBuilder MapWebhooks(this IEndpointRouteBuilder app) =>
        app.MapGrupo("/suscripciones", "Webhooks",
            g => g.MapListarSuscripciones(), g => g.MapObtenerSuscripcion(), g => g.MapCrearSuscripcion(),
            g => g.MapEliminarSuscripcion(), g => g.MapReactivarSuscripcion());
}
