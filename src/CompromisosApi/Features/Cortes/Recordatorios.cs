namespace CompromisosApi.Features.Cortes;

/// <summary>
/// Emits corte.recordatorio once per servicio and corte: from <c>Calendario:DiasAvisoRecordatorio</c> days before the
/// corte's reporting deadline up to the deadline itself (so a pass missed on the first day is made up later), to every
/// servicio with pending compromisos for that corte (<see cref="Pendientes.AlCorte"/>, the definition of
/// GET /servicios/{id}/pendientes). <c>recordatorios_enviados</c> remembers who was told, in the same transaction as
/// the event; the pass runs under an advisory lock and its insert ignores conflicts, so two instances (or two passes)
/// never emit twice. Run by <see cref="TareasProgramadas"/>.
/// </summary>
public sealed class RecordatoriosDeCorte(IServiceScopeFactory scopes, Calendario calendario, Bandeja bandeja, TimeProvider reloj, Metricas metricas) : ITareaProgramada
{
    public string Cuenta => "recordatorios de corte";

    /// <summary>One pass at today's date in Chile; returns the number of reminders emitted.</summary>
    public Task<int> EjecutarAsync(CancellationToken ct) => EjecutarAsync(calendario.Hoy(), ct);

    /// <summary>One pass as of the given date (0 when another instance holds the pass).</summary>
    public async Task<int> EjecutarAsync(DateOnly hoy, CancellationToken ct)
    {
        // The cortes whose deadline (corte + DiasPlazoReporte) falls from today to DiasAvisoRecordatorio days ahead.
        var cortes = calendario.Cortes(
            hoy.AddDays(-calendario.DiasPlazoReporte),
            hoy.AddDays(calendario.DiasAvisoRecordatorio - calendario.DiasPlazoReporte)).ToList();
        if (cortes.Count == 0) return 0;

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CompromisosDbContext>();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (!await Bloqueos.IntentarAsync(db, Bloqueos.Recordatorios, ct)) return 0;

        var ahora = reloj.GetUtcNow();
        var eventos = new List<EventoNuevo>();
        foreach (var corte in cortes)
        {
            var porServicio = await Pendientes.AlCorte(db, corte)
                .Join(db.Programas, x => x.Compromiso.ProgramaId, p => p.Id, (x, p) => p.ServicioId)
                .GroupBy(s => s)
                .Select(g => new { ServicioId = g.Key, Pendientes = g.Count() })
                .Where(x => !db.RecordatoriosEnviados.Any(r => r.ServicioId == x.ServicioId && r.Corte == corte))
                .OrderBy(x => x.ServicioId)
                .ToListAsync(ct);
            if (porServicio.Count == 0) continue;

            var servicios = porServicio.Select(x => x.ServicioId).ToArray();
            var nuevos = await db.Database.SqlQuery<int>($"""
                INSERT INTO recordatorios_enviados (servicio_id, corte, enviado_en)
                SELECT s, {corte}, {ahora} FROM unnest({servicios}) AS s
                ON CONFLICT DO NOTHING
                RETURNING servicio_id AS "Value"
                """).ToListAsync(ct);
            var plazo = calendario.PlazoReporte(corte);
            eventos.AddRange(porServicio.Where(x => nuevos.Contains(x.ServicioId)).Select(x => new EventoNuevo(
                TiposDeEvento.CorteRecordatorio,
                $"servicios/{x.ServicioId}/pendientes?corte={corte:yyyy-MM-dd}",
                null,
                JsonDelRegistro.Serializar(new { servicioId = x.ServicioId, corte, plazoReporte = plazo, pendientes = x.Pendientes }))));
        }

        if (eventos.Count > 0)
        {
            await bandeja.GuardarAsync(db, eventos, ct);
            await db.SaveChangesAsync(ct);
        }

        await tx.CommitAsync(ct);
        metricas.Confirmado([], eventos.Select(e => e.Tipo));
        return eventos.Count;
    }
}
