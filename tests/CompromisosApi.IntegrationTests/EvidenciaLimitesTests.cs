using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CompromisosApi.IntegrationTests.Infrastructure;
using CompromisosApi.Tests;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace CompromisosApi.IntegrationTests;

/// <summary>Size limits (the endpoint's own, under Kestrel too) and memory: an upload streams, it is never held whole.</summary>
public sealed class EvidenciaLimitesTests(ApiFactory factory) : PruebaDeEvidencia(factory)
{
    [Fact]
    public async Task Un_byte_sobre_el_limite_configurado_es_413()
    {
        using var limitada = Factory.WithWebHostBuilder(b => b.UseSetting("Evidencia:TamanoMaximoBytes", "1000"));
        var cliente = limitada.CreateClient().Autenticar(Tokens.Crear("ana", ["analista"]));
        var (_, _, c) = await Escenario.CompromisoPendienteAsync();

        var justo = await SubirAsync(cliente, c, Muestras.Pdf(1000));
        await Escenario.Esperar(justo, HttpStatusCode.Created);
        var sobre = await SubirAsync(cliente, c, Muestras.Pdf(1001, semilla: 2));
        var p = await Problemas.AfirmarAsync(sobre, HttpStatusCode.RequestEntityTooLarge, "urn:compromisos:archivo-demasiado-grande");
        Assert.Equal(1000, (long)p["tamanoMaximo"]!);
        Assert.Equal((1, 1), await AlmacenadoAsync());

        // A JSON medio stays bounded on its own, whatever the file limit.
        // (Kestrel answers 413 past 1 MB; the in-memory test server has no body limit, so validation answers 400.)
        var enorme = new StringContent("{\"titulo\":\"" + new string('x', 2 * 1024 * 1024) + "\",\"corte\":\"2009-12-31\"}", System.Text.Encoding.UTF8, "application/json");
        var rechazo = await Cliente.PostAsync($"/api/v1/compromisos/{c}/medios-verificacion", enorme);
        Assert.Contains(rechazo.StatusCode, new[] { HttpStatusCode.BadRequest, HttpStatusCode.RequestEntityTooLarge });
    }

