using System.Buffers.Text;
using System.Globalization;
using System.Text;
using FluentValidation;

namespace CompromisosApi.Common;

/// <summary>A page of a list. <c>nextCursor</c> is null on the last page.</summary>
public sealed record Pagina<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary>Query parameters every list takes.</summary>
public interface IPaginada
{
    int? Limit { get; }
    string? Cursor { get; }
}

/// <summary>
/// Keyset pagination: the cursor is the sort key of the last item seen, opaque to clients, so pages have no
/// duplicates or gaps while rows are added (unlike OFFSET).
/// </summary>
public static class Paginacion
{
    public const int LimitePorDefecto = 50;
    public const int LimiteMaximo = 200;

    public static int Limite(this IPaginada p) => p.Limit ?? LimitePorDefecto;

    public static long? Despues(this IPaginada p) => p.Cursor is null ? null : Decodificar(p.Cursor);

    public static string Codificar(long clave) =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes("v1:" + clave.ToString(CultureInfo.InvariantCulture)));

    public static long? Decodificar(string cursor)
    {
        try
        {
            var texto = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(cursor));
            return texto.StartsWith("v1:", StringComparison.Ordinal)
                && long.TryParse(texto.AsSpan(3), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v)
                ? v
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>Cuts a fetch of limit + 1 rows into a page; the extra row only says whether more exist.</summary>
    public static Pagina<TOut> Cortar<TIn, TOut>(IReadOnlyList<TIn> filas, int limite, Func<TIn, long> clave, Func<TIn, TOut> mapear)
    {
        var hayMas = filas.Count > limite;
        var visibles = hayMas ? filas.Take(limite) : filas;
        var items = visibles.Select(mapear).ToList();
        return new Pagina<TOut>(items, hayMas ? Codificar(clave(filas[limite - 1])) : null);
    }

    public static void ReglasDePaginacion<T>(this AbstractValidator<T> v) where T : IPaginada
    {
        v.RuleFor(x => x.Limit).InclusiveBetween(1, LimiteMaximo)
            .WithMessage($"limit debe estar entre 1 y {LimiteMaximo}.");
        v.RuleFor(x => x.Cursor).Must(c => c is null || Decodificar(c) is not null)
            .WithMessage("cursor no es válido: use el nextCursor de la página anterior.");
    }
}
