namespace CompromisosApi.Features.Cortes;

/// <summary>The one definition of pending work, shared by GET /servicios/{id}/pendientes and the reminders.</summary>
public static class Pendientes
{
    /// <summary>
    /// Compromisos vencidos at the corte (due month on or before the corte's, and neither Cumplido nor Cancelado by the
    /// calificación in effect then: the record as it stood at the corte, so a past corte's list stays what it was) and
    /// without a reporte for that corte. At the current corte no calificación can be dated later, so it is today's state.
    /// With conocidoAl, as the record was known then: a reporte registered later had not arrived yet.
    /// </summary>
    public static IQueryable<CompromisoAlCorte> AlCorte(CompromisosDbContext db, DateOnly corte, DateTimeOffset? conocidoAl = null) =>
        db.Compromisos.AsNoTracking()
            .Where(c => !db.Reportes.Conocidos(conocidoAl).Any(r => r.CompromisoId == c.Id && r.Corte == corte))
            .ComoEstaban(db, new Momento(corte, conocidoAl))
            .Vencidos(corte, vencidos: true);
}
