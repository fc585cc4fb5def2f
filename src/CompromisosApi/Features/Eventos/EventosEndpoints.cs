using CompromisosApi.Common;
using CompromisosApi.Features.Webhooks;

namespace CompromisosApi.Features.Eventos;

public static class EventosEndpoints
{
    /// <summary>Outbox, event feed, webhooks, idempotency keys and the scheduled tasks.</summary>
    public static IServiceCollection AddEventos(this IServiceCollection services, IConfiguration config)
    {
        services.Configure<OpcionesIdempotencia>(config.GetSection("Idempotencia"));
        services.Configure<OpcionesEventos>(config.GetSection("Eventos"));
        services.Configure<OpcionesWebhooks>(config.GetSection("Webhooks"));
        services.Configure<OpcionesTareasProgramadas>(config.GetSection("TareasProgramadas"));
        services.AddSingleton<PoliticaDeDestinos>();
        services.AddSingleton<RelayDeWebhooks>();
        services.AddSingleton<DetectorDeVencidos>();
        services.AddSingleton<Features.Cortes.RecordatoriosDeCorte>();
        services.AddHostedService<ServicioDeWebhooks>();
        services.AddHostedService<TareasProgramadas>();
        services.AddAuthorizationBuilder().AddPolicy(PoliticaWebhooks.Nombre, p => p.RequireRole(Roles.Administrador));
        services.ConfigureSwaggerGen(o =>
        {
            o.OperationFilter<EncabezadoIdempotencia>();
            o.DocumentFilter<EncabezadoIdempotencia>();
        });
        return services;
    }

    public static IEndpointRouteBuilder MapEventos(this IEndpointRouteBuilder app)
    {
        app.MapListarEventos();
        return app;
    }
}
