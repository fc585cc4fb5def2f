using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace CompromisosApi.Features.Informes;

/// <summary>The same informe gives the same PDF bytes.</summary>
internal static partial class PdfSinAzar
{
    /// <summary>
    /// PDFsharp 6.2 draws two things at random while saving, with no setting to fix them: the six-letter tag of each
    /// font subset ("ILWGDS+DejaVu Sans Condensed") and the XMP DocumentID/InstanceID. Both are rewritten here from
    /// the content's hash, in place and with the same length, so the cross-reference offsets stay valid. They sit in
    /// uncompressed dictionaries and in the uncompressed XMP stream; the determinism test fails if that changes.
    /// </summary>
    public static byte[] Aplicar(byte[] pdf, byte[] huella)
    {
        var texto = Encoding.Latin1.GetString(pdf);
        texto = EtiquetaDeSubconjunto().Replace(texto, m => Etiqueta(huella, m.Groups["fuente"].Value) + "+" + m.Groups["fuente"].Value);
        texto = UuidXmp().Replace(texto, m => new Guid(huella.AsSpan(m.Groups["campo"].Value == "DocumentID" ? 0 : 16, 16)).ToString());
        return Encoding.Latin1.GetBytes(texto);
    }

    /// <summary>Six capital letters, as PDF requires of a subset tag, from the content and the font's name.</summary>
    private static string Etiqueta(byte[] huella, string fuente)
    {
        var h = SHA256.HashData([.. huella, .. Encoding.UTF8.GetBytes(fuente)]);
        return string.Concat(h.Take(6).Select(b => (char)('A' + b % 26)));
    }

    [GeneratedRegex(@"(?<=/(?:BaseFont|FontName)/)[A-Z]{6}\+(?<fuente>[^/\[\]<>()\s]+)")]
    private static partial Regex EtiquetaDeSubconjunto();

    [GeneratedRegex(@"(?<=<xmpMM:(?<campo>DocumentID|InstanceID)>uuid:)[0-9a-fA-F-]{36}")]
    private static partial Regex UuidXmp();
}
