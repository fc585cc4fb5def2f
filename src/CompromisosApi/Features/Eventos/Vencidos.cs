namespace CompromisosApi.Features.Eventos;

/// <summary>
/// Emits compromiso.vencido once per compromiso, when it becomes vencido at today's date in Chile (its due month is
/// on or before this month and it is neither Cumplido nor Cancelado: <see cref="Compromiso.EstaVencido(DateOnly)"/>).
/// <c>vencimientos_notificados</c> remembers who was told, in the same transaction as the event; the pass runs under an
/// advisory lock and its insert ignores conflicts, so two instances (or two passes) never emit twice. Candidates are
/// locked FOR SHARE SKIP LOCKED: a compromiso being qualified right now is left for the next pass, so the event never
/// follows a calificación that closed it.
/// </summary>
public sealed class DetectorDeVencidos(IServiceScopeFactory scopes, Calendario calendario, Bandeja bandeja, TimeProvider reloj, Metricas metricas) : ITareaProgramada
{
    private const int Lote = 500;

    public string Cuenta => "compromisos vencidos notificados";

    /// <summary>One pass; returns the number of events emitted (0 when another instance holds the pass).</summary>
    public async Task<int> EjecutarAsync(CancellationToken ct)
    {
        var total = 0;
        while (true)
        {
            var n = await LoteAsync(ct);
            total += n;
            if (n < Lote) return total;
        }
    }

    private async Task<int> LoteAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CompromisosDbContext>();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (!await Bloqueos.IntentarAsync(db, Bloqueos.Vencidos, ct)) return 0;

        var hoy = calendario.Hoy();
        var ahora = reloj.GetUtcNow();
        var ids = await db.Database.SqlQuery<int>($"""
            WITH candidatos AS (
                SELECT c.id FROM compromisos c
                WHERE vencido_al_corte(c.fecha_vencimiento, c.calificacion, {hoy})
                  AND NOT EXISTS (SELECT 1 FROM vencimientos_notificados v WHERE v.compromiso_id = c.id)
                ORDER BY c.id
                LIMIT {Lote}
                FOR SHARE OF c SKIP LOCKED)
            INSERT INTO vencimientos_notificados (compromiso_id, notificado_en)
            SELECT id, {ahora} FROM candidatos
            ON CONFLICT DO NOTHING
            RETURNING compromiso_id AS "Value"
            """).ToListAsync(ct);
        if (ids.Count > 0)
        {
            var compromisos = await db.Compromisos.AsNoTracking().Where(c => ids.Contains(c.Id)).OrderBy(c => c.Id).ToListAsync(ct);
            await bandeja.GuardarAsync(db, compromisos.Select(c => new EventoNuevo(
                TiposDeEvento.CompromisoVencido,
                $"compromisos/{c.Id}",
                c.ProgramaId,
                JsonDelRegistro.Serializar(new
                {
                    id = c.Id,
                    programaId = c.ProgramaId,
                    recomendacionId = c.RecomendacionId,
                    numero = c.Numero,
                    fechaVencimiento = Meses.Formatear(c.FechaVencimiento),
                    calificacion = c.Calificacion,
                    alCorte = hoy,
                }))).ToList(), ct);
            await db.SaveChangesAsync(ct);
        }

        await tx.CommitAsync(ct);
        metricas.Confirmado([], Enumerable.Repeat(TiposDeEvento.CompromisoVencido, ids.Count));
        return ids.Count;
    }
}
