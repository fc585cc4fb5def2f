namespace CompromisosApi.Features.Eventos;

public static class EventosEndpoints
{
    /// <summary>The event feed's CloudEvents source and the scheduled compromiso.vencido pass.</summary>
    public static IServiceCollection AddEventos(this IServiceCollection services, IConfiguration config)
    {
        services.Configure<OpcionesEventos>(config.GetSection("Eventos"));
        return services.AddTareaProgramada<DetectorDeVencidos>();
    }

    public static IEndpointRouteBuilder MapEventos(this IEndpointRouteBuilder app)
    {
        app.MapListarEventos();
        return app;
    }
}
