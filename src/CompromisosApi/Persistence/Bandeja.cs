namespace CompromisosApi.Persistence;

/// <summary>The event types, as CloudEvents <c>type</c> and as webhook subscriptions name them.</summary>
public static class TiposDeEvento
{
    public const string ProgramaCreado = "programa.creado";
    public const string ProgramaActualizado = "programa.actualizado";
    public const string ProgramaEgresado = "programa.egresado";
    public const string ProgramaReabierto = "programa.reabierto";
    public const string RecomendacionCreada = "recomendacion.creada";
    public const string RecomendacionActualizada = "recomendacion.actualizada";
    public const string CompromisoCreado = "compromiso.creado";
    public const string CompromisoActualizado = "compromiso.actualizado";
    public const string CompromisoCalificado = "compromiso.calificado";
    public const string CalificacionCorregida = "calificacion.corregida";
    public const string CompromisoVencido = "compromiso.vencido";
    public const string ReporteRegistrado = "reporte.registrado";
    public const string MedioRegistrado = "medio.registrado";
    public const string CorteRecordatorio = "corte.recordatorio";
    public const string ProgramaEgresoPropuesto = "programa.egreso-propuesto";

    public static readonly IReadOnlyList<string> Todos =
    [
        ProgramaCreado, ProgramaActualizado, ProgramaEgresado, ProgramaReabierto, RecomendacionCreada, RecomendacionActualizada,
        CompromisoCreado, CompromisoActualizado, CompromisoCalificado, CalificacionCorregida, CompromisoVencido,
        ReporteRegistrado, MedioRegistrado, CorteRecordatorio, ProgramaEgresoPropuesto,
    ];
}

/// <summary>An event about to be written: position, id and time are given when it is stored.</summary>
public sealed record EventoNuevo(string Tipo, string Sujeto, int? ProgramaId, string Datos);

/// <summary>
/// Events a feature derives from a command's changes beyond the one per saved row (Features/Programas: egreso
/// readiness). Registered by the feature; the outbox adds them, in the command's transaction, after the change's own.
/// </summary>
public interface IDerivadorDeEventos
{
    Task<IReadOnlyList<EventoNuevo>> DerivarAsync(CompromisosDbContext db, IReadOnlyList<CambioRegistrado> cambios, DateTimeOffset ahora, CancellationToken ct);
}

/// <summary>
/// The transactional outbox. Events are derived from the rows the unit of work saved (<c>db.Cambios</c>), not from the
/// command type: the import, which creates a whole record in one command, emits the same events as the same record
/// built through the single-purpose endpoints, and a new command that changes the record can't forget its event.
/// <para>
/// <b>Order.</b> A reader that pages by an identity or sequence column can skip an event: a transaction that took
/// id 7 may commit after one that took id 8, and a reader that saw 8 never goes back for 7. Here each writing
/// transaction, as its last statement before commit, adds its number of events to the single row of
/// <c>eventos_contador</c> and numbers its events from it. The row stays locked until the transaction ends, so the next
/// writer gets its numbers only after this one has committed (or rolled back, and its numbers are reused): positions
/// are dense and increase in commit order, and whenever a reader sees position p, every position below p is already
/// visible. GET /eventos and the webhook relay page by position with no look-back. The price is that writers that emit
/// events commit one at a time (only their last statement and the commit); the record is written by people, at tens of
/// writes a second at the cut-off peaks, far below what that allows.
/// </para>
/// Features feed it and never the reverse: the command's changes come from the unit of work, the events a feature
/// derives beyond them from its <see cref="IDerivadorDeEventos"/>, and scheduled events (compromiso.vencido,
/// corte.recordatorio) through <see cref="GuardarAsync"/>.
/// </summary>
public sealed class Bandeja(TimeProvider reloj, IEnumerable<IDerivadorDeEventos> derivadores)
{
    /// <summary>Derives the events of a command's changes and adds them to the unit of work (saved by the caller).</summary>
    public async Task<IReadOnlyList<EventoNuevo>> AgregarAsync(CompromisosDbContext db, IReadOnlyList<CambioRegistrado> cambios, CancellationToken ct)
    {
        var eventos = await DerivarAsync(db, cambios, ct);
        // After the change's own events: the calificación that closed the last compromiso, then the readiness it caused.
        var ahora = reloj.GetUtcNow();
        foreach (var derivador in derivadores) eventos.AddRange(await derivador.DerivarAsync(db, cambios, ahora, ct));
        await GuardarAsync(db, eventos, ct);
        return eventos;
    }

