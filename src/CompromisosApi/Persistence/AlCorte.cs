using System.Linq.Expressions;
using CompromisosApi.Domain;

namespace CompromisosApi.Persistence;

/// <summary>A compromiso as it stood at a cut-off: its calificación then (Pendiente if none yet) and that one's fecha.</summary>
public sealed class CompromisoAlCorte
{
    public required Compromiso Compromiso { get; init; }
    public required Calificacion Calificacion { get; init; }
    public DateOnly? FechaCalificacion { get; init; }
}

/// <summary>
/// The record as it stood at a cut-off, for the EF queries: the domain's rules (<see cref="Compromiso.CalificacionAlCorte"/>,
/// <see cref="Compromiso.EstaVencido(DateOnly, Calificacion, DateOnly)"/>, <see cref="Programa.EgresadoAl(EstadoPrograma, DateOnly?, DateOnly)"/>)
/// written so PostgreSQL evaluates them. The raw-SQL statistics use the SQL functions of the migration FuncionesAlCorte, which say
/// the same; a test holds the three to the same cases.
/// </summary>
public static class AlCorte
{
    /// <summary>
    /// Each compromiso with its calificación at <paramref name="alCorte"/>, from <paramref name="historial"/> (a reading as
    /// known at an instant passes the history registered by then). Without a cut-off, the stored current calificación:
    /// today's reads keep today's query.
    /// </summary>
    public static IQueryable<CompromisoAlCorte> ComoEstaban(
        this IQueryable<Compromiso> compromisos, IQueryable<RegistroCalificacion> historial, DateOnly? alCorte)
    {
        if (alCorte is not { } d)
        {
            return compromisos.Select(c => new CompromisoAlCorte
            {
                Compromiso = c,
                Calificacion = c.Calificacion,
                FechaCalificacion = c.FechaCalificacion,
            });
        }

        // Correlated scalar subqueries, each an index probe on (compromiso_id, id), so a keyset page still walks the
        // compromisos in id order and stops at the page. (A LEFT JOIN LATERAL … LIMIT 1 would probe once, but EF turns
        // it into a ROW_NUMBER() join over every calificación: a sequential scan and a sort for any page.)
        return compromisos.Select(c => new CompromisoAlCorte
        {
            Compromiso = c,
            Calificacion = historial.Where(k => k.CompromisoId == c.Id && k.Fecha <= d).OrderByDescending(k => k.Id)
                .Select(k => (Calificacion?)k.Calificacion).FirstOrDefault() ?? Calificacion.Pendiente,
            FechaCalificacion = historial.Where(k => k.CompromisoId == c.Id && k.Fecha <= d).OrderByDescending(k => k.Id)
                .Select(k => (DateOnly?)k.Fecha).FirstOrDefault(),
        });
    }

    /// <summary>Vencidos (or, with false, not vencidos) at the cut-off: <see cref="Compromiso.EstaVencido(DateOnly, Calificacion, DateOnly)"/>.</summary>
    public static IQueryable<CompromisoAlCorte> Vencidos(this IQueryable<CompromisoAlCorte> q, DateOnly alCorte, bool vencidos)
    {
        var mes = Compromiso.PrimerDiaDelMes(alCorte);
        // One IN list, so that the calificación at the cut-off (a subquery) is evaluated once per row.
        return vencidos
            ? q.Where(x => x.Compromiso.FechaVencimiento <= mes
                && !new[] { Calificacion.Cumplido, Calificacion.Cancelado }.Contains(x.Calificacion))
            : q.Where(x => x.Compromiso.FechaVencimiento > mes
                || new[] { Calificacion.Cumplido, Calificacion.Cancelado }.Contains(x.Calificacion));
    }

    /// <summary>Egresado at the cut-off: <see cref="Programa.EgresadoAl(EstadoPrograma, DateOnly?, DateOnly)"/>.</summary>
    public static Expression<Func<Programa, bool>> Egresado(DateOnly alCorte) =>
        p => p.Estado == EstadoPrograma.Egresado && p.FechaEgreso <= alCorte;

    /// <summary>In follow-up at the cut-off: not <see cref="Egresado"/>.</summary>
    public static Expression<Func<Programa, bool>> EnSeguimiento(DateOnly alCorte) =>
        p => !(p.Estado == EstadoPrograma.Egresado && p.FechaEgreso <= alCorte);
}
