using CompromisosApi.Domain;
using CompromisosApi.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CompromisosApi.Features.Programas;

/// <summary>
/// Egreso readiness, derived at read time like vencido: a programa in follow-up whose compromisos are all Cumplido or
/// Cancelado shows the egreso it would take (dated, as <see cref="Programa.Egresar"/> would date it, at its latest
/// calificación). One grouped query for a whole page of programas.
/// </summary>
public static class EgresoPropuesto
{
    public static async Task<ProgramaDto> CompletarAsync(CompromisosDbContext db, ProgramaDto programa, CancellationToken ct) =>
        (await CompletarAsync(db, [programa], ct))[0];

    public static async Task<IReadOnlyList<ProgramaDto>> CompletarAsync(CompromisosDbContext db, IReadOnlyList<ProgramaDto> programas, CancellationToken ct)
    {
        var ids = programas.Where(p => p.Estado == EstadoPrograma.EnSeguimiento).Select(p => p.Id).ToList();
        if (ids.Count == 0) return programas;
        var listos = await db.Compromisos.AsNoTracking()
            .Where(c => ids.Contains(c.ProgramaId))
            .GroupBy(c => c.ProgramaId)
            .Select(g => new
            {
                ProgramaId = g.Key,
                Abiertos = g.Count(c => c.Calificacion != Calificacion.Cumplido && c.Calificacion != Calificacion.Cancelado),
                Fecha = g.Max(c => c.FechaCalificacion),
            })
            .Where(x => x.Abiertos == 0)
            .ToDictionaryAsync(x => x.ProgramaId, x => x.Fecha, ct);
        return programas
            .Select(p => ids.Contains(p.Id) && listos.TryGetValue(p.Id, out var fecha) && fecha is { } f
                ? p with { EgresoPropuesto = new EgresoPropuestoDto { Fecha = f } }
                : p)
            .ToList();
    }
}
