using CompromisosApi.Common;

namespace CompromisosApi.UnitTests;

public sealed class CalendarioTests
{
    private sealed class Reloj(DateTimeOffset ahora) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => ahora;
    }

    [Theory]
    // Summer (UTC-3): 02:00 UTC on 1 December is still 30 November in Santiago, so December is not yet due.
    [InlineData("2013-12-01T02:00:00Z", "2013-11-30")]
    [InlineData("2013-12-01T03:00:00Z", "2013-12-01")]
    // Winter (UTC-4): 03:30 UTC on 1 July is 23:30 on 30 June, the June cut-off.
    [InlineData("2013-07-01T03:30:00Z", "2013-06-30")]
    [InlineData("2013-07-01T04:00:00Z", "2013-07-01")]
    public void Hoy_es_la_fecha_de_Santiago(string instanteUtc, string hoy) =>
        Assert.Equal(DateOnly.Parse(hoy), new Calendario(new Reloj(DateTimeOffset.Parse(instanteUtc))).Hoy());
}

public sealed class CortesTests
{
    private sealed class Reloj(DateTimeOffset ahora) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => ahora;
    }

    private static Calendario Con(string ahoraUtc, string[]? cortes = null, int plazo = 15) =>
        new(new Reloj(DateTimeOffset.Parse(ahoraUtc)),
            Microsoft.Extensions.Options.Options.Create(new OpcionesCalendario { Cortes = cortes, DiasPlazoReporte = plazo }));

    [Fact]
    public void Por_omision_30_de_junio_y_31_de_diciembre_con_15_dias_de_plazo()
    {
        var c = Con("2013-08-01T12:00:00Z");
        Assert.Equal(
            [new DateOnly(2009, 6, 30), new DateOnly(2009, 12, 31), new DateOnly(2010, 6, 30)],
            c.Cortes(new DateOnly(2009, 6, 30), new DateOnly(2010, 12, 30)).ToList());
        Assert.True(c.EsCorte(new DateOnly(2011, 12, 31)));
        Assert.False(c.EsCorte(new DateOnly(2010, 6, 29)));
        Assert.Equal(new DateOnly(2010, 1, 15), c.PlazoReporte(new DateOnly(2009, 12, 31)));
        Assert.Equal(new DateOnly(2013, 6, 30), c.CorteActual());
    }

    [Theory]
    [InlineData("2013-06-30", "2013-06-30")]
    [InlineData("2013-06-29", "2012-12-31")]
    [InlineData("2013-01-01", "2012-12-31")]
    [InlineData("2013-12-31", "2013-12-31")]
    [InlineData("2013-12-30", "2013-06-30")]
    public void El_corte_a_una_fecha_es_el_ultimo_igual_o_anterior(string fecha, string corte) =>
        Assert.Equal(DateOnly.Parse(corte), Con("2020-01-01T12:00:00Z").CorteAl(DateOnly.Parse(fecha)));

    [Fact]
    public void El_corte_actual_es_de_la_fecha_de_Chile()
    {
        // 02:00 UTC on 1 January 2014 is still 31 December 2013 in Santiago (summer, UTC-3).
        Assert.Equal(new DateOnly(2013, 12, 31), Con("2014-01-01T02:00:00Z").CorteActual());
        Assert.Equal(new DateOnly(2013, 12, 31), Con("2014-06-29T12:00:00Z").CorteActual());
    }

    [Fact]
    public void Los_cortes_se_configuran()
    {
        var c = Con("2013-08-01T12:00:00Z", ["09-30", "03-31"], 10);
        Assert.Equal([new DateOnly(2013, 3, 31), new DateOnly(2013, 9, 30)], c.Cortes(new DateOnly(2013, 1, 1), new DateOnly(2013, 12, 31)).ToList());
        Assert.Equal(new DateOnly(2013, 4, 10), c.PlazoReporte(new DateOnly(2013, 3, 31)));
        Assert.Equal(new DateOnly(2013, 3, 31), c.CorteActual());
        Assert.False(c.EsCorte(new DateOnly(2013, 6, 30)));
    }

    [Theory]
    [InlineData("02-29")]
    [InlineData("13-01")]
    [InlineData("06-31")]
    [InlineData("30-06")]
    [InlineData("")]
    public void Un_corte_que_no_existe_todos_los_anios_no_se_acepta(string corte) =>
        Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => Con("2013-08-01T12:00:00Z", [corte]));
}
