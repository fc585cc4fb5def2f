using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using CompromisosApi.IntegrationTests.Infrastructure;
using CompromisosApi.Tests;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit.Abstractions;

namespace CompromisosApi.IntegrationTests;

/// <summary>
/// A slow but steady reader keeps its download; a stopped one loses its turn after the grace period. Alone for the
/// reason <see cref="LectoresLentosTests"/> gives: the timings are bounds that other tests' load would break.
/// </summary>
[Collection(nameof(ColeccionAislada))]
public sealed class LectoresDetenidosTests(ApiFactory factory, ITestOutputHelper salida) : PruebaApi(factory)
{
    private const int TamanoGrande = 16 * 1024 * 1024;

    /// <summary>A Kestrel host whose floor is 16 KB/s (so that a stall shows in seconds), with a 16 MB file to download.</summary>
    private async Task<(WebApplicationFactory<Program> Host, Uri Uri, string Ruta)> DescargaGrandeAsync()
    {
        var host = Factory.WithWebHostBuilder(b => b
            .UseUrls("http://127.0.0.1:0")
            .UseSetting("Transferencias:PorDireccion", "1")
            .UseSetting("Transferencias:GraciaSegundos", "2")
            .UseSetting("Transferencias:BytesPorSegundoMinimo", "16384"));
        host.UseKestrel();
        host.StartServer();
        var uri = new Uri(host.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());
        using var cliente = new HttpClient { BaseAddress = uri }.Autenticar(Tokens.Crear("ana", ["analista", "administrador"]));
        var (_, _, compromiso) = await new Escenario(cliente).CompromisoPendienteAsync();
        var subida = await Escenario.SubirArchivoAsync(cliente, compromiso, Muestras.Pdf(TamanoGrande, semilla: 9));
        await Escenario.Esperar(subida, HttpStatusCode.Created);
        return (host, uri, $"/api/v1/compromisos/{compromiso}/medios-verificacion/{(long)(await subida.Content.ReadFromJsonAsync<JsonObject>())!["id"]!}/contenido");
    }

    /// <summary>A steady reader well above the floor keeps its download, however long the kernel makes the server wait.</summary>
    [Fact]
    public async Task Un_lector_lento_pero_constante_no_se_corta()
    {
        var (host, uri, ruta) = await DescargaGrandeAsync();
        using var _ = host;
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await s.ConnectAsync(IPAddress.Loopback, uri.Port);
        await s.SendAsync(Encoding.ASCII.GetBytes($"GET {ruta} HTTP/1.1\r\nHost: {uri.Authority}\r\nConnection: close\r\n\r\n"));
        // 100 KB/s for 15 s: 6 KB of the socket every 60 ms.
        var buffer = new byte[6 * 1024];
        long recibidos = 0;
        var reloj = Stopwatch.StartNew();
        while (reloj.Elapsed < TimeSpan.FromSeconds(15))
        {
            var n = await s.ReceiveAsync(buffer);
            Assert.True(n > 0, $"Cortado tras {reloj.Elapsed.TotalSeconds:F1} s y {recibidos} bytes.");
            recibidos += n;
            await Task.Delay(60);
        }

        salida.WriteLine($"Lector constante: {recibidos} bytes en {reloj.Elapsed.TotalSeconds:F0} s, sin corte");
    }

    /// <summary>
    /// A reader that stops reading loses its transfer slot: once the socket's (capped) buffer is full, each piece must
    /// leave within half that buffer at the floor rate, so it can't hold a slot for long.
    /// </summary>
    [Fact]
    public async Task Un_lector_detenido_pierde_su_turno_tras_la_gracia()
    {
        var (host, uri, ruta) = await DescargaGrandeAsync();
        using var _ = host;
        const int Tamano = TamanoGrande;
        var desde = IPAddress.Parse("127.0.0.77");

        using var detenido = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        detenido.Bind(new IPEndPoint(desde, 0));
        await detenido.ConnectAsync(IPAddress.Loopback, uri.Port);
        await detenido.SendAsync(Encoding.ASCII.GetBytes($"GET {ruta} HTTP/1.1\r\nHost: {uri.Authority}\r\nConnection: close\r\n\r\n"));
        var buffer = new byte[300];
        Assert.True(await detenido.ReceiveAsync(buffer) > 0);

        // Its slot is taken (429) until the server cuts it; then the same address is served again.
        var reloj = Stopwatch.StartNew();
        var estados = new List<int>();
        while (reloj.Elapsed < TimeSpan.FromSeconds(40) && estados.LastOrDefault() != 200)
        {
            estados.Add(await PrimeraLineaAsync(uri, desde, ruta));
            await Task.Delay(1000);
        }

        salida.WriteLine($"Lector detenido: {string.Join(", ", estados)} en {reloj.Elapsed.TotalSeconds:F0} s");
        Assert.Equal(429, estados[0]);
        Assert.Equal(200, estados[^1]);

        // The stalled client never got the whole file: its connection was cut.
        long recibidos = 300;
        try
        {
            int n;
            var resto = new byte[64 * 1024];
            while ((n = await detenido.ReceiveAsync(resto)) > 0) recibidos += n;
        }
        catch (SocketException)
        {
        }

        Assert.True(recibidos < Tamano, $"El lector detenido recibió {recibidos} bytes de {Tamano}.");
    }

    private static async Task<int> PrimeraLineaAsync(Uri servidor, IPAddress desde, string ruta)
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        s.Bind(new IPEndPoint(desde, 0));
        await s.ConnectAsync(IPAddress.Loopback, servidor.Port);
        await s.SendAsync(Encoding.ASCII.GetBytes($"GET {ruta} HTTP/1.1\r\nHost: {servidor.Authority}\r\nConnection: close\r\n\r\n"));
        var buffer = new byte[64];
        var n = await s.ReceiveAsync(buffer);
        return int.Parse(Encoding.ASCII.GetString(buffer, 9, 3), System.Globalization.CultureInfo.InvariantCulture);
    }
}
