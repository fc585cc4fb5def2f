
namespace CompromisosApi.Features.Compromisos;

/// <summary>
/// Configuration section Cuotas: how much a servicio's reporting can accumulate. The defaults leave room for real
/// use many times over (the seed's longest cumplimiento is under 10,000 characters, a programa has about 9 compromisos,
/// evidence files are a few MB) while bounding what one token can pile into the record, the search index and every
/// public informe.
/// </summary>
public sealed class OpcionesCuotas
{
    public const string Seccion = "Cuotas";

    /// <summary>Reportes of one compromiso for one corte (corrections of a report are new reportes).</summary>
    public int ReportesPorCompromisoYCorte { get; set; } = 10;

    /// <summary>UTF-8 bytes of the reportes of all of a servicio's compromisos for one corte (10 MB).</summary>
    public long BytesDeTextoPorServicioYCorte { get; set; } = 10L * 1024 * 1024;

    /// <summary>Medios de verificación (with a file or only a title) of one compromiso, over all its cortes.</summary>
    public int MediosPorCompromiso { get; set; } = 30;

    /// <summary>Bytes of the evidence files of all of a servicio's compromisos for one corte (2 GB).</summary>
    public long BytesDeArchivosPorServicioYCorte { get; set; } = 2L * 1024 * 1024 * 1024;
}

/// <summary>
/// Checked inside the write's transaction, after its row locks, under a transaction-level advisory lock per servicio
/// and corte: two writes of one servicio for the same corte count one after the other, so a quota is never overrun
/// by concurrent requests. (The lock is taken last, after the programa and compromiso locks, so it adds no cycle.)
/// </summary>
public sealed class Cuotas(CompromisosDbContext db, IOptions<OpcionesCuotas> opciones)
{
    // The quota a 422 names (its cuota member), one name each: the contract lists them (MiembrosDeProblema).
    public const string NombreReportesPorCompromisoYCorte = "reportesPorCompromisoYCorte";
    public const string NombreBytesDeTextoPorServicioYCorte = "bytesDeTextoPorServicioYCorte";
    public const string NombreMediosPorCompromiso = "mediosPorCompromiso";
    public const string NombreBytesDeArchivosPorServicioYCorte = "bytesDeArchivosPorServicioYCorte";

    public static IReadOnlyList<string> Nombres { get; } =
    [
        NombreReportesPorCompromisoYCorte, NombreBytesDeTextoPorServicioYCorte, NombreMediosPorCompromiso, NombreBytesDeArchivosPorServicioYCorte,
    ];


    public async Task AsegurarReporteAsync(int servicioId, int compromisoId, DateOnly corte, string texto, CancellationToken ct)
    {
        if ((await VerificarReportesAsync(corte, [new ReporteACuota(servicioId, compromisoId, texto)], ct))[0] is { } excedida) throw excedida;
    }

