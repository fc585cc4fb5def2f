using System.Globalization;

namespace CompromisosApi.Common;

/// <summary>A resource with the row version (PostgreSQL xmin) that becomes its ETag.</summary>
public sealed record Versionado<T>(T Recurso, uint Version)
{
    public string ETag => Etags.Formatear(Version);
}

public static class Etags
{
    public static string Formatear(uint version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>
    /// Reads If-Match. Returns null when absent or "*" (any current version); a value that can't be one of our ETags yields 0, which
    /// never matches a live row (xmin 0 is reserved), so it fails as stale instead of slipping through.
    /// </summary>
    public static uint? Leer(string? valor)
    {
        if (string.IsNullOrWhiteSpace(valor)) return null;
        valor = valor.Trim();
        if (valor.StartsWith("W/", StringComparison.Ordinal)) return 0;
        if (valor == "*") return null;
        valor = valor.Trim('"');
        return uint.TryParse(valor, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0;
    }

    /// <summary>Compares If-Match with the row just locked; throws 412 when stale.</summary>
    public static void Verificar(uint? esperada, uint actual)
    {
        if (esperada is { } e && e != actual) throw new VersionObsoletaException();
    }
}
