namespace CompromisosApi.Features.Compromisos;

/// <summary>The lock order every write under a compromiso follows: programa (shared), then the compromiso.</summary>
public static class EscrituraDeCompromiso
{
    public static async Task<(Programa Programa, Compromiso Compromiso)> BloquearAsync(
        CompromisosDbContext db, int compromisoId, uint[]? ifMatch, CancellationToken ct)
    {
        var programaId = await db.Compromisos.Where(x => x.Id == compromisoId).Select(x => (int?)x.ProgramaId).SingleOrDefaultAsync(ct)
            ?? throw new NoEncontradoException("compromiso", compromisoId);
        var programa = await db.BloquearProgramaAsync(programaId, exclusivo: false, ct) ?? throw new NoEncontradoException("programa", programaId);
        var compromiso = await db.BloquearCompromisoAsync(compromisoId, ct) ?? throw new NoEncontradoException("compromiso", compromisoId);
        Etags.Verificar(ifMatch, compromiso.Version);
        programa.AsegurarEnSeguimiento();
        return (programa, compromiso);
    }

    /// <summary>Reportes and medios refer to cortes of the follow-up, which starts with the programa's evaluation year.</summary>
    public static void AsegurarCorteDelPrograma(Programa programa, DateOnly corte)
    {
        if (corte.Year >= programa.AnioEvaluacion) return;
        throw new ValidationException([new FluentValidation.Results.ValidationFailure("corte",
            $"No puede ser anterior al año de evaluación del programa ({programa.AnioEvaluacion}).")]);
    }
}
