namespace CompromisosApi.Features.Webhooks;

public static class ReactivarSuscripcionEndpoint
{
    public static RouteHandlerBuilder MapReactivarSuscripcion(this IEndpointRouteBuilder rutas) =>
        rutas.MapPost("{id:int}/reactivacion", async (int id, IMediator m, HttpContext http, CancellationToken ct) =>
                Http.ConEtag(http, await m.Send(new ReactivarSuscripcion(id), ct)))
            .ConVersion()
            .Documentar("ReactivarSuscripcion", "Reactiva una suscripción suspendida",
                "Vuelve a Activa y reanuda las entregas donde quedaron, en orden: nada de lo confirmado mientras estuvo suspendida " +
                "se pierde. 409 si no está suspendida. Solo administradores.")
            .Errores(400, 404, 409)
            .Requiere(PoliticaWebhooks.Nombre);
}

public sealed record ReactivarSuscripcion(int Id) : ICommand<Versionado<SuscripcionDto>>;

public sealed class ReactivarSuscripcionHandler(CompromisosDbContext db, TimeProvider reloj) : ICommandHandler<ReactivarSuscripcion, Versionado<SuscripcionDto>>
{
    public async ValueTask<Versionado<SuscripcionDto>> Handle(ReactivarSuscripcion c, CancellationToken ct)
    {
        var s = await Suscripciones.BloquearAsync(db, c.Id, ct);
        s.Reactivar();
        await db.SaveChangesAsync(ct);
        // What waited while it was suspended goes out now, in order.
        await db.Database.ExecuteSqlAsync($"UPDATE entregas SET proximo_intento_en = {reloj.GetUtcNow()} WHERE suscripcion_id = {s.Id} AND estado = 'Pendiente'", ct);
        return new(await Suscripciones.Leer(db).SingleAsync(x => x.Id == s.Id, ct), s.Version);
    }
}
