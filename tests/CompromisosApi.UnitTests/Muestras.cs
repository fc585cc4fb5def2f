using System.IO.Compression;
using System.Text;

namespace CompromisosApi.Tests;

/// <summary>
/// Tiny but well-formed samples of every accepted evidence type, and of some that must be refused, built here so no
/// binary fixture is needed. Shared by the unit and the integration tests (linked into both).
/// </summary>
public static class Muestras
{
    /// <summary>A PDF of exactly <paramref name="tamano"/> bytes: header, deterministic filler, trailer.</summary>
    public static byte[] Pdf(int tamano, int semilla = 1)
    {
        var cabeza = "%PDF-1.7\n"u8;
        var cola = "\n%%EOF\n"u8;
        var datos = new byte[Math.Max(tamano, cabeza.Length + cola.Length)];
        new Random(semilla).NextBytes(datos);
        cabeza.CopyTo(datos);
        cola.CopyTo(datos.AsSpan(datos.Length - cola.Length));
        return datos;
    }

    /// <summary>A 1×1 PNG.</summary>
    public static byte[] Png() => Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    /// <summary>The start of a JFIF JPEG (SOI, APP0) and its end (EOI): what a sniffer sees of one.</summary>
    public static byte[] Jpeg() =>
    [
        0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
        0xFF, 0xD9,
    ];

    public static byte[] Docx() => Zip(
        ("[Content_Types].xml", "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>", CompressionLevel.Optimal),
        ("_rels/.rels", "<?xml version=\"1.0\"?><Relationships/>", CompressionLevel.Optimal),
        ("word/document.xml", "<?xml version=\"1.0\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"/>", CompressionLevel.Optimal));

    public static byte[] Xlsx() => Zip(
        ("[Content_Types].xml", "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>", CompressionLevel.Optimal),
        ("_rels/.rels", "<?xml version=\"1.0\"?><Relationships/>", CompressionLevel.Optimal),
        ("xl/workbook.xml", "<?xml version=\"1.0\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"/>", CompressionLevel.Optimal));

    public static byte[] Odt() => OpenDocument("application/vnd.oasis.opendocument.text");

    public static byte[] Ods() => OpenDocument("application/vnd.oasis.opendocument.spreadsheet");

    /// <summary>An OpenDocument presentation: a real ODF package, but not a type evidence accepts.</summary>
    public static byte[] Odp() => OpenDocument("application/vnd.oasis.opendocument.presentation");

    /// <summary>A ZIP that is no office document.</summary>
    public static byte[] ZipCualquiera() => Zip(("notas.txt", "hola", CompressionLevel.Optimal), ("datos/a.csv", "1,2", CompressionLevel.Optimal));

    /// <summary>A Windows executable's first bytes (MZ header and DOS stub).</summary>
    public static byte[] ExeWindows()
    {
        var datos = new byte[4096];
        new Random(7).NextBytes(datos);
        "MZ"u8.CopyTo(datos);
        "This program cannot be run in DOS mode."u8.CopyTo(datos.AsSpan(0x4E));
        return datos;
    }

    /// <summary>An ELF executable's first bytes.</summary>
    public static byte[] Elf()
    {
        var datos = new byte[4096];
        new Random(8).NextBytes(datos);
        new byte[] { 0x7F, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0 }.CopyTo(datos, 0);
        return datos;
    }

    private static byte[] OpenDocument(string tipo) => Zip(
        ("mimetype", tipo, CompressionLevel.NoCompression),
        ("content.xml", "<?xml version=\"1.0\"?><office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\"/>", CompressionLevel.Optimal),
        ("META-INF/manifest.xml", "<?xml version=\"1.0\"?><manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\"/>", CompressionLevel.Optimal));

    private static byte[] Zip(params (string Nombre, string Contenido, CompressionLevel Nivel)[] entradas)
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (nombre, contenido, nivel) in entradas)
            {
                using var s = zip.CreateEntry(nombre, nivel).Open();
                s.Write(Encoding.UTF8.GetBytes(contenido));
            }
        }

        return ms.ToArray();
    }
}