    /// <summary>
    /// Numbers the events from the counter and adds them to the unit of work. Call it last, just before the final
    /// SaveChanges and the commit: the counter row stays locked until the transaction ends.
    /// </summary>
    public async Task GuardarAsync(CompromisosDbContext db, IReadOnlyList<EventoNuevo> eventos, CancellationToken ct)
    {
        if (eventos.Count == 0) return;
        if (db.Database.CurrentTransaction is null) throw new InvalidOperationException("Los eventos se escriben en la transacción de su cambio.");

        long cantidad = eventos.Count;
        // An upsert, so the counter needs no seeding (and an emptied test database starts again at 1).
        var ultima = (await db.Database.SqlQuery<long>($"""
            INSERT INTO eventos_contador (id, ultima) VALUES (1, {cantidad})
            ON CONFLICT (id) DO UPDATE SET ultima = eventos_contador.ultima + EXCLUDED.ultima
            RETURNING ultima AS "Value"
            """).ToListAsync(ct)).Single();
        var ahora = reloj.GetUtcNow();
        var posicion = ultima - cantidad;
        var traceparent = Observabilidad.TraceparentActual();
        foreach (var e in eventos)
        {
            db.Eventos.Add(new EventoSaliente(++posicion, Guid.CreateVersion7(ahora), e.Tipo, e.Sujeto, e.ProgramaId, ahora, e.Datos, traceparent));
        }
    }

    private sealed record Derivado(int Rango, long Id, int Orden, string Tipo, string Sujeto, int? ProgramaId, int? CompromisoId, Dictionary<string, object?> Datos);

