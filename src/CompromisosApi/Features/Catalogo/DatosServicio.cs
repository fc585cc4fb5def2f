namespace CompromisosApi.Features.Catalogo;

public interface IDatosServicio
{
    string Nombre { get; }
    string? Sigla { get; }
    int MinisterioId { get; }
}

public abstract class DatosServicioValidator<T> : AbstractValidator<T> where T : IDatosServicio
{
    protected DatosServicioValidator()
    {
        RuleFor(x => x.Nombre).TextoObligatorio(Validacion.LargoNombre);
        RuleFor(x => x.Sigla).TextoOpcional(Validacion.LargoSigla);
        RuleFor(x => x.MinisterioId).Id();
    }
}
