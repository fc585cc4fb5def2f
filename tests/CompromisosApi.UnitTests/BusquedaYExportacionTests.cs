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
