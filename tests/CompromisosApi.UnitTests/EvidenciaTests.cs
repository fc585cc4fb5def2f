using System.Text;
using CompromisosApi.Common;
using CompromisosApi.Features.Evidencia;
using CompromisosApi.Tests;

namespace CompromisosApi.UnitTests;

public sealed class EvidenciaTests
{
    public static TheoryData<string, string?> Casos() => new()
    {
        { "pdf", TiposDeEvidencia.Pdf },
        { "png", TiposDeEvidencia.Png },
        { "jpeg", TiposDeEvidencia.Jpeg },
        { "docx", TiposDeEvidencia.Docx },
        { "xlsx", TiposDeEvidencia.Xlsx },
        { "odt", TiposDeEvidencia.Odt },
        { "ods", TiposDeEvidencia.Ods },
        { "odp", null },
        { "zip", null },
        { "exe", null },
        { "elf", null },
        { "texto", null },
        { "vacio", null },
        { "pdf-corto", null },
    };

    private static byte[] Muestra(string nombre) => nombre switch
    {
        "pdf" => Muestras.Pdf(3000),
        "png" => Muestras.Png(),
        "jpeg" => Muestras.Jpeg(),
        "docx" => Muestras.Docx(),
        "xlsx" => Muestras.Xlsx(),
        "odt" => Muestras.Odt(),
        "ods" => Muestras.Ods(),
        "odp" => Muestras.Odp(),
        "zip" => Muestras.ZipCualquiera(),
        "exe" => Muestras.ExeWindows(),
        "elf" => Muestras.Elf(),
        "texto" => Encoding.UTF8.GetBytes("%PDF no es esto: un texto cualquiera"),
        "vacio" => [],
        "pdf-corto" => "%PD"u8.ToArray(),
        _ => throw new ArgumentOutOfRangeException(nameof(nombre)),
    };

    [Theory]
    [InlineData("informe.html", TiposDeEvidencia.Pdf, "informe.pdf")]
    [InlineData("informe.pdf", TiposDeEvidencia.Pdf, "informe.pdf")]
    [InlineData("Informe.PDF", TiposDeEvidencia.Pdf, "Informe.pdf")]
    [InlineData("minuta año 2009.svg", TiposDeEvidencia.Png, "minuta año 2009.png")]
    [InlineData("foto.bin", TiposDeEvidencia.Jpeg, "foto.jpg")]
    [InlineData("acta", TiposDeEvidencia.Odt, "acta.odt")]
    [InlineData("planilla.xlsm", TiposDeEvidencia.Xlsx, "planilla.xlsx")]
    [InlineData("cuadro.ods.exe", TiposDeEvidencia.Ods, "cuadro.ods.ods")]
    [InlineData("informe.docx.html", TiposDeEvidencia.Docx, "informe.docx.docx")]
    [InlineData("informe.html.", TiposDeEvidencia.Pdf, "informe.html.pdf")]
    [InlineData(".htaccess", TiposDeEvidencia.Pdf, "archivo.pdf")]
    [InlineData("...", TiposDeEvidencia.Pdf, "archivo.pdf")]
    public void La_descarga_lleva_la_extension_del_tipo_detectado(string subido, string tipo, string descargado) =>
        Assert.Equal(descargado, TiposDeEvidencia.NombreDeDescarga(subido, tipo));

    [Fact]
    public void Cada_tipo_admitido_tiene_extension() =>
        Assert.All(TiposDeEvidencia.Admitidos, t => Assert.StartsWith("archivo.", TiposDeEvidencia.NombreDeDescarga("", t)));

    [Theory]
    [MemberData(nameof(Casos))]
    public void El_tipo_se_juzga_por_el_contenido_en_cualquier_particion(string muestra, string? esperado)
    {
        var datos = Muestra(muestra);
        // Whole, byte by byte, and in uneven pieces: the answer can't depend on how the upload arrives.
        foreach (var pedazo in new[] { Math.Max(1, datos.Length), 1, 3, 7, 29, 512 })
        {
            var d = new DetectorDeTipo();
            for (var i = 0; i < datos.Length && !d.Descartado; i += pedazo) d.Observar(datos.AsSpan(i, Math.Min(pedazo, datos.Length - i)));
            Assert.Equal(esperado, d.Concluir());
        }
    }

    [Fact]
    public void Un_ejecutable_se_descarta_en_sus_primeros_bytes()
    {
        var d = new DetectorDeTipo();
        d.Observar(Muestras.ExeWindows().AsSpan(0, 8));
        Assert.True(d.Descartado);
        var pdf = new DetectorDeTipo();
        pdf.Observar("%PD"u8);
        Assert.False(pdf.Descartado);
    }

    [Fact]
    public async Task El_flujo_verificado_corta_en_el_primer_byte_sobre_el_limite()
    {
        var datos = Muestras.Pdf(1001);
        var justo = new FlujoVerificado(new MemoryStream(datos, 0, 1000), 1000);
        await justo.CopyToAsync(Stream.Null);
        Assert.Equal(TiposDeEvidencia.Pdf, justo.Tipo);

        var sobre = new FlujoVerificado(new MemoryStream(datos), 1000);
        var e = await Assert.ThrowsAsync<ProblemaHttpException>(() => sobre.CopyToAsync(Stream.Null));
        Assert.Equal(413, e.Status);
        var exe = new FlujoVerificado(new MemoryStream(Muestras.ExeWindows()), 1_000_000);
        Assert.Equal(415, (await Assert.ThrowsAsync<ProblemaHttpException>(() => exe.CopyToAsync(Stream.Null))).Status);
    }
}
