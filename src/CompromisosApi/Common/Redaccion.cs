namespace CompromisosApi.Common;

/// <summary>
/// What the audit trail keeps of a value that may carry credentials. A webhook receiver's URL often carries its token
/// in the query (or, less often, a user and password), and the trail is read by people who may not see it.
/// </summary>
public static class Redaccion
{
    public const string Marca = "[redactado]";

    /// <summary>
    /// The URL with its user-info and every query value replaced, names kept
    /// (<c>https://[redactado]@host/ruta?token=[redactado]</c>), and any fragment replaced: the entry still says where
    /// it pointed. A query part without '=' may be the token itself, so it is replaced whole. Works on the text as
    /// stored, without parsing it as a URI, so nothing a parser would normalise or reject can slip through.
    /// </summary>
    public static string? Url(string? url)
    {
        if (url is null) return null;
        var fragmento = url.IndexOf('#');
        var resto = fragmento < 0 ? url : url[..fragmento];
        var signo = resto.IndexOf('?');
        var sinConsulta = signo < 0 ? resto : resto[..signo];

        var inicio = sinConsulta.IndexOf("//", StringComparison.Ordinal);
        if (inicio >= 0)
        {
            // The authority ends at the first '/' or '\' (URI parsers read a backslash as '/' in http URLs); its
            // user-info is everything before its last '@'.
            var autoridad = inicio + 2;
            var fin = sinConsulta.IndexOfAny(['/', '\\'], autoridad);
            if (fin < 0) fin = sinConsulta.Length;
            var arroba = sinConsulta.LastIndexOf('@', fin - 1, fin - autoridad);
            if (arroba >= 0) sinConsulta = sinConsulta[..autoridad] + Marca + sinConsulta[arroba..];
        }

        var resultado = sinConsulta;
        if (signo >= 0)
        {
            var partes = resto[(signo + 1)..].Split('&')
                .Select(p => p.Length == 0 ? p : p.IndexOf('=') is var igual and >= 0 ? p[..(igual + 1)] + Marca : Marca);
            resultado += "?" + string.Join('&', partes);
        }

        return fragmento < 0 ? resultado : resultado + "#" + Marca;
    }
}
