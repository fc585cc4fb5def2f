namespace CompromisosApi.Features.Compromisos;

/// <summary>
/// The lock order every write under a compromiso follows: programa (shared), then the compromiso; for several
/// compromisos at once (a round), every programa in id order, then every compromiso in id order. A single write holds
/// one compromiso and a round takes its compromisos in one order, so neither can wait for the other in a cycle.
/// </summary>
public static class EscrituraDeCompromiso
{
    public static async Task<(Programa Programa, Compromiso Compromiso)> BloquearAsync(
        CompromisosDbContext db, int compromisoId, uint[]? ifMatch, CancellationToken ct) =>
        Escribible(await BloquearVariosAsync(db, [compromisoId], ct), compromisoId, ifMatch);

    /// <summary>
    /// Locks the compromisos that exist among <paramref name="compromisoIds"/> and their programas, in the order above;
    /// the unknown ones are left out (<see cref="Escribible"/> answers 404 for them).
    /// </summary>
    public static async Task<IReadOnlyDictionary<int, (Programa Programa, Compromiso Compromiso)>> BloquearVariosAsync(
        CompromisosDbContext db, IReadOnlyCollection<int> compromisoIds, CancellationToken ct)
    {
        var ids = compromisoIds.Distinct().ToArray();
        // A compromiso never changes programa: the programas can be found before they are locked.
        var programaIds = await db.Compromisos.Where(x => ids.Contains(x.Id)).Select(x => x.ProgramaId).Distinct().ToArrayAsync(ct);
        if (programaIds.Length == 0) return new Dictionary<int, (Programa, Compromiso)>();
        var programas = (await db.BloquearProgramasAsync(programaIds, ct)).ToDictionary(p => p.Id);
        var compromisos = await db.BloquearCompromisosAsync(ids, ct);
        return compromisos.Where(c => programas.ContainsKey(c.ProgramaId)).ToDictionary(c => c.Id, c => (programas[c.ProgramaId], c));
    }

    /// <summary>
    /// One of the locked compromisos, if it may be written: 404 if it does not exist, 412 if If-Match names another
    /// version, 409 if its programa egresó.
    /// </summary>
    public static (Programa Programa, Compromiso Compromiso) Escribible(
        IReadOnlyDictionary<int, (Programa Programa, Compromiso Compromiso)> bloqueados, int compromisoId, uint[]? ifMatch = null)
    {
        if (!bloqueados.TryGetValue(compromisoId, out var par)) throw new NoEncontradoException("compromiso", compromisoId);
        Etags.Verificar(ifMatch, par.Compromiso.Version);
        par.Programa.AsegurarEnSeguimiento();
        return par;
    }

    /// <summary>
    /// Which of the compromisos have a reporte for the corte: the reason that lets a Cancelado go without an observación
    /// (<see cref="Compromiso.Calificar"/>).
    /// </summary>
    public static async Task<HashSet<int>> ConReporteEnElCorteAsync(CompromisosDbContext db, IReadOnlyCollection<int> compromisoIds, DateOnly corte, CancellationToken ct) =>
        (await db.Reportes.Where(r => compromisoIds.Contains(r.CompromisoId) && r.Corte == corte).Select(r => r.CompromisoId).Distinct().ToListAsync(ct))
        .ToHashSet();

    /// <summary>Reportes and medios refer to cortes of the follow-up, which starts with the programa's evaluation year.</summary>
    public static void AsegurarCorteDelPrograma(Programa programa, DateOnly corte)
    {
        if (corte.Year >= programa.AnioEvaluacion) return;
        throw new ValidationException([new FluentValidation.Results.ValidationFailure("corte",
            $"No puede ser anterior al año de evaluación del programa ({programa.AnioEvaluacion}).")]);
    }
}