    /// <summary>
    /// One event per saved row of the record (catalog rows have none). Within one transaction the events go parent
    /// first (programa, recomendaciones, compromisos, then what hangs from them, egreso last), so that a consumer that
    /// applies them in order never meets a child before its parent.
    /// </summary>
    internal static async Task<List<EventoNuevo>> DerivarAsync(CompromisosDbContext db, IReadOnlyList<CambioRegistrado> cambios, CancellationToken ct)
    {
        var derivados = new List<Derivado>();
        for (var i = 0; i < cambios.Count; i++)
        {
            var c = cambios[i];
            var d = c.Despues;
            // Only the record's entities have an event (and an Id); anything else saved in the command has none.
            var id = d.TryGetValue("Id", out var valor) && valor is int or long ? Convert.ToInt64(valor, System.Globalization.CultureInfo.InvariantCulture) : 0;
            switch (c.Entidad)
            {
                case nameof(Programa):
                    var (rango, tipo) = c.Creado ? (1, TiposDeEvento.ProgramaCreado)
                        : Equals(c.Antes?[nameof(Programa.Estado)], d[nameof(Programa.Estado)]) ? (2, TiposDeEvento.ProgramaActualizado)
                        : Equals(d[nameof(Programa.Estado)], EstadoPrograma.Egresado) ? (10, TiposDeEvento.ProgramaEgresado)
                        : (0, TiposDeEvento.ProgramaReabierto);
                    derivados.Add(new(rango, id, i, tipo, $"programas/{id}", (int)id, null, d));
                    break;
                case nameof(Recomendacion):
                    derivados.Add(new(c.Creado ? 3 : 4, id, i, c.Creado ? TiposDeEvento.RecomendacionCreada : TiposDeEvento.RecomendacionActualizada,
                        $"recomendaciones/{id}", (int)d[nameof(Recomendacion.ProgramaId)]!, null, d));
                    break;
                case nameof(Compromiso):
                    // A calificación changes its compromiso too; that change is told by the calificación's own event.
                    if (!c.Creado && !CambioMasQueLaCalificacion(c)) break;
                    var datos = new Dictionary<string, object?>(d)
                    {
                        [nameof(Compromiso.FechaVencimiento)] = Meses.Formatear((DateOnly)d[nameof(Compromiso.FechaVencimiento)]!),
                    };
                    datos.Remove(nameof(Compromiso.Secuencia));
                    derivados.Add(new(c.Creado ? 5 : 6, id, i, c.Creado ? TiposDeEvento.CompromisoCreado : TiposDeEvento.CompromisoActualizado,
                        $"compromisos/{id}", (int)d[nameof(Compromiso.ProgramaId)]!, (int)id, datos));
                    break;
                case nameof(ReporteCumplimiento) when c.Creado:
                    var cr = (int)d[nameof(ReporteCumplimiento.CompromisoId)]!;
                    derivados.Add(new(7, id, i, TiposDeEvento.ReporteRegistrado, $"compromisos/{cr}/reportes/{id}", null, cr, d));
                    break;
                case nameof(MedioVerificacion) when c.Creado:
                    var cm = (int)d[nameof(MedioVerificacion.CompromisoId)]!;
                    derivados.Add(new(8, id, i, TiposDeEvento.MedioRegistrado, $"compromisos/{cm}/medios-verificacion/{id}", null, cm, d));
                    break;
                case nameof(RegistroCalificacion) when c.Creado:
                    var cc = (int)d[nameof(RegistroCalificacion.CompromisoId)]!;
                    var corregida = d[nameof(RegistroCalificacion.MotivoCorreccion)] is not null;
                    derivados.Add(new(9, id, i, corregida ? TiposDeEvento.CalificacionCorregida : TiposDeEvento.CompromisoCalificado,
                        $"compromisos/{cc}/calificaciones/{id}", null, cc, d));
                    break;
            }
        }

        // Calificaciones, reportes and medios name their compromiso; the event carries its programa.
        var programas = cambios.Where(c => c.Entidad == nameof(Compromiso))
            .GroupBy(c => (int)c.Despues["Id"]!)
            .ToDictionary(g => g.Key, g => (int)g.First().Despues[nameof(Compromiso.ProgramaId)]!);
        var faltan = derivados.Where(x => x.ProgramaId is null && x.CompromisoId is { } cid && !programas.ContainsKey(cid))
            .Select(x => x.CompromisoId!.Value).Distinct().ToList();
        if (faltan.Count > 0)
        {
            foreach (var par in await db.Compromisos.AsNoTracking().Where(c => faltan.Contains(c.Id)).Select(c => new { c.Id, c.ProgramaId }).ToListAsync(ct))
            {
                programas[par.Id] = par.ProgramaId;
            }
        }

        return derivados
            .OrderBy(x => x.Rango).ThenBy(x => x.Id).ThenBy(x => x.Orden)
            .Select(x => new EventoNuevo(x.Tipo, x.Sujeto, x.ProgramaId ?? (programas.TryGetValue(x.CompromisoId!.Value, out var p) ? p : null),
                // Binary columns (file contents, if a row ever holds them) are not event data.
                JsonDelRegistro.Serializar(x.Datos.Where(kv => kv.Value is not byte[]).ToDictionary())))
            .ToList();
    }

    private static bool CambioMasQueLaCalificacion(CambioRegistrado c) =>
        c.Antes is null || c.Despues.Any(kv => kv.Key is not (nameof(Compromiso.Calificacion) or nameof(Compromiso.FechaCalificacion))
            && !Equals(c.Antes.GetValueOrDefault(kv.Key), kv.Value));
}