    /// <summary>
    /// Over a real Kestrel (the in-memory test server enforces no body limits): the server's 10 MB limit still holds
    /// for every other request, and this endpoint takes files past it up to its own limit.
    /// </summary>
    [Fact]
    public async Task Con_Kestrel_el_limite_propio_del_endpoint_reemplaza_el_global()
    {
        // A free port chosen by the system: other test runs may share the machine.
        using var kestrel = Factory.WithWebHostBuilder(b => b.UseUrls("http://127.0.0.1:0"));
        kestrel.UseKestrel();
        kestrel.StartServer();
        var direccion = kestrel.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        using var cliente = new HttpClient { BaseAddress = new Uri(direccion) }.Autenticar(Tokens.Crear("ana", ["analista"]));
        var (_, _, c) = await Escenario.CompromisoPendienteAsync();

        var datos = Muestras.Pdf(12 * 1024 * 1024, semilla: 12);
        var r = await SubirAsync(cliente, c, datos);
        await Escenario.Esperar(r, HttpStatusCode.Created);
        Assert.Equal(Sha256(datos), (string?)(await r.Content.ReadFromJsonAsync<JsonObject>())!["sha256"]);

        // Expect: 100-continue, so the client hears the 413 instead of writing into a connection the server closed.
        async Task<HttpStatusCode> JsonDe(string ruta, int bytes)
        {
            var m = new HttpRequestMessage(HttpMethod.Post, ruta) { Content = new ByteArrayContent(new byte[bytes]) };
            m.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            m.Headers.ExpectContinue = true;
            return (await cliente.SendAsync(m)).StatusCode;
        }

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, await JsonDe("/api/v1/programas", 11 * 1024 * 1024));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, await JsonDe($"/api/v1/compromisos/{c}/medios-verificacion", 2 * 1024 * 1024));
    }

    /// <summary>
    /// The Idempotency-Key middleware reads (and hashes) the body before the endpoint runs: the 1 MB limit of a JSON
    /// medio holds there too (it used to be set by the endpoint, after the body had been read under the file limit),
    /// while a file upload with a key still gets the file limit, and its retry replays the answer.
    /// </summary>
    [Fact]
    public async Task Con_Kestrel_una_Idempotency_Key_no_levanta_el_limite_de_un_medio_JSON()
    {
        using var kestrel = Factory.WithWebHostBuilder(b => b.UseUrls("http://127.0.0.1:0"));
        kestrel.UseKestrel();
        kestrel.StartServer();
        var direccion = kestrel.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        using var cliente = new HttpClient { BaseAddress = new Uri(direccion) }.Autenticar(Tokens.Crear("ana", ["analista"]));
        var (_, _, c) = await Escenario.CompromisoPendienteAsync();
        var ruta = $"/api/v1/compromisos/{c}/medios-verificacion";

        async Task<HttpResponseMessage> MedioJson(int largoTitulo, string? clave)
        {
            var m = new HttpRequestMessage(HttpMethod.Post, ruta)
            {
                Content = new StringContent($"{{\"titulo\":\"{new string('x', largoTitulo)}\",\"corte\":\"2009-12-31\"}}", System.Text.Encoding.UTF8, "application/json"),
            };
            if (clave is not null) m.Headers.Add("Idempotency-Key", clave);
            m.Headers.ExpectContinue = true;
            return await cliente.SendAsync(m);
        }

        foreach (var clave in new[] { null, $"\"{Guid.NewGuid()}\"" })
        {
            await Problemas.AfirmarAsync(await MedioJson(2 * 1024 * 1024, clave), HttpStatusCode.RequestEntityTooLarge, "urn:compromisos:cuerpo-demasiado-grande");
        }

        Assert.Empty((await Escenario.LeerAsync($"{ruta}?limit=200"))["items"]!.AsArray());
        await Escenario.Esperar(await MedioJson(100, $"\"{Guid.NewGuid()}\""), HttpStatusCode.Created);

        var datos = Muestras.Pdf(3 * 1024 * 1024, semilla: 31);
        var claveArchivo = $"\"{Guid.NewGuid()}\"";
        async Task<HttpResponseMessage> Subir()
        {
            // A retry sends the same bytes: the same boundary too.
            var formulario = new MultipartFormDataContent("limite-fijo")
            {
                { new StringContent("Minuta explicativa"), "titulo" },
                { new StringContent("2009-12-31"), "corte" },
                { Bytes(datos), "archivo", "minuta.pdf" },
            };
            var m = new HttpRequestMessage(HttpMethod.Post, ruta) { Content = formulario };
            m.Headers.Add("Idempotency-Key", claveArchivo);
            return await cliente.SendAsync(m);
        }

        var primera = await Subir();
        await Escenario.Esperar(primera, HttpStatusCode.Created);
        Assert.Equal(Sha256(datos), (string?)(await primera.Content.ReadFromJsonAsync<JsonObject>())!["sha256"]);
        var repetida = await Subir();
        Assert.Equal(HttpStatusCode.Created, repetida.StatusCode);
        Assert.Equal("true", repetida.Headers.GetValues("Idempotent-Replayed").Single());
    }

    /// <summary>
    /// Alone (<see cref="ColeccionAislada"/>): what it measures is the whole process's allocations, to which the
    /// requests of the collections running beside it would add.
    /// </summary>
    [Collection(nameof(ColeccionAislada))]
    public sealed class Memoria(ApiFactory factory, ITestOutputHelper salida) : PruebaApi(factory)
    {
        /// <summary>
        /// The test server runs in this process, so the bytes allocated around one request are what the whole upload path
        /// allocated: client, in-memory transport, multipart parsing, type checks, hashing, PostgreSQL writes. A path that
        /// held the file in memory would allocate at least its 25 MB (a MemoryStream growing by doubling, about 50 MB);
        /// streaming through one pooled 1 MB fragment buffer allocates well under 1 MB. The bound, 10 MB, leaves room for
        /// whatever else the process does meanwhile and is still far below the file. The client is created without
        /// WebApplicationFactory's redirect handler, which copies every request body into a MemoryStream so it can resend
        /// it (with it the same upload allocates about 85 MB, all of it in the test's client).
        /// </summary>
        [Fact]
        public async Task Subir_25_MB_no_asigna_memoria_cerca_de_25_MB()
        {
            const int tamano = 25 * 1024 * 1024;
            var (_, _, c) = await Escenario.CompromisoPendienteAsync();
            // Warm-up: first-use allocations (JIT, pools, the fragment buffer) are not the upload's.
            await Escenario.Esperar(await SubirAsync(Cliente, c, Muestras.Pdf(1024 * 1024 + 1, semilla: 11), "calentamiento.pdf"), HttpStatusCode.Created);

            var cliente = Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }).Autenticar(Tokens.Crear("ana", ["analista"]));
            using var generado = new PdfGenerado(tamano);
            var contenido = new StreamContent(generado, 64 * 1024);
            contenido.Headers.ContentType = new MediaTypeHeaderValue(Pdf);
            var formulario = Formulario(contenido, "grande.pdf");
            var antes = GC.GetTotalAllocatedBytes(precise: true);
            var r = await EnviarAsync(formulario);
            var crecimiento = GC.GetTotalAllocatedBytes(precise: true) - antes;

            await Escenario.Esperar(r, HttpStatusCode.Created);
            var medio = (await r.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.Equal(tamano, (long)medio["tamano"]!);
            Assert.Equal(generado.Sha256(), (string?)medio["sha256"]);
            salida.WriteLine($"Subir {tamano} bytes asignó {crecimiento} bytes en el proceso.");
            Assert.True(crecimiento < 10 * 1024 * 1024, $"La subida de 25 MB asignó {crecimiento / 1024} KB");

            Task<HttpResponseMessage> EnviarAsync(MultipartFormDataContent f) => cliente.PostAsync($"/api/v1/compromisos/{c}/medios-verificacion", f);
        }
    }
}
