using System.Text.RegularExpressions;

namespace CompromisosApi.Domain;

/// <summary>
/// The official codes of the Ley de Presupuestos' structure, by which DIPRES and the State's interoperability network
/// identify bodies (Norma Técnica de Interoperabilidad, D12 Art. 17): a ministerio is its partida ("13"), a servicio its
/// partida.capítulo ("13.03"), a programa its partida.capítulo.programa ("13.03.01"). A code is null where the record
/// has none (legacy rows); once set it is well formed and unique.
/// </summary>
/// <remarks>
/// The one consistency rule: a code and its parent's, when both are set, agree, the child's beginning with the parent's
/// and a dot. A parent without a code constrains nothing (legacy catalogs are coded a piece at a time), and a parent's
/// code can't be set or changed to one its coded children don't begin with (<see cref="Ministerio.Actualizar"/>,
/// <see cref="Servicio.Actualizar"/>): codes are never rewritten behind the caller's back.
/// </remarks>
public static partial class CodigosPresupuestarios
{
    /// <summary>Each level is numbered from 01 (the Ley de Presupuestos has no partida, capítulo or programa 00).</summary>
    private const string Nivel = "(0[1-9]|[1-9][0-9])";

    public const string PatronPartida = "^" + Nivel + "$";
    public const string PatronCapitulo = "^" + Nivel + @"\." + Nivel + "$";
    public const string PatronPrograma = "^" + Nivel + @"\." + Nivel + @"\." + Nivel + "$";

    public static bool EsPartida(string? codigo) => codigo is null || Partida().IsMatch(codigo);

    public static bool EsCapitulo(string? codigo) => codigo is null || Capitulo().IsMatch(codigo);

    public static bool EsPrograma(string? codigo) => codigo is null || Programa().IsMatch(codigo);

    /// <summary>A child's code agrees with its parent's: either is null, or the child's begins with the parent's and a dot.</summary>
    public static bool Pertenece(string? hijo, string? padre) =>
        hijo is null || padre is null || hijo.StartsWith(padre + ".", StringComparison.Ordinal);

    /// <summary>Why a child's code does not agree with its parent's (null when it does).</summary>
    public static string? Inconsistencia(string? hijo, string? padre, string elPadre) =>
        Pertenece(hijo, padre) ? null : $"Debe comenzar con el código de {elPadre} ({padre}.), como en la Ley de Presupuestos.";

    /// <summary>A parent's code may become <paramref name="codigo"/> only if every coded child already begins with it.</summary>
    internal static void AsegurarHijos(string? codigo, IEnumerable<string?> codigosDeHijos, string entidad, int id, string hijos)
    {
        var fuera = codigosDeHijos.Where(h => !Pertenece(h, codigo)).OfType<string>().Order(StringComparer.Ordinal).ToList();
        if (fuera.Count == 0) return;
        throw new ReglaException(
            Reglas.CodigoConDependientes,
            "El código dejaría inconsistentes los códigos que dependen de él",
            $"{entidad} {id} tiene {hijos} con código {string.Join(", ", fuera.Take(10))}{(fuera.Count > 10 ? " …" : "")}, " +
            $"que no comienza{(fuera.Count > 1 ? "n" : "")} con {codigo}.: cambie primero esos códigos (o déjelos en null) y luego este.");
    }

    // The contract's patterns, ending at \z: .NET's $ also matches before a final newline.
    [GeneratedRegex("^" + Nivel + @"\z")]
    private static partial Regex Partida();

    [GeneratedRegex("^" + Nivel + @"\." + Nivel + @"\z")]
    private static partial Regex Capitulo();

    [GeneratedRegex("^" + Nivel + @"\." + Nivel + @"\." + Nivel + @"\z")]
    private static partial Regex Programa();
}
