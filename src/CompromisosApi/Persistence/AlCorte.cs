using System.Linq.Expressions;

namespace CompromisosApi.Persistence;

/// <summary>
/// What a read shows: the record as it stood at a cut-off (<see cref="AlCorte"/>, valid time), as it had been registered
/// at an instant (<see cref="ConocidoAl"/>, transaction time), both, or neither (the current record, today).
/// </summary>
public readonly record struct Momento
{
    public Momento(DateOnly? alCorte, DateTimeOffset? conocidoAl)
    {
        AlCorte = alCorte;
        ConocidoAl = conocidoAl?.ToUniversalTime();
    }

    public DateOnly? AlCorte { get; }

    /// <summary>In UTC: PostgreSQL's timestamptz takes no other offset, and the same instant must be the same question.</summary>
    public DateTimeOffset? ConocidoAl { get; }

    /// <summary>Neither: the stored current calificaciones and estados answer, as they always did.</summary>
    public bool EsElActual => AlCorte is null && ConocidoAl is null;

    /// <summary>The cut-off vencido and the Informe are computed at: alCorte, or today.</summary>
    public DateOnly Corte(Common.Calendario calendario) => AlCorte ?? calendario.Hoy();
}

/// <summary>A read that takes conocidoAl (see LecturaAlCorte in Common/OpenApi for its one description).</summary>
public interface IConocidoAl
{
    DateTimeOffset? ConocidoAl { get; }
}

/// <summary>A read that takes alCorte and conocidoAl.</summary>
public interface ILecturaAlMomento : IConocidoAl
{
    DateOnly? AlCorte { get; }
}

public static class LecturaAlMomento
{
    /// <summary>
    /// The moment a read asks for. Without alCorte, a reading as known at an instant is at that instant's day in Chile:
    /// what a read made then would have used, so its answer does not change tomorrow.
    /// </summary>
    public static Momento Momento(this ILecturaAlMomento l) =>
        new(l.AlCorte ?? (l.ConocidoAl is { } t ? DateOnly.FromDateTime(Common.Calendario.EnChile(t).DateTime) : null), l.ConocidoAl);
}

/// <summary>A compromiso as it stood at a <see cref="Momento"/>: its calificación then (Pendiente if none yet) and that one's fecha.</summary>
public sealed class CompromisoAlCorte
{
    public required Compromiso Compromiso { get; init; }
    public required Calificacion Calificacion { get; init; }
    public DateOnly? FechaCalificacion { get; init; }

    /// <summary>When it was met as of the moment (<see cref="Oportunidad.CumplidoAlCorte"/>); null: not Cumplido then.</summary>
    public DateOnly? CumplidoEn { get; init; }
}

/// <summary>A programa with the date of its egreso as known at a <see cref="Momento"/>'s instant (null: in follow-up then).</summary>
public sealed class ProgramaAlCorte
{
    public required Programa Programa { get; init; }
    public DateOnly? FechaEgreso { get; init; }
}

