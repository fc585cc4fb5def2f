using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace CompromisosApi.Common;

/// <summary>A page of a list. <c>nextCursor</c> is null on the last page.</summary>
public sealed record Pagina<T>(IReadOnlyList<T> Items, [property: System.ComponentModel.DataAnnotations.MaxLength(Paginacion.LargoMaximoCursor)] string? NextCursor);

/// <summary>Query parameters every list takes.</summary>
public interface IPaginada
{
    int? Limit { get; }
    string? Cursor { get; }
}

/// <summary>The sort key of a list ranked by relevance (a search with q): rank descending, then id ascending.</summary>
public readonly record struct ClaveRanqueada(float Rango, long Id);

/// <summary>
/// Keyset pagination: the cursor is the sort key of the last item seen, opaque to clients, so pages have no
/// duplicates or gaps while rows are added (unlike OFFSET). Lists in id order carry "v1:&lt;id&gt;"; lists ranked by a
/// search carry "r1:&lt;rank&gt;:&lt;id&gt;", since the id alone can't say where a page in rank order ends. A cursor of
/// one kind is refused by a list in the other order: it would silently skip or repeat rows.
/// </summary>
public static class Paginacion
{
    public const int LimitePorDefecto = 50;
    public const int LimiteMaximo = 200;

    /// <summary>
    /// The longest cursor the service writes, the ranked one: "r1:", a float's shortest round-trip text (at most 15
    /// characters), ":" and a long (at most 20), in base64url without padding. A longer cursor is refused (400).
    /// </summary>
    public const int LargoMaximoCursor = ((3 + 15 + 1 + 20) * 4 + 2) / 3;

    private const string MensajeCursorLargo = "cursor no es válido: use el nextCursor de la página anterior.";

    public static int Limite(this IPaginada p) => p.Limit ?? LimitePorDefecto;

    public static long? Despues(this IPaginada p) => p.Cursor is null ? null : Decodificar(p.Cursor);

    /// <summary>
    /// The cursor of a list keyed by an int column. Compared as int, not as long: EF would otherwise cast the column
    /// (<c>id::bigint &gt; $1</c>) and PostgreSQL could not start the index scan at the cursor, so each page would
    /// read every row before it. A cursor beyond int's range simply has nothing after it.
    /// </summary>
    public static int DespuesEntero(this IPaginada p) => (int)Math.Clamp(p.Despues() ?? 0, int.MinValue, int.MaxValue);

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

    public static ClaveRanqueada? DespuesRanqueada(this IPaginada p) => p.Cursor is null ? null : DecodificarRanqueada(p.Cursor);

    /// <summary>The rank travels as the shortest text that parses back to the same float, so the next page's
    /// comparison with PostgreSQL's ts_rank (a real) is exact.</summary>
    public static string Codificar(ClaveRanqueada clave) =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes(
            "r1:" + clave.Rango.ToString("R", CultureInfo.InvariantCulture) + ":" + clave.Id.ToString(CultureInfo.InvariantCulture)));

    public static ClaveRanqueada? DecodificarRanqueada(string cursor)
    {
        try
        {
            var partes = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(cursor)).Split(':');
            return partes is ["r1", var rango, var id]
                && float.TryParse(rango, NumberStyles.Float, CultureInfo.InvariantCulture, out var r) && float.IsFinite(r)
                && long.TryParse(id, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i)
                ? new ClaveRanqueada(r, i)
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

    /// <summary>Cuts a fetch of limit + 1 rows ranked by relevance into a page.</summary>
    public static Pagina<TOut> CortarRanqueada<TIn, TOut>(IReadOnlyList<TIn> filas, int limite, Func<TIn, ClaveRanqueada> clave, Func<TIn, TOut> mapear)
    {
        var hayMas = filas.Count > limite;
        var visibles = hayMas ? filas.Take(limite) : filas;
        var items = visibles.Select(mapear).ToList();
        return new Pagina<TOut>(items, hayMas ? Codificar(clave(filas[limite - 1])) : null);
    }

    /// <summary>
    /// For lists that also take a search (q): without q the cursor is an id cursor, with q a ranked one; a cursor
    /// taken from the other kind of list is bad input, not a silently wrong page.
    /// </summary>
    public static void ReglasDePaginacionConBusqueda<T>(this AbstractValidator<T> v) where T : IPaginada, IBuscable
    {
        v.RuleFor(x => x.Limit).InclusiveBetween(1, LimiteMaximo)
            .WithMessage($"limit debe estar entre 1 y {LimiteMaximo}.");
        v.RuleFor(x => x.Cursor).MaximumLength(LargoMaximoCursor).WithMessage(MensajeCursorLargo);
        v.RuleFor(x => x.Cursor)
            .Must((x, c) => c is null || (x.Q is null ? Decodificar(c) is not null : DecodificarRanqueada(c) is not null))
            .WithMessage(x => x.Q is null
                ? "cursor no es válido: use el nextCursor de la página anterior (un cursor de una búsqueda con q solo sirve con el mismo q)."
                : "cursor no es válido para una búsqueda: use el nextCursor de la página anterior de esta misma búsqueda con q.");
    }

    public static void ReglasDePaginacion<T>(this AbstractValidator<T> v) where T : IPaginada
    {
        v.RuleFor(x => x.Limit).InclusiveBetween(1, LimiteMaximo)
            .WithMessage($"limit debe estar entre 1 y {LimiteMaximo}.");
        v.RuleFor(x => x.Cursor).MaximumLength(LargoMaximoCursor).WithMessage(MensajeCursorLargo);
        v.RuleFor(x => x.Cursor).Must(c => c is null || Decodificar(c) is not null)
            .WithMessage("cursor no es válido: use el nextCursor de la página anterior.");
    }
}
