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

        // The index (compromiso_id, id) read backwards: the first row dated by the cut-off is the one in effect.
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
        return vencidos
            ? q.Where(x => x.Compromiso.FechaVencimiento <= mes
                && x.Calificacion != Calificacion.Cumplido && x.Calificacion != Calificacion.Cancelado)
            : q.Where(x => x.Compromiso.FechaVencimiento > mes
                || x.Calificacion == Calificacion.Cumplido || x.Calificacion == Calificacion.Cancelado);
    }

    /// <summary>Egresado at the cut-off: <see cref="Programa.EgresadoAl(EstadoPrograma, DateOnly?, DateOnly)"/>.</summary>
    public static Expression<Func<Programa, bool>> Egresado(DateOnly alCorte) =>
        p => p.Estado == EstadoPrograma.Egresado && p.FechaEgreso <= alCorte;

    /// <summary>In follow-up at the cut-off: not <see cref="Egresado"/>.</summary>
    public static Expression<Func<Programa, bool>> EnSeguimiento(DateOnly alCorte) =>
        p => !(p.Estado == EstadoPrograma.Egresado && p.FechaEgreso <= alCorte);
}
