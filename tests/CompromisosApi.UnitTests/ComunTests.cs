using CompromisosApi.Common;

namespace CompromisosApi.UnitTests;

public sealed class ComunTests
{
    [Theory]
    [InlineData("2009-12", true)]
    [InlineData("1990-01", true)]
    [InlineData("2100-12", true)]
    [InlineData("2009-13", false)]
    [InlineData("2009-00", false)]
    [InlineData("2009-1", false)]
    [InlineData("1989-12", false)]
    [InlineData("2101-01", false)]
    [InlineData("2009-12-01", false)]
    [InlineData("Diciembre 2009", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Meses_yyyy_MM(string? texto, bool valido)
    {
        Assert.Equal(valido, Meses.TryParse(texto, out var mes));
        if (valido) Assert.Equal(texto, Meses.Formatear(mes));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(1L)]
    [InlineData(123456789012L)]
    public void El_cursor_devuelve_la_clave(long clave) =>
        Assert.Equal(clave, Paginacion.Decodificar(Paginacion.Codificar(clave)));

    [Theory]
    [InlineData("basura")]
    [InlineData("")]
    [InlineData("djI6MQ")] // "v2:1"
    [InlineData("%%%")]
    public void Un_cursor_ajeno_no_se_acepta(string cursor) => Assert.Null(Paginacion.Decodificar(cursor));

    [Fact]
    public void Cortar_marca_el_cursor_solo_si_hay_mas()
    {
        var conMas = Paginacion.Cortar([1, 2, 3], 2, x => x, x => x * 10);
        Assert.Equal([10, 20], conMas.Items);
        Assert.Equal(2, Paginacion.Decodificar(conMas.NextCursor!));

        var ultima = Paginacion.Cortar([1, 2], 2, x => x, x => x);
        Assert.Null(ultima.NextCursor);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("*", null)]
    [InlineData("\"42\"", new uint[] { 42 })]
    [InlineData("\"42\", \"43\"", new uint[] { 42, 43 })]
    [InlineData("W/\"42\"", new uint[0])]
    [InlineData("\"abc\"", new uint[0])]
    [InlineData("42", new uint[0])]
    public void If_Match(string? valor, uint[]? esperado) => Assert.Equal(esperado, Etags.Leer(valor));

    [Fact]
    public void Verificar_acepta_la_version_vigente_sola_o_en_lista_y_rechaza_las_demas()
    {
        Etags.Verificar(null, 7);
        Etags.Verificar([7], 7);
        Etags.Verificar([6, 7], 7);
        Assert.Throws<VersionObsoletaException>(() => Etags.Verificar([6], 7));
        Assert.Throws<VersionObsoletaException>(() => Etags.Verificar([], 7));
        Assert.Equal("\"7\"", Etags.Formatear(7));
    }
}
