using FluentValidation;

namespace CompromisosApi.Common;

public static class Validacion
{
    public const int LargoNombre = 300;
    public const int LargoNombrePrograma = 1000;

    /// <summary>Official texts are stored verbatim, but one that is blank carries nothing and is refused.</summary>
    public static IRuleBuilderOptions<T, string?> TextoObligatorio<T>(this IRuleBuilder<T, string?> regla, int? largoMaximo = null)
    {
        var r = regla.NotEmpty().WithMessage("Es obligatorio y no puede estar en blanco.");
        return largoMaximo is { } max ? r.MaximumLength(max).WithMessage($"Admite a lo más {max} caracteres.") : r;
    }

    public static IRuleBuilderOptions<T, int> Id<T>(this IRuleBuilder<T, int> regla) =>
        regla.GreaterThan(0).WithMessage("Debe ser un id positivo.");
}
