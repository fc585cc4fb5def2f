namespace CompromisosApi.Features.Catalogo;

public interface IDatosMinisterio
{
    string Nombre { get; }
    string? Codigo { get; }
}

/// <summary>Creating and replacing a ministerio take the same data, so they check it with the same rules.</summary>
public abstract class DatosMinisterioValidator<T> : AbstractValidator<T> where T : IDatosMinisterio
{
    protected DatosMinisterioValidator()
    {
        RuleFor(x => x.Nombre).TextoObligatorio(Validacion.LargoNombre);
        RuleFor(x => x.Codigo).CodigoMinisterio();
    }
}
