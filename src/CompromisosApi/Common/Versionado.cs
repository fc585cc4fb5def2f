using System.Globalization;

namespace CompromisosApi.Common;

/// <summary>A resource with the row version (PostgreSQL xmin) that becomes its ETag.</summary>
public sealed record Versionado<T>(T Recurso, uint Version)
{
    public string ETag => Etags.Formatear(Version);
}

/// <summary>
/// The ETag is the version of the stored record. Derived fields such as <c>vencido</c> depend on the cut-off asked
/// for, not on the record, so they do not change it.
/// </summary>
public static class Etags
{
    public static string Formatear(uint version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>
    /// Reads If-Match: null when absent or "*" (any current version); otherwise the versions it names. Weak or
    /// foreign tags can never match under If-Match's strong comparison, so they are left out (all of them → 412).
    /// </summary>
    public static uint[]? Leer(string? valor)
    {
        if (string.IsNullOrWhiteSpace(valor) || valor.Trim() == "*") return null;
        return valor.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(t => t.Length > 2 && t[0] == '"' && t[^1] == '"')
            .Select(t => uint.TryParse(t.AsSpan(1, t.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : (uint?)null)
            .OfType<uint>()
            .ToArray();
    }

    /// <summary>Compares If-Match with the row just locked; throws 412 when it names none of its version.</summary>
    public static void Verificar(uint[]? esperadas, uint actual)
    {
        if (esperadas is not null && !esperadas.Contains(actual)) throw new VersionObsoletaException();
    }
}
