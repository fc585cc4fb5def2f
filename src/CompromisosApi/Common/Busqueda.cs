namespace CompromisosApi.Common;

/// <summary>A list that takes a full-text search: q, in Spanish, insensitive to accents and case.</summary>
public interface IBuscable
{
    string? Q { get; }
}

public static class Busqueda
{
    /// <summary>A search is a few words, not a document: longer input only costs the database.</summary>
    public const int LargoMaximo = 200;

    /// <summary>
    /// q is optional, but when it comes it must say something: a blank q is a client bug, not "everything". A q made
    /// only of stopwords ("de la") is valid and finds nothing (PostgreSQL's tsquery is empty), as a search engine would.
    /// </summary>
    public static void ReglasDeBusqueda<T>(this AbstractValidator<T> v) where T : IBuscable =>
        v.RuleFor(x => x.Q)
            .Must(q => q is null || !string.IsNullOrWhiteSpace(q)).WithMessage("q no puede estar en blanco: omítalo para listar sin buscar.")
            .MaximumLength(LargoMaximo).WithMessage($"q admite a lo más {LargoMaximo} caracteres.")
            .Must(q => q is null || !q.Contains('\0')).WithMessage("q no puede contener el carácter nulo (U+0000).");
}
