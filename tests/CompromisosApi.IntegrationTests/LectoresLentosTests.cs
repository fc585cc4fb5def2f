using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using CompromisosApi.IntegrationTests.Infrastructure;
using CompromisosApi.Persistence;
using CompromisosApi.Tests;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using Xunit.Abstractions;

namespace CompromisosApi.IntegrationTests;

/// <summary>
/// Slow clients and the database: downloads and exports read by clients at 2 KB/s must not take PostgreSQL's
/// connections from everybody else. Over a real Kestrel on loopback, with clients spread over 127.0.0.0/8 addresses.
/// Alone (<see cref="ColeccionAislada"/>): it fills a pool, counts connections, and times reads and readers against
/// bounds that other tests' load on the same cores would break.
/// </summary>
[Collection(nameof(ColeccionAislada))]
public sealed class LectoresLentosTests(ApiFactory factory, ITestOutputHelper salida) : PruebaApi(factory)
{
    private const string Aplicacion = "lectores-lentos";
    private const int MaximoPool = 20;
    private const int Lectores = 150;
    private static readonly TimeSpan Duracion = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Ciento_cincuenta_lectores_lentos_no_agotan_las_conexiones_ni_frenan_las_lecturas()
    {
        using var host = Factory.WithWebHostBuilder(b => b
            .UseUrls("http://127.0.0.1:0")
            .UseSetting("ConnectionStrings:Compromisos", $"{Factory.ConexionAplicacion};Application Name={Aplicacion};Maximum Pool Size={MaximoPool}")
            .UseSetting("Transferencias:PorDireccion", "4")
            .UseSetting("Transferencias:Total", "24"));
        host.UseKestrel();
        host.StartServer();
        var uri = new Uri(host.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());
        using var cliente = new HttpClient { BaseAddress = uri }.Autenticar(Tokens.Crear("ana", ["analista", "administrador"]));
        var escenario = new Escenario(cliente);

        // A file and an export both larger than what the kernel's socket buffers absorb, so the server really waits on the readers.
        var (programa, recomendacion, compromiso) = await escenario.CompromisoPendienteAsync();
        var subida = await Escenario.SubirArchivoAsync(cliente, compromiso, Muestras.Pdf(8 * 1024 * 1024, semilla: 7));
        await Escenario.Esperar(subida, HttpStatusCode.Created);
        var medio = (long)(await subida.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        // 300 compromisos of 19,000 characters, 10 per programa: a programa's search document holds its compromisos'
        // texts and is rebuilt on each insert, so 300 under one programa took half a minute to write.
        var texto = new string('x', 19_000);
        var servicio = (int)(await escenario.LeerAsync($"/api/v1/programas/{programa}"))["servicioId"]!;
        for (var p = 0; p < 30; p++)
        {
            var r = p == 0 ? recomendacion : await escenario.RecomendacionAsync(await escenario.ProgramaAsync(servicio, $"Programa {p}"));
            for (var i = 0; i < 10; i++) await escenario.CompromisoAsync(r, texto: $"{(p * 10) + i} {texto}");
        }

        var rutas = new[] { $"/api/v1/compromisos/{compromiso}/medios-verificacion/{medio}/contenido", "/api/v1/compromisos?formato=csv" };

        using var fin = new CancellationTokenSource(Duracion);
        var estados = new System.Collections.Concurrent.ConcurrentBag<int>();
        // First one address over its share (6 readers where 4 may read at once), then 150 readers over 75 addresses.
        var lectores = Enumerable.Range(0, 6).Select(_ => LeerLentoAsync(uri, IPAddress.Parse("127.0.0.200"), rutas[0], estados, fin.Token)).ToList();
        await Task.Delay(1000);
        lectores.AddRange(Enumerable.Range(0, Lectores).Select(i =>
            LeerLentoAsync(uri, IPAddress.Parse($"127.0.0.{2 + (i / 2)}"), rutas[i % 2], estados, fin.Token)));

        var monitor = ContarConexionesAsync(fin.Token);
        var lecturas = new List<(HttpStatusCode Estado, TimeSpan Tiempo)>();
        using var lector = new HttpClient { BaseAddress = uri, Timeout = TimeSpan.FromSeconds(10) };
        while (!fin.IsCancellationRequested)
        {
            var reloj = Stopwatch.StartNew();
            HttpStatusCode estado;
            try
            {
                estado = (await lector.GetAsync($"/api/v1/programas/{programa}")).StatusCode;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                estado = 0;
            }

            lecturas.Add((estado, reloj.Elapsed));
            await Task.Delay(100);
        }

        await Task.WhenAll(lectores);
        var (pico, picoActivas) = await monitor;
        var p99 = lecturas.Select(l => l.Tiempo).Order().ElementAt((int)Math.Ceiling(lecturas.Count * 0.99) - 1);
        salida.WriteLine($"lecturas: {lecturas.Count}, fallidas: {lecturas.Count(l => l.Estado != HttpStatusCode.OK)}, p99 {p99.TotalMilliseconds:F0} ms, " +
            $"máx {lecturas.Max(l => l.Tiempo).TotalMilliseconds:F0} ms; conexiones: pico {pico}, activas {picoActivas}; " +
            $"respuestas a lectores lentos: {string.Join(", ", estados.GroupBy(e => e).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}"))}");