    /// <summary>
    /// Several reportes for one corte (a round), each checked as if those before it that fit had been registered one by
    /// one: the refusal each would get (null: it fits). One lock and one sum per servicio, in id order, and one count for all.
    /// </summary>
    public async Task<IReadOnlyList<ProblemaHttpException?>> VerificarReportesAsync(DateOnly corte, IReadOnlyList<ReporteACuota> reportes, CancellationToken ct)
    {
        var o = opciones.Value;
        var compromisoIds = reportes.Select(r => r.CompromisoId).Distinct().ToArray();
        var porServicio = new Dictionary<int, long>();
        // In id order: two rounds of overlapping servicios never wait for each other in a cycle.
        foreach (var servicioId in reportes.Select(r => r.ServicioId).Distinct().Order())
        {
            await BloquearAsync(servicioId, corte, ct);
            porServicio[servicioId] = await db.Database.SqlQuery<long>($"""
                SELECT coalesce(sum(octet_length(r.texto)), 0)::bigint AS "Value"
                FROM reportes_cumplimiento r JOIN compromisos c ON c.id = r.compromiso_id JOIN programas p ON p.id = c.programa_id
                WHERE p.servicio_id = {servicioId} AND r.corte = {corte}
                """).SingleAsync(ct);
        }

        var porCompromiso = await db.Reportes.Where(r => compromisoIds.Contains(r.CompromisoId) && r.Corte == corte)
            .GroupBy(r => r.CompromisoId).Select(g => new { g.Key, Cantidad = g.Count() })
            .ToDictionaryAsync(x => x.Key, x => x.Cantidad, ct);

        var resultado = new List<ProblemaHttpException?>();
        foreach (var r in reportes)
        {
            var reportesPrevios = porCompromiso.GetValueOrDefault(r.CompromisoId);
            var bytesPrevios = porServicio.GetValueOrDefault(r.ServicioId);
            var bytes = System.Text.Encoding.UTF8.GetByteCount(r.Texto);
            var excedida =
                Excedida(NombreReportesPorCompromisoYCorte, reportesPrevios + 1, o.ReportesPorCompromisoYCorte,
                    $"El compromiso ya tiene {reportesPrevios} reportes para el corte {corte:dd-MM-yyyy}; el máximo es {o.ReportesPorCompromisoYCorte}.")
                ?? Excedida(NombreBytesDeTextoPorServicioYCorte, bytesPrevios + bytes, o.BytesDeTextoPorServicioYCorte,
                    $"Los reportes del servicio para el corte {corte:dd-MM-yyyy} ya suman {bytesPrevios} bytes de texto; el máximo es {o.BytesDeTextoPorServicioYCorte}.");
            if (excedida is null)
            {
                porCompromiso[r.CompromisoId] = reportesPrevios + 1;
                porServicio[r.ServicioId] = bytesPrevios + bytes;
            }

            resultado.Add(excedida);
        }

        return resultado;
    }

    /// <summary>
    /// One more medio for the compromiso, of <paramref name="tamano"/> bytes (0: only a title); with
    /// <paramref name="bloquear"/> false, the check made before a file is stored, outside the registration's transaction.
    /// </summary>
    public async Task AsegurarMedioAsync(int servicioId, int compromisoId, DateOnly corte, long tamano, bool bloquear, CancellationToken ct)
    {
        var o = opciones.Value;
        if (bloquear) await BloquearAsync(servicioId, corte, ct);
        var medios = await db.MediosVerificacion.CountAsync(m => m.CompromisoId == compromisoId, ct);
        Verificar(NombreMediosPorCompromiso, medios + 1, o.MediosPorCompromiso,
            $"El compromiso ya tiene {medios} medios de verificación; el máximo es {o.MediosPorCompromiso}.");
        if (tamano == 0 && bloquear) return;

        var bytes = await (
            from m in db.MediosVerificacion
            join c in db.Compromisos on m.CompromisoId equals c.Id
            join p in db.Programas on c.ProgramaId equals p.Id
            where p.ServicioId == servicioId && m.Corte == corte
            select m.Tamano ?? 0).SumAsync(ct);
        Verificar(NombreBytesDeArchivosPorServicioYCorte, bytes + tamano, o.BytesDeArchivosPorServicioYCorte,
            $"Los archivos de evidencia del servicio para el corte {corte:dd-MM-yyyy} ya suman {bytes} bytes; el máximo es {o.BytesDeArchivosPorServicioYCorte}.");
    }

    private Task BloquearAsync(int servicioId, DateOnly corte, CancellationToken ct) =>
        db.Database.SqlQuery<int>(
            $"SELECT 1 AS \"Value\" FROM pg_advisory_xact_lock(hashtextextended('cuota/' || {servicioId} || '/' || {corte.DayNumber}, 0))")
            .ToListAsync(ct);

    private static void Verificar(string cuota, long conEsta, long limite, string detalle)
    {
        if (Excedida(cuota, conEsta, limite, detalle) is { } excedida) throw excedida;
    }

    private static ProblemaHttpException? Excedida(string cuota, long conEsta, long limite, string detalle) =>
        conEsta <= limite ? null : new ProblemaHttpException(StatusCodes.Status422UnprocessableEntity, TiposDeProblema.CuotaExcedida, "Cuota excedida", detalle,
            new Dictionary<string, object?> { [MiembrosDeProblema.Cuota] = cuota, [MiembrosDeProblema.Limite] = limite });
}

/// <summary>A reporte about to be registered, as the quotas count it.</summary>
public sealed record ReporteACuota(int ServicioId, int CompromisoId, string Texto);
