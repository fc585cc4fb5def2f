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
