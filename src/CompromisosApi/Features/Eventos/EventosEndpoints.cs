using CompromisosApi.Common;
using CompromisosApi.Features.Webhooks;
using Mediator;

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
        services.AddScoped<AmbitoTransaccional>();
        services.AddSingleton<Bandeja>();
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
        // Public like every read (the events hold nothing the GETs don't show), closed with Autorizacion:LecturaPublica.
        app.MapGet($"{Http.Base}/eventos", async ([AsParameters] ListarEventos q, IMediator m, CancellationToken ct) => TypedResults.Ok(await m.Send(q, ct)))
            .WithTags("Eventos")
            .Documentar("ListarEventos", "Fuente de eventos del registro (CloudEvents)",
                "Cada cambio confirmado del registro deja un evento en la misma transacción (programa.creado, programa.actualizado, " +
                "programa.egresado, programa.reabierto, recomendacion.creada, recomendacion.actualizada, compromiso.creado, " +
                "compromiso.actualizado, compromiso.calificado, calificacion.corregida, compromiso.vencido, reporte.registrado, " +
                "medio.registrado, programa.egreso-propuesto; y corte.recordatorio, que avisa a un servicio con compromisos pendientes " +
                "de reportar Calendario:DiasAvisoRecordatorio días antes del plazo de un corte), como CloudEvents 1.0 en JSON. Se sirven en el orden en que se confirmaron, numerados sin huecos " +
                "(secuencia): un sistema que sondea guarda nextCursor y vuelve con desde=nextCursor; nunca se salta un evento, aunque " +
                "se confirmen escrituras concurrentes. Un evento de una transacción revertida no existe.")
            .Errores(400)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        app.MapSuscripciones();
        return app;
    }
}