/// <summary>
/// The record at a <see cref="Momento"/>, for the EF queries: the domain's rules (<see cref="Compromiso.CalificacionAlCorte"/>,
/// <see cref="Compromiso.EstaVencido(DateOnly, Calificacion, DateOnly)"/>, <see cref="Programa.EgresadoAl(DateOnly?, DateOnly?)"/>)
/// written so PostgreSQL evaluates them. The raw-SQL statistics use the SQL functions of Persistence/Sql/al-corte.sql,
/// which say the same; a test holds them to the same cases.
/// </summary>
public static class AlCorte
{
    /// <summary>How far the service's clock and PostgreSQL's may disagree when comparing a write's start with an instant.</summary>
    private static readonly TimeSpan Desfase = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The record as known at <paramref name="t"/> is final once no write that could still register rows at or before
    /// it is running: a row's instant is taken inside its transaction, which commits later (an import of a large record
    /// takes seconds). Waits for such writes, a few seconds at most, so the same question always gets the same answer;
    /// then 503 with Retry-After. One look at pg_stat_activity, which shows the service's own sessions (one role).
    /// </summary>
    public static async Task EsperarLoRegistradoAsync(this CompromisosDbContext db, DateTimeOffset t, CancellationToken ct)
    {
        var limite = t.ToUniversalTime() + Desfase;
        for (var intento = 0; ; intento++)
        {
            var enCurso = await db.Database.SqlQuery<int>($"""
                SELECT count(*)::integer AS "Value" FROM pg_stat_activity
                 WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL AND xact_start <= {limite}
                """).SingleAsync(ct);
            if (enCurso == 0) return;
            if (intento == 100)
            {
                throw new Common.ProblemaHttpException(StatusCodes.Status503ServiceUnavailable, Common.TiposDeProblema.RegistroEnEscritura,
                    "El registro de ese instante aún se está escribiendo",
                    "Una escritura que comenzó antes de conocidoAl aún no termina; la respuesta podría cambiar cuando termine. Reintente.")
                { ReintentarEnSegundos = 5 };
            }

            await Task.Delay(50, ct);
        }
    }

    // Transaction time: what had been registered by the instant (null: everything). Every row of the record carries the
    // instant it was registered; corrections and reaperturas are rows of their own, so nothing registered is ever lost.
    public static IQueryable<T> Conocidos<T>(this IQueryable<T> q, DateTimeOffset? t) where T : class, IRegistradoEn =>
        t?.ToUniversalTime() is { } x ? q.Where(r => r.RegistradoEn <= x) : q;

    public static IQueryable<Recomendacion> Conocidas(this IQueryable<Recomendacion> q, DateTimeOffset? t) =>
        t?.ToUniversalTime() is { } x ? q.Where(r => r.RegistradaEn <= x) : q;

    public static IQueryable<RegistroCalificacion> Conocidas(this IQueryable<RegistroCalificacion> q, DateTimeOffset? t) =>
        t?.ToUniversalTime() is { } x ? q.Where(k => k.RegistradaEn <= x) : q;

    /// <summary>
    /// The compromisos known at the moment's instant, each with its calificación at the moment. The current record
    /// (<see cref="Momento.EsElActual"/>) keeps today's query on the stored calificación.
    /// </summary>
    public static IQueryable<CompromisoAlCorte> ComoEstaban(this IQueryable<Compromiso> compromisos, CompromisosDbContext db, Momento momento)
    {
        if (momento.EsElActual) return compromisos.Select(Actual);

        var historial = db.Calificaciones.Conocidas(momento.ConocidoAl);
        if (momento.AlCorte is { } d) historial = historial.Where(k => k.Fecha <= d);

        // Correlated scalar subqueries, each an index probe on (compromiso_id, id), so a keyset page still walks the
        // compromisos in id order and stops at the page. (A LEFT JOIN LATERAL … LIMIT 1 would probe once, but EF turns
        // it into a ROW_NUMBER() join over every calificación: a sequential scan and a sort for any page.)
        return compromisos.Conocidos(momento.ConocidoAl).Select(c => new CompromisoAlCorte
        {
            Compromiso = c,
            Calificacion = historial.Where(k => k.CompromisoId == c.Id).OrderByDescending(k => k.Id)
                .Select(k => (Calificacion?)k.Calificacion).FirstOrDefault() ?? Calificacion.Pendiente,
            FechaCalificacion = historial.Where(k => k.CompromisoId == c.Id).OrderByDescending(k => k.Id)
                .Select(k => (DateOnly?)k.Fecha).FirstOrDefault(),
            CumplidoEn = CumplidoAlCorte(c.Id, momento.AlCorte, momento.ConocidoAl),
        });
    }

