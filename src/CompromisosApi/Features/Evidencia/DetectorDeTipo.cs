using System.Buffers.Binary;

namespace CompromisosApi.Features.Evidencia;

/// <summary>The kinds of file accepted as evidence, by the media type served back.</summary>
public static class TiposDeEvidencia
{
    public const string Pdf = "application/pdf";
    public const string Docx = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    public const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public const string Odt = "application/vnd.oasis.opendocument.text";
    public const string Ods = "application/vnd.oasis.opendocument.spreadsheet";
    public const string Png = "image/png";
    public const string Jpeg = "image/jpeg";

    public static readonly IReadOnlyList<string> Admitidos = [Pdf, Docx, Xlsx, Odt, Ods, Png, Jpeg];

    private static readonly Dictionary<string, string> Extensiones = new()
    {
        [Pdf] = ".pdf", [Docx] = ".docx", [Xlsx] = ".xlsx", [Odt] = ".odt", [Ods] = ".ods", [Png] = ".png", [Jpeg] = ".jpg",
    };

    /// <summary>
    /// The name a download is saved under: the uploader's name with the extension of the type found in the content,
    /// whatever extension it came with ("informe.html" holding a PDF is saved as "informe.pdf"), so the file opens
    /// with the program for what it is, never with a browser or anything its name would pick. The record keeps the
    /// name as uploaded.
    /// </summary>
    public static string NombreDeDescarga(string nombre, string tipo)
    {
        var baseDelNombre = Path.GetFileNameWithoutExtension(nombre).TrimEnd('.', ' ');
        return (baseDelNombre.Length == 0 ? "archivo" : baseDelNombre) + Extensiones[tipo];
    }
}

/// <summary>
/// Tells an evidence file's type from its bytes as they stream past, never from its name or declared type: PDF
/// (<c>%PDF-</c>), PNG and JPEG by their signatures; ODT and ODS as ZIP archives whose first entry is the stored
/// <c>mimetype</c> with that media type (as the OpenDocument specification requires); DOCX and XLSX as ZIP archives
/// holding <c>[Content_Types].xml</c> and <c>word/</c> or <c>xl/</c> entries, whose names are read from the local
/// file headers on the way (nothing is decompressed or buffered beyond the first 4 KB).
/// </summary>
public sealed class DetectorDeTipo
{
    private const int LargoCabeza = 4096;
    private const int LargoMaximoNombre = 512;
    private const uint FirmaZip = 0x04034b50; // "PK\x03\x04", little-endian

    private static readonly byte[] FirmaPdf = "%PDF-"u8.ToArray();
    private static readonly byte[] FirmaPng = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly byte[] FirmaJpeg = [0xFF, 0xD8, 0xFF];
    private static readonly byte[] PrefijoZip = "PK\x03\x04"u8.ToArray();

    /// <summary>Signatures at the start of the content; a null type is the ZIP family, told apart by its entries.</summary>
    private static readonly (byte[] Firma, string? Tipo)[] Firmas =
        [(FirmaPdf, TiposDeEvidencia.Pdf), (FirmaPng, TiposDeEvidencia.Png), (FirmaJpeg, TiposDeEvidencia.Jpeg), (PrefijoZip, null)];

    private readonly byte[] _cabeza = new byte[LargoCabeza];
    private int _enCabeza;
    private string? _tipoPorFirma;
    private bool _esZip;
    private bool _descartado;

    // Scanning ZIP local file headers across reads: the last four bytes seen, then the 26 bytes after a signature,
    // then the entry name.
    private uint _ultimos;
    private int _estado; // 0 searching, 1 header, 2 name
    private readonly byte[] _encabezado = new byte[26];
    private int _enEncabezado;
    private readonly byte[] _nombre = new byte[LargoMaximoNombre];
    private int _largoNombre;
    private int _enNombre;
    private bool _tieneContentTypes;
    private bool _tieneWord;
    private bool _tieneXl;

    /// <summary>True once the bytes seen can't be any accepted type: the upload can stop here.</summary>
    public bool Descartado => _descartado;

    public void Observar(ReadOnlySpan<byte> datos)
    {
        if (_descartado) return;
        if (_enCabeza < LargoCabeza)
        {
            var n = Math.Min(datos.Length, LargoCabeza - _enCabeza);
            datos[..n].CopyTo(_cabeza.AsSpan(_enCabeza));
            _enCabeza += n;
            ClasificarCabeza(final: false);
            if (_descartado) return;
        }

        // Scanned from the first byte, before the head says it is a ZIP: the first entry's header starts at 0.
        if (_tipoPorFirma is null && !(_tieneContentTypes && (_tieneWord || _tieneXl))) BuscarEntradas(datos);
    }

