namespace CompromisosApi.Features.Catalogo;

public interface IDatosServicio
{
    string Nombre { get; }
    string? Sigla { get; }
    int MinisterioId { get; }
    string? Codigo { get; }
}

public abstract class DatosServicioValidator<T> : AbstractValidator<T> where T : IDatosServicio
{
    protected DatosServicioValidator()
    {
        RuleFor(x => x.Nombre).TextoObligatorio(Validacion.LargoNombre);
        RuleFor(x => x.Sigla).TextoOpcional(Validacion.LargoSigla);
        RuleFor(x => x.MinisterioId).Id();
        RuleFor(x => x.Codigo).CodigoServicio();
    }
}

public static class DatosServicio
{
    /// <summary>
    /// The servicio's ministerio, read FOR SHARE (its code can't change until this write commits), and the servicio's
    /// code checked against the ministerio's: 404 without the ministerio, 400 naming codigo when the codes disagree.
    /// </summary>
    public static async Task AsegurarMinisterioAsync(CompromisosDbContext db, IDatosServicio s, CancellationToken ct)
    {
        var filas = await db.Database.SqlQuery<string?>($"SELECT codigo AS \"Value\" FROM ministerios WHERE id = {s.MinisterioId} FOR SHARE").ToListAsync(ct);
        if (filas.Count == 0) throw new NoEncontradoException("ministerio", s.MinisterioId);
        if (CodigosPresupuestarios.Inconsistencia(s.Codigo, filas[0], "su ministerio") is { } error) throw Validacion.Invalido("codigo", error);
    }
}