        Assert.True(lecturas.Count > 50, $"Solo {lecturas.Count} lecturas ordinarias en {Duracion.TotalSeconds} s.");
        Assert.All(lecturas, l => Assert.Equal(HttpStatusCode.OK, l.Estado));
        Assert.All(lecturas, l => Assert.True(l.Tiempo < TimeSpan.FromSeconds(2), $"Una lectura ordinaria tardó {l.Tiempo.TotalMilliseconds:F0} ms."));
        Assert.InRange(pico, 1, MaximoPool);
        // The slow readers were served (200), and those beyond the caps refused at once with 503 (instance) and 429 (address).
        Assert.Contains(200, estados);
        Assert.Contains(503, estados);
        Assert.Contains(429, estados);

        // Within 10 s every connection is back in the pool: none busy, none left in a transaction.
        var reloj10 = Stopwatch.StartNew();
        int ocupadas;
        while ((ocupadas = await ConexionesAsync("state <> 'idle'")) > 0 && reloj10.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(200);
        Assert.Equal(0, ocupadas);
    }

    [Fact]
    public async Task Listo_no_consulta_la_base_mas_de_una_vez_por_intervalo()
    {
        var salud = Factory.Services.GetRequiredService<SaludDeBaseDeDatos>();
        var antes = salud.Sondeos;
        using var anonimo = ClienteAnonimo();
        var respuestas = await Task.WhenAll(Enumerable.Range(0, 300).Select(_ => anonimo.GetAsync("/health/ready")));
        Assert.All(respuestas, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        // The interval is 2 s: a burst that straddles its end may probe twice.
        Assert.InRange(salud.Sondeos - antes, 0, 2);
    }

    [Fact]
    public async Task Una_configuracion_que_no_cabe_en_max_connections_no_parte()
    {
        using var excesivo = Factory.WithWebHostBuilder(b => b
            .UseSetting("ConnectionStrings:Compromisos", $"{Factory.ConexionAplicacion};Maximum Pool Size=50")
            .UseSetting("Database:Instancias", "10"));
        var e = Assert.ThrowsAny<Exception>(() => excesivo.CreateClient());
        Assert.Contains("no caben en PostgreSQL", e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Las_transferencias_no_pueden_tomar_todo_el_pool()
    {
        using var excesivo = Factory.WithWebHostBuilder(b => b
            .UseSetting("ConnectionStrings:Compromisos", $"{Factory.ConexionAplicacion};Maximum Pool Size=10")
            .UseSetting("Transferencias:Conexiones", "10"));
        var e = Assert.ThrowsAny<Exception>(() => excesivo.CreateClient());
        Assert.Contains("Transferencias:Conexiones", e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Un_pool_por_omision_y_una_tasa_minima_de_respuesta()
    {
        var cadena = new NpgsqlConnectionStringBuilder(Factory.Services.GetRequiredService<NpgsqlDataSource>().ConnectionString);
        // The test cluster's connection string sets its own size; Conexion's default applies when it does not.
        Assert.Equal(50, cadena.MaxPoolSize);
        var propia = new NpgsqlConnectionStringBuilder(Conexion.Preparar(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Compromisos"] = "Host=db;Username=x" }).Build()));
        Assert.Equal(Conexion.MaximoPorDefecto, propia.MaxPoolSize);
        Assert.Equal(10, propia.ConnectionIdleLifetime);

        var kestrel = Factory.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value;
        Assert.Equal(1024, kestrel.Limits.MinResponseDataRate!.BytesPerSecond);
    }

    /// <summary>A client that asks for a long response and reads 512 bytes every 250 ms until the time is up; refused, it retries after 1 s.</summary>
    private static async Task LeerLentoAsync(Uri servidor, IPAddress desde, string ruta, System.Collections.Concurrent.ConcurrentBag<int> estados, CancellationToken fin)
    {
        var buffer = new byte[512];
        while (!fin.IsCancellationRequested)
        {
            using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
            try
            {
                s.Bind(new IPEndPoint(desde, 0));
                await s.ConnectAsync(IPAddress.Loopback, servidor.Port, fin);
                await s.SendAsync(Encoding.ASCII.GetBytes($"GET {ruta} HTTP/1.1\r\nHost: {servidor.Authority}\r\nConnection: close\r\n\r\n"), fin);
                var primera = await s.ReceiveAsync(buffer, fin);
                var linea = Encoding.ASCII.GetString(buffer, 0, primera);
                if (linea.Length >= 12 && int.TryParse(linea.AsSpan(9, 3), out var estado)) estados.Add(estado);
                while (await s.ReceiveAsync(buffer, fin) > 0) await Task.Delay(250, fin);
                await Task.Delay(1000, fin);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException)
            {
                if (fin.IsCancellationRequested) return;
                await Task.Delay(200, CancellationToken.None);
            }
        }
    }

    private async Task<(int Pico, int PicoActivas)> ContarConexionesAsync(CancellationToken fin)
    {
        int pico = 0, activas = 0;
        while (!fin.IsCancellationRequested)
        {
            pico = Math.Max(pico, await ConexionesAsync("true"));
            activas = Math.Max(activas, await ConexionesAsync("state <> 'idle'"));
            await Task.Delay(250, CancellationToken.None);
        }

        return (pico, activas);
    }

    private async Task<int> ConexionesAsync(string condicion)
    {
        await using var conexion = new NpgsqlConnection(Factory.ConnectionString);
        await conexion.OpenAsync();
        await using var c = new NpgsqlCommand($"SELECT count(*)::int FROM pg_stat_activity WHERE application_name = '{Aplicacion}' AND {condicion}", conexion);
        return (int)(await c.ExecuteScalarAsync())!;
    }
}