    /// <summary>A compromiso as it is today: the stored calificación, and cumplidoEn over its whole history.</summary>
    public static readonly Expression<Func<Compromiso, CompromisoAlCorte>> Actual = c => new CompromisoAlCorte
    {
        Compromiso = c,
        Calificacion = c.Calificacion,
        FechaCalificacion = c.FechaCalificacion,
        // Only a compromiso Cumplido today has a cumplidoEn: the others skip the function (the most requested read).
        CumplidoEn = c.Calificacion == Calificacion.Cumplido ? CumplidoAlCorte(c.Id, null, null) : null,
    };

    /// <summary>
    /// The SQL function cumplido_al_corte (Persistence/Sql/al-corte.sql): <see cref="Oportunidad.CumplidoAlCorte"/> in
    /// PostgreSQL, as of alCorte (null: the whole history) among the calificaciones known at conocidoAl (null: all).
    /// </summary>
    public static DateOnly? CumplidoAlCorte(int compromisoId, DateOnly? alCorte, DateTimeOffset? conocidoAl) =>
        throw new InvalidOperationException("Solo se traduce a SQL.");

    public static void Registrar(ModelBuilder modelBuilder) =>
        modelBuilder.HasDbFunction(typeof(AlCorte).GetMethod(nameof(CumplidoAlCorte))!).HasName("cumplido_al_corte");

    /// <summary>Still open at the moment (neither Cumplido nor Cancelado): <see cref="CalificacionExtensions.Finales"/>.</summary>
    public static IQueryable<CompromisoAlCorte> Abiertos(this IQueryable<CompromisoAlCorte> q)
    {
        var finales = CalificacionExtensions.Finales;
        return q.Where(x => !finales.Contains(x.Calificacion));
    }

    /// <summary>Vencidos (or, with false, not vencidos) at the cut-off: <see cref="Compromiso.EstaVencido(DateOnly, Calificacion, DateOnly)"/>.</summary>
    public static IQueryable<CompromisoAlCorte> Vencidos(this IQueryable<CompromisoAlCorte> q, DateOnly alCorte, bool vencidos)
    {
        var mes = Compromiso.PrimerDiaDelMes(alCorte);
        // One IN list, so that the calificación at the cut-off (a subquery) is evaluated once per row.
        var finales = CalificacionExtensions.Finales;
        return vencidos
            ? q.Where(x => x.Compromiso.FechaVencimiento <= mes && !finales.Contains(x.Calificacion))
            : q.Where(x => x.Compromiso.FechaVencimiento > mes || finales.Contains(x.Calificacion));
    }

    /// <summary>
    /// The programas known at the moment's instant, each with its egreso date as known then: the stored one for the
    /// current record, otherwise that of the egreso or reapertura registered last by then (a reapertura has none).
    /// </summary>
    public static IQueryable<ProgramaAlCorte> ComoEstaban(this IQueryable<Programa> programas, CompromisosDbContext db, Momento momento)
    {
        if (momento.ConocidoAl is not { } t)
        {
            return programas.Select(p => new ProgramaAlCorte { Programa = p, FechaEgreso = p.FechaEgreso });
        }

        var egresos = db.Egresos.Where(e => e.RegistradoEn <= t);
        return programas.Conocidos(t).Select(p => new ProgramaAlCorte
        {
            Programa = p,
            FechaEgreso = egresos.Where(e => e.ProgramaId == p.Id).OrderByDescending(e => e.Id).Select(e => e.FechaEgreso).FirstOrDefault(),
        });
    }

    /// <summary>Egresado (or, with false, in follow-up) at the moment: <see cref="Programa.EgresadoAl(DateOnly?, DateOnly?)"/>.</summary>
    public static IQueryable<ProgramaAlCorte> Egresados(this IQueryable<ProgramaAlCorte> q, DateOnly? alCorte, bool egresados)
    {
        var hasta = alCorte ?? DateOnly.MaxValue;
        Expression<Func<ProgramaAlCorte, bool>> egresado = x => x.FechaEgreso != null && x.FechaEgreso <= hasta;
        return egresados ? q.Where(egresado) : q.Where(x => !(x.FechaEgreso != null && x.FechaEgreso <= hasta));
    }
}
