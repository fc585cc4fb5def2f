namespace CompromisosApi.Features.Webhooks;

internal static class Suscripciones
{
    public static IQueryable<SuscripcionDto> Leer(CompromisosDbContext db) =>
        db.Suscripciones.AsNoTracking().Where(s => s.Estado != EstadoSuscripcion.Eliminada).Select(s => new SuscripcionDto
        {
            Id = s.Id,
            Url = s.Url,
            Tipos = s.Tipos,
            Estado = s.Estado,
            CreadaEn = s.CreadaEn,
            CreadaPor = s.CreadaPor,
            FallasConsecutivas = s.FallasConsecutivas,
            FallandoDesde = s.FallandoDesde,
            UltimoError = s.UltimoError,
            UltimaEntregaEn = s.UltimaEntregaEn,
            SuspendidaEn = s.SuspendidaEn,
            EntregasPendientes = db.Entregas.Count(e => e.SuscripcionId == s.Id && e.Estado == EstadoEntrega.Pendiente),
        });

    /// <summary>FOR NO KEY UPDATE: it does not block the relay's new deliveries (their foreign key takes KEY SHARE).</summary>
    public static async Task<Suscripcion> BloquearAsync(CompromisosDbContext db, int id, CancellationToken ct) =>
        (await db.Suscripciones.FromSql($"SELECT *, xmin FROM suscripciones WHERE id = {id} FOR NO KEY UPDATE").ToListAsync(ct))
        .SingleOrDefault(s => s.Estado != EstadoSuscripcion.Eliminada)
        ?? throw new NoEncontradoException("suscripción", id);
}