    /// <summary>At the end of the content: the media type, or null when it is not an accepted type.</summary>
    public string? Concluir()
    {
        if (_descartado) return null;
        ClasificarCabeza(final: true);
        if (_descartado) return null;
        if (_tipoPorFirma is not null) return _tipoPorFirma;
        if (!_esZip) return null;
        if (OpenDocument() is { } odf) return odf;
        if (_tieneContentTypes && _tieneWord) return TiposDeEvidencia.Docx;
        if (_tieneContentTypes && _tieneXl) return TiposDeEvidencia.Xlsx;
        return null;
    }

    private void ClasificarCabeza(bool final)
    {
        if (_tipoPorFirma is not null || _esZip) return;
        var cabeza = _cabeza.AsSpan(0, _enCabeza);
        var posible = false;
        foreach (var (firma, tipo) in Firmas)
        {
            if (cabeza.Length >= firma.Length)
            {
                if (!cabeza.StartsWith(firma)) continue;
                if (tipo is null) _esZip = true;
                else _tipoPorFirma = tipo;
                return;
            }

            // Too few bytes yet to tell: still possible while they agree so far.
            if (firma.AsSpan(0, cabeza.Length).SequenceEqual(cabeza)) posible = true;
        }

        if (!posible || final) _descartado = true;
    }

    /// <summary>The first entry of an OpenDocument package is "mimetype", stored uncompressed, holding its media type.</summary>
    private string? OpenDocument()
    {
        var c = _cabeza.AsSpan(0, _enCabeza);
        if (c.Length < 30) return null;
        var metodo = BinaryPrimitives.ReadUInt16LittleEndian(c[8..]);
        var comprimido = BinaryPrimitives.ReadUInt32LittleEndian(c[18..]);
        var largoNombre = BinaryPrimitives.ReadUInt16LittleEndian(c[26..]);
        var largoExtra = BinaryPrimitives.ReadUInt16LittleEndian(c[28..]);
        var inicio = 30 + largoNombre + largoExtra;
        if (metodo != 0 || comprimido > 100 || c.Length < inicio + comprimido) return null;
        if (!c.Slice(30, largoNombre).SequenceEqual("mimetype"u8)) return null;
        var contenido = c.Slice(inicio, (int)comprimido);
        if (contenido.SequenceEqual("application/vnd.oasis.opendocument.text"u8)) return TiposDeEvidencia.Odt;
        if (contenido.SequenceEqual("application/vnd.oasis.opendocument.spreadsheet"u8)) return TiposDeEvidencia.Ods;
        return null;
    }

    private void BuscarEntradas(ReadOnlySpan<byte> datos)
    {
        for (var i = 0; i < datos.Length; i++)
        {
            var b = datos[i];
            switch (_estado)
            {
                case 0:
                    _ultimos = (_ultimos >> 8) | ((uint)b << 24);
                    if (_ultimos == FirmaZip)
                    {
                        _estado = 1;
                        _enEncabezado = 0;
                    }

                    break;
                case 1:
                    _encabezado[_enEncabezado++] = b;
                    if (_enEncabezado == _encabezado.Length)
                    {
                        // After the signature: version(2) flags(2) method(2) time(2) date(2) crc(4) sizes(8) name length(2) extra(2).
                        _largoNombre = BinaryPrimitives.ReadUInt16LittleEndian(_encabezado.AsSpan(22));
                        _enNombre = 0;
                        _estado = _largoNombre is > 0 and <= LargoMaximoNombre ? 2 : 0;
                        _ultimos = 0;
                    }

                    break;
                default:
                    _nombre[_enNombre++] = b;
                    if (_enNombre == _largoNombre)
                    {
                        Anotar(_nombre.AsSpan(0, _largoNombre));
                        _estado = 0;
                        _ultimos = 0;
                        if (_tieneContentTypes && (_tieneWord || _tieneXl)) return;
                    }

                    break;
            }
        }
    }

    private void Anotar(ReadOnlySpan<byte> nombre)
    {
        if (nombre.SequenceEqual("[Content_Types].xml"u8)) _tieneContentTypes = true;
        else if (nombre.StartsWith("word/"u8)) _tieneWord = true;
        else if (nombre.StartsWith("xl/"u8)) _tieneXl = true;
    }
}
