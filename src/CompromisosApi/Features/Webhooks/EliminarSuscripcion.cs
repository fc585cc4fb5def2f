namespace CompromisosApi.Features.Webhooks;

public static class EliminarSuscripcionEndpoint
{
    public static RouteHandlerBuilder MapEliminarSuscripcion(this IEndpointRouteBuilder rutas) =>
        rutas.MapDelete("{id:int}", async (int id, IMediator m, CancellationToken ct) =>
            {
                await m.Send(new EliminarSuscripcion(id), ct);
                return TypedResults.NoContent();
            })
            .Documentar("EliminarSuscripcion", "Elimina una suscripción de webhooks",
                "Deja de entregar de inmediato (las entregas pendientes se descartan). Solo administradores.")
            .Errores(404)
            .Requiere(PoliticaWebhooks.Nombre);
}

public sealed record EliminarSuscripcion(int Id) : ICommand;

public sealed class EliminarSuscripcionHandler(CompromisosDbContext db, TimeProvider reloj) : ICommandHandler<EliminarSuscripcion>
{
    public async ValueTask<Unit> Handle(EliminarSuscripcion c, CancellationToken ct)
    {
        var s = await Suscripciones.BloquearAsync(db, c.Id, ct);
        // Kept (eliminada) for the audit trail; the relay stops delivering to it at once.
        s.Eliminar(reloj.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return Unit.Value;
    }
}
