using System.Net;
using CompromisosApi.Common;
using CompromisosApi.Features.Webhooks;
using Microsoft.Extensions.Primitives;
using static CompromisosApi.UnitTests.Destinos;

namespace CompromisosApi.UnitTests;

public sealed class EventosTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.255.255.254")]
    [InlineData("10.0.0.1")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.0.1")]
    [InlineData("169.254.169.254")]
    [InlineData("100.64.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("192.0.2.1")]
    [InlineData("::1")]
    [InlineData("::")]
    [InlineData("::127.0.0.1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:10.1.2.3")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("64:ff9b::7f00:1")]
    [InlineData("2002:7f00:1::")]
    [InlineData("2002:a00:1::1")]
    [InlineData("fe80::1")]
    [InlineData("fe80::1%2")]
    [InlineData("fc00::1")]
    [InlineData("fd12:3456::1")]
    [InlineData("fec0::1")]
    [InlineData("ff02::1")]
    [InlineData("2001:db8::1")]
    [InlineData("2001:0:4136:e378::1")]
    public void Las_direcciones_privadas_de_loopback_de_enlace_local_y_reservadas_no_son_publicas(string direccion)
    {
        var ip = IPAddress.Parse(direccion);
        Assert.False(PoliticaDeDestinos.EsPublica(PoliticaDeDestinos.Normalizar(ip)));
        Assert.False(Politica().Permitida("destino", ip));
    }

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("200.1.2.3")]
    [InlineData("172.32.0.1")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("2800:150::1")]
    [InlineData("2002:808:808::1")]
    public void Las_direcciones_publicas_se_permiten(string direccion) =>
        Assert.True(Politica().Permitida("destino", IPAddress.Parse(direccion)));

    [Fact]
    public void La_lista_permitida_nombra_direcciones_redes_y_hosts()
    {
        var politica = Politica("127.0.0.1", "10.20.0.0/16", "receptor.interno");
        Assert.True(politica.Permitida("x", IPAddress.Parse("127.0.0.1")));
        Assert.True(politica.Permitida("x", IPAddress.Parse("::ffff:127.0.0.1")));
        Assert.False(politica.Permitida("x", IPAddress.Parse("127.0.0.2")));
        Assert.False(politica.Permitida("x", IPAddress.Parse("::1")));
        Assert.True(politica.Permitida("x", IPAddress.Parse("10.20.3.4")));
        Assert.False(politica.Permitida("x", IPAddress.Parse("10.21.0.1")));
        Assert.True(politica.Permitida("RECEPTOR.interno", IPAddress.Parse("192.168.1.1")));
    }

    [Theory]
    [InlineData("http://127.0.0.1:1/x", "127.0.0.1", true)]
    [InlineData("http://127.0.0.1:1/x", null, false)]
    [InlineData("https://[::ffff:127.0.0.1]/x", null, false)]
    [InlineData("https://localhost/x", null, false)]
    [InlineData("https://8.8.8.8/x", null, true)]
    [InlineData("http://8.8.8.8/x", null, false)]
    [InlineData("https://8.8.8.8/x#f", null, false)]
    [InlineData("https://u:p@8.8.8.8/x", null, false)]
    [InlineData("file:///etc/passwd", null, false)]
    public async Task Valida_la_url_de_una_suscripcion(string url, string? permitido, bool valida)
    {
        var politica = permitido is null ? Politica() : Politica(permitido);
        Assert.Equal(valida, await politica.ValidarAsync(url, default) is null);
    }

    [Theory]
    [InlineData("\"8e03978e-40d5-43e8-bc93-6894a57f9324\"", "8e03978e-40d5-43e8-bc93-6894a57f9324")]
    [InlineData("8e03978e-40d5-43e8-bc93-6894a57f9324", "8e03978e-40d5-43e8-bc93-6894a57f9324")]
    [InlineData("  \"abc\"\t", "abc")]
    [InlineData("\"con \\\"comillas\\\" y \\\\\"", "con \"comillas\" y \\")]
    [InlineData("\"con espacios\"", "con espacios")]
    public void Lee_la_clave_como_cadena_estructurada_o_sin_comillas(string valor, string clave)
    {
        Assert.True(Idempotencia.TryLeer(new StringValues(valor), out var leida, out _));
        Assert.Equal(clave, leida);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\"\"")]
    [InlineData("\"a\\b\"")]
    [InlineData("\"a\"b\"")]
    [InlineData("dos palabras")]
    [InlineData("a,b")]
    [InlineData("\"ñ\"")]
    [InlineData("\"tab\there\"")]
    public void Rechaza_claves_mal_formadas(string valor) => Assert.False(Idempotencia.TryLeer(new StringValues(valor), out _, out _));

    [Fact]
    public void Rechaza_claves_largas_o_repetidas()
    {
        Assert.True(Idempotencia.TryLeer(new StringValues(new string('k', 255)), out _, out _));
        Assert.False(Idempotencia.TryLeer(new StringValues(new string('k', 256)), out _, out _));
        Assert.False(Idempotencia.TryLeer(new StringValues(["a", "b"]), out _, out _));
    }

    [Fact]
    public void La_espera_entre_reintentos_crece_exponencialmente_con_variacion_y_tope()
    {
        var o = new OpcionesWebhooks { EsperaInicial = TimeSpan.FromSeconds(10), EsperaMaxima = TimeSpan.FromMinutes(5) };
        for (var intento = 1; intento <= 12; intento++)
        {
            var tope = Math.Min(300, 10 * Math.Pow(2, intento - 1));
            var esperas = Enumerable.Range(0, 200).Select(_ => RelayDeWebhooks.Espera(intento, o).TotalSeconds).ToList();
            Assert.All(esperas, e => Assert.InRange(e, tope / 2, tope));
            Assert.True(esperas.Distinct().Count() > 100, "sin variación aleatoria");
        }
    }
}
