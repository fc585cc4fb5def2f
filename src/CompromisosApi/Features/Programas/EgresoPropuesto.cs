namespace CompromisosApi.Features.Programas;

/// <summary>
/// Egreso readiness, derived at read time like vencido: a programa in follow-up whose compromisos are all Cumplido or
/// Cancelado shows the egreso it would take (dated, as <see cref="Programa.Egresar"/> would date it, at its latest
/// calificación). One grouped query for a whole page of programas.
/// </summary>
public static class EgresoPropuesto
{
    /// <summary>
    /// Per programa, its compromisos still open and its latest calificación: the egreso rule of
    /// <see cref="Programa.Egresar"/> (none open; the date defaults to the latest calificación), counted in SQL; with
    /// alCorte or conocidoAl, on the compromisos and calificaciones as they were then.
    /// </summary>
    public static IQueryable<EstadoDeEgreso> PorPrograma(CompromisosDbContext db, IReadOnlyCollection<int> ids, Momento momento = default)
    {
        var finales = CalificacionExtensions.Finales;
        return db.Compromisos.AsNoTracking()
            .Where(c => ids.Contains(c.ProgramaId))
            .ComoEstaban(db, momento)
            .GroupBy(x => x.Compromiso.ProgramaId)
            .Select(g => new EstadoDeEgreso
            {
                ProgramaId = g.Key,
                Abiertos = g.Count(x => !finales.Contains(x.Calificacion)),
                Fecha = g.Max(x => x.FechaCalificacion),
            });
    }

    // Member initialisation, not a constructor: EF can then filter on these properties after the projection.
    public sealed record EstadoDeEgreso
    {
        public int ProgramaId { get; init; }
        public int Abiertos { get; init; }
        public DateOnly? Fecha { get; init; }
    }

    public static async Task<ProgramaDto> CompletarAsync(CompromisosDbContext db, ProgramaDto programa, CancellationToken ct, Momento momento = default) =>
        (await CompletarAsync(db, [programa], ct, momento))[0];

    /// <summary>At a moment, the programas are already as they stood then (<see cref="ProgramaMapper.ToDto(ProgramaAlCorte, DateOnly?)"/>).</summary>
    public static async Task<IReadOnlyList<ProgramaDto>> CompletarAsync(
        CompromisosDbContext db, IReadOnlyList<ProgramaDto> programas, CancellationToken ct, Momento momento = default)
    {
        var ids = programas.Where(p => p.Estado == EstadoPrograma.EnSeguimiento).Select(p => p.Id).ToList();
        if (ids.Count == 0) return programas;
        var listos = await EgresoPropuesto.PorPrograma(db, ids, momento)
            .Where(x => x.Abiertos == 0)
            .ToDictionaryAsync(x => x.ProgramaId, x => x.Fecha, ct);
        return programas
            .Select(p => ids.Contains(p.Id) && listos.TryGetValue(p.Id, out var fecha) && fecha is { } f
                ? p with { EgresoPropuesto = new EgresoPropuestoDto { Fecha = f } }
                : p)
            .ToList();
    }
}

/// <summary>
/// Emits programa.egreso-propuesto, in the transaction of the change that made a programa egreso-ready (the readiness
/// <see cref="EgresoPropuesto"/> shows: in follow-up, every compromiso Cumplido or Cancelado), once.
/// <c>egresos_propuestos_notificados</c> remembers the programas told; a programa's row is removed when one of its
/// compromisos is open again (added, or a calificación corrected), so it is told again when it next becomes ready.
/// An egreso or a reopening alone does not reset it: a programa reopened with every compromiso still closed is not
/// told a second time.
/// <para>
/// The programas touched by the change are locked (a transaction-level advisory lock per programa, taken last, so it
/// can't wait in a cycle with the row locks commands hold: calificaciones hold their programa FOR SHARE) before their
/// compromisos are counted, so of two concurrent calificaciones that close a programa's last two compromisos, the one
/// that takes the lock second sees the other committed and emits the event.
/// </para>
/// The outbox (<see cref="Bandeja"/>) asks it after deriving the change's own events (registered in
/// <see cref="ProgramasEndpoints.AddProgramas"/>).
/// </summary>
public sealed class AvisoDeEgreso : IDerivadorDeEventos
{
    /// <summary>Key space of the per-programa advisory locks ("Egre"); the second key is the programa's id.</summary>
    private const int EspacioDeBloqueo = 0x45677265;

    public async Task<IReadOnlyList<EventoNuevo>> DerivarAsync(CompromisosDbContext db, IReadOnlyList<CambioRegistrado> cambios, DateTimeOffset ahora, CancellationToken ct)
    {
        var ids = cambios
            .Select(c => c.Entidad switch
            {
                nameof(Programa) => c.Despues.GetValueOrDefault(nameof(Programa.Id)) as int?,
                nameof(Compromiso) => c.Despues.GetValueOrDefault(nameof(Compromiso.ProgramaId)) as int?,
                _ => null,
            })
            .OfType<int>().Distinct().Order().ToArray();
        if (ids.Length == 0) return [];

        // In id order, so that two changes to the same programas never wait for each other in a cycle.
        foreach (var id in ids)
            await db.Database.SqlQuery<int>($"SELECT 1 AS \"Value\" FROM pg_advisory_xact_lock({EspacioDeBloqueo}, {id})").ToListAsync(ct);
        var enSeguimiento = await db.Programas.AsNoTracking()
            .Where(p => ids.Contains(p.Id) && p.Estado == EstadoPrograma.EnSeguimiento).Select(p => p.Id).ToListAsync(ct);
        var estados = await EgresoPropuesto.PorPrograma(db, ids)
            .ToListAsync(ct);

        // Open again (or never closed): forget any earlier notice.
        var abiertos = ids.Where(id => estados.All(e => e.ProgramaId != id) || estados.Any(e => e.ProgramaId == id && e.Abiertos > 0)).ToList();
        if (abiertos.Count > 0) await db.EgresosPropuestosNotificados.Where(x => abiertos.Contains(x.ProgramaId)).ExecuteDeleteAsync(ct);

        var listos = estados.Where(e => e.Abiertos == 0 && e.Fecha is not null && enSeguimiento.Contains(e.ProgramaId))
            .OrderBy(e => e.ProgramaId).ToList();
        if (listos.Count == 0) return [];
        var programas = listos.Select(e => e.ProgramaId).ToArray();
        var fechas = listos.Select(e => e.Fecha!.Value).ToArray();
        var nuevos = await db.Database.SqlQuery<int>($"""
            INSERT INTO egresos_propuestos_notificados (programa_id, fecha, notificado_en)
            SELECT p, f, {ahora} FROM unnest({programas}, {fechas}) AS x (p, f)
            ON CONFLICT DO NOTHING
            RETURNING programa_id AS "Value"
            """).ToListAsync(ct);
        return listos.Where(e => nuevos.Contains(e.ProgramaId))
            .Select(e => new EventoNuevo(TiposDeEvento.ProgramaEgresoPropuesto, $"programas/{e.ProgramaId}", e.ProgramaId,
                JsonDelRegistro.Serializar(new { programaId = e.ProgramaId, fecha = e.Fecha })))
            .ToList();
    }
}
