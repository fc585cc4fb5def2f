using System.Net;
using System.Net.Http.Json;
using CompromisosApi.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CompromisosApi.IntegrationTests;

/// <summary>
/// X-Forwarded-For over a real Kestrel on loopback (the test server has no client address): believed only from the
/// configured proxies, so a client can't pick the address its anonymous quota is counted under or the audit records.
/// </summary>
public sealed class ProxyInversoTests(ApiFactory factory) : PruebaApi(factory)
{
    private sealed record Servicio(WebApplicationFactory<Program> Fabrica, HttpClient Anonimo, HttpClient Escritor) : IDisposable
    {
        public void Dispose()
        {
            Anonimo.Dispose();
            Escritor.Dispose();
            Fabrica.Dispose();
        }
    }

    private Servicio Iniciar(string sujeto, params string[] proxies)
    {
        var fabrica = Factory.WithWebHostBuilder(b =>
        {
            b.UseUrls("http://127.0.0.1:0");
            b.UseSetting("LimitesDeUso:SolicitudesAnonimasPorMinuto", "3");
            for (var i = 0; i < proxies.Length; i++) b.UseSetting($"Proxies:Confiables:{i}", proxies[i]);
        });
        fabrica.UseKestrel();
        fabrica.StartServer();
        var direccion = new Uri(fabrica.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());
        return new Servicio(fabrica, new HttpClient { BaseAddress = direccion },
            new HttpClient { BaseAddress = direccion }.Autenticar(Tokens.Crear(sujeto, ["administrador"])));
    }

    private static async Task<HttpStatusCode> LeerDesde(HttpClient cliente, string reenviado)
    {
        using var m = new HttpRequestMessage(HttpMethod.Get, "/api/v1/lineas-evaluacion");
        m.Headers.Add("X-Forwarded-For", reenviado);
        return (await cliente.SendAsync(m)).StatusCode;
    }

    /// <summary>Writes a ministerio with the given X-Forwarded-For and answers the client address its audit entry shows.</summary>
    private async Task<string?> DireccionAuditadaAsync(HttpClient escritor, string sujeto, string reenviado)
    {
        using var m = new HttpRequestMessage(HttpMethod.Post, "/api/v1/ministerios") { Content = JsonContent.Create(new { nombre = $"Ministerio de {sujeto}" }) };
        m.Headers.Add("X-Forwarded-For", reenviado);
        await Escenario.Esperar(await escritor.SendAsync(m), HttpStatusCode.Created);
        var entrada = (await Escenario.LeerAsync($"/api/v1/auditoria?actor={sujeto}"))["items"]!.AsArray().Single()!;
        return (string?)entrada["direccionCliente"];
    }

    [Fact]
    public async Task Sin_proxies_configurados_X_Forwarded_For_no_cambia_la_direccion()
    {
        using var s = Iniciar("sin-proxy");

        // Three anonymous reads pretending to come from three clients are the same client: the fourth is over quota.
        for (var i = 1; i <= 3; i++) Assert.Equal(HttpStatusCode.OK, await LeerDesde(s.Anonimo, $"198.51.100.{i}"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await LeerDesde(s.Anonimo, "198.51.100.4"));

        Assert.Equal("127.0.0.1", await DireccionAuditadaAsync(s.Escritor, "sin-proxy", "198.51.100.7"));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.0/8")]
    [InlineData("::1", "127.0.0.1")]
    public async Task Desde_un_proxy_configurado_cuenta_la_direccion_del_cliente(params string[] proxies)
    {
        var sujeto = $"tras-proxy-{proxies.Length}-{proxies[^1].Length}";
        using var s = Iniciar(sujeto, proxies);

        // Each forwarded client has its own quota…
        for (var i = 1; i <= 4; i++) Assert.Equal(HttpStatusCode.OK, await LeerDesde(s.Anonimo, $"198.51.100.{i}"));
        // …and a client can't escape its own by prepending addresses: only the hop the proxy added counts.
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, await LeerDesde(s.Anonimo, $"10.0.0.{i}, 198.51.100.9"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await LeerDesde(s.Anonimo, "10.0.0.99, 198.51.100.9"));

        Assert.Equal("198.51.100.7", await DireccionAuditadaAsync(s.Escritor, sujeto, "203.0.113.5, 198.51.100.7"));
    }

    [Fact]
    public void Un_proxy_mal_escrito_impide_el_arranque()
    {
        using var fabrica = Factory.WithWebHostBuilder(b => b.UseSetting("Proxies:Confiables:0", "proxy.interno"));
        Assert.ThrowsAny<Exception>(() => fabrica.CreateClient());
    }
}
