using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using CompromisosApi.IntegrationTests.Infrastructure;
using CompromisosApi.Tests;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit.Abstractions;

namespace CompromisosApi.IntegrationTests;

/// <summary>Medios de verificación as files: upload, content checks, limits, de-duplication, download with ranges.</summary>
public sealed class EvidenciaTests(ApiFactory factory) : PruebaApi(factory)
{
    private const string Pdf = "application/pdf";

    private static MultipartFormDataContent Formulario(HttpContent archivo, string nombre, string titulo = "Minuta explicativa", string corte = "2009-12-31")
    {
        var f = new MultipartFormDataContent
        {
            { new StringContent(titulo), "titulo" },
            { new StringContent(corte), "corte" },
            { archivo, "archivo", nombre },
        };
        return f;
    }

    private static ByteArrayContent Bytes(byte[] datos, string tipoDeclarado = Pdf)
    {
        var c = new ByteArrayContent(datos);
        c.Headers.ContentType = new MediaTypeHeaderValue(tipoDeclarado);
        return c;
    }

    private static Task<HttpResponseMessage> SubirAsync(HttpClient cliente, int compromiso, byte[] datos, string nombre = "minuta.pdf", string tipoDeclarado = Pdf, string corte = "2009-12-31") =>
        cliente.PostAsync($"/api/v1/compromisos/{compromiso}/medios-verificacion", Formulario(Bytes(datos, tipoDeclarado), nombre, corte: corte));

    private async Task<JsonObject> SubirOkAsync(int compromiso, byte[] datos, string nombre = "minuta.pdf", HttpStatusCode esperado = HttpStatusCode.Created)
    {
        var r = await SubirAsync(Cliente, compromiso, datos, nombre);
        await Escenario.Esperar(r, esperado);
        return (await r.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>The same medio (timestamps compared to the microsecond PostgreSQL keeps).</summary>
    private static void AfirmarMismoMedio(JsonObject esperado, JsonObject actual)
    {
        foreach (var campo in new[] { "id", "compromisoId", "titulo", "corte", "registradoPor", "nombreArchivo", "tipo", "tamano", "sha256", "subidoPor" })
            Assert.Equal(esperado[campo]?.ToJsonString(), actual[campo]?.ToJsonString());
        foreach (var campo in new[] { "registradoEn", "subidoEn" })
            Assert.Equal(((DateTimeOffset)esperado[campo]!).ToUnixTimeMilliseconds(), ((DateTimeOffset)actual[campo]!).ToUnixTimeMilliseconds());
    }

    private static string Sha256(byte[] datos) => Convert.ToHexStringLower(SHA256.HashData(datos));

    private async Task<(long Archivos, long Fragmentos)> AlmacenadoAsync()
    {
        await using var c = new NpgsqlConnection(Factory.ConnectionString);
        await c.OpenAsync();
        await using var q = new NpgsqlCommand("SELECT (SELECT count(*) FROM archivos_evidencia), (SELECT count(*) FROM fragmentos_evidencia)", c);
        await using var r = await q.ExecuteReaderAsync();
        await r.ReadAsync();
        return (r.GetInt64(0), r.GetInt64(1));
    }

    [Fact]
    public async Task Ida_y_vuelta_bytes_identicos_hash_nombre_y_ETag()
    {
        var (_, _, c) = await Escenario.CompromisoPendienteAsync();
        // Over two fragments of 1 MB, so the download crosses fragment boundaries.
        var datos = Muestras.Pdf(2 * 1024 * 1024 + 12345);
        var r = await SubirAsync(Cliente, c, datos, "Minuta explicativa año 2009.pdf");
        await Escenario.Esperar(r, HttpStatusCode.Created);
        var medio = (await r.Content.ReadFromJsonAsync<JsonObject>())!;
        var id = (long)medio["id"]!;
        Assert.Equal($"/api/v1/compromisos/{c}/medios-verificacion/{id}", r.Headers.Location!.OriginalString);
        Assert.Equal("Minuta explicativa", (string?)medio["titulo"]);
        Assert.Equal("2009-12-31", (string?)medio["corte"]);
        Assert.Equal("Minuta explicativa año 2009.pdf", (string?)medio["nombreArchivo"]);
        Assert.Equal(Pdf, (string?)medio["tipo"]);
        Assert.Equal(datos.Length, (long)medio["tamano"]!);
        Assert.Equal(Sha256(datos), (string?)medio["sha256"]);
        Assert.Equal("ana", (string?)medio["subidoPor"]);
        Assert.InRange((DateTimeOffset)medio["subidoEn"]!, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        AfirmarMismoMedio(medio, await Escenario.LeerAsync($"/api/v1/compromisos/{c}/medios-verificacion/{id}"));

        var descarga = await ClienteAnonimo().GetAsync($"/api/v1/compromisos/{c}/medios-verificacion/{id}/contenido");
        Assert.Equal(HttpStatusCode.OK, descarga.StatusCode);
        Assert.Equal(datos, await descarga.Content.ReadAsByteArrayAsync());
        Assert.Equal(Pdf, descarga.Content.Headers.ContentType!.MediaType);
        Assert.Equal($"\"{Sha256(datos)}\"", descarga.Headers.ETag!.Tag);
        Assert.False(descarga.Headers.ETag.IsWeak);
        var disposicion = descarga.Content.Headers.ContentDisposition!;
        Assert.Equal("attachment", disposicion.DispositionType);
        Assert.Equal("Minuta explicativa año 2009.pdf", disposicion.FileNameStar);
        Assert.NotNull(disposicion.FileName);
        Assert.Contains("bytes", descarga.Headers.AcceptRanges);

        var condicional = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/compromisos/{c}/medios-verificacion/{id}/contenido");
        condicional.Headers.IfNoneMatch.Add(descarga.Headers.ETag);
        Assert.Equal(HttpStatusCode.NotModified, (await Cliente.SendAsync(condicional)).StatusCode);
    }

    [Fact]
    public async Task Un_rango_devuelve_su_tramo_206_y_fuera_del_archivo_416()
    {
        var (_, _, c) = await Escenario.CompromisoPendienteAsync();
        var datos = Muestras.Pdf(1024 * 1024 + 5000, semilla: 3);
        var id = (long)(await SubirOkAsync(c, datos))["id"]!;
        var ruta = $"/api/v1/compromisos/{c}/medios-verificacion/{id}/contenido";

        async Task<HttpResponseMessage> Rango(long? desde, long? hasta)
        {
            var m = new HttpRequestMessage(HttpMethod.Get, ruta);
            m.Headers.Range = new RangeHeaderValue(desde, hasta);
            return await Cliente.SendAsync(m);
        }

        // Across the boundary between the first and the second fragment.
        var tramo = await Rango(1024 * 1024 - 100, 1024 * 1024 + 99);
        Assert.Equal(HttpStatusCode.PartialContent, tramo.StatusCode);
        Assert.Equal(datos.AsSpan(1024 * 1024 - 100, 200).ToArray(), await tramo.Content.ReadAsByteArrayAsync());
        var rango = tramo.Content.Headers.ContentRange!;
        Assert.Equal((1024 * 1024 - 100, 1024 * 1024 + 99, (long)datos.Length), (rango.From, rango.To, rango.Length));

        var final = await Rango(null, 10);
        Assert.Equal(HttpStatusCode.PartialContent, final.StatusCode);
        Assert.Equal(datos[^10..], await final.Content.ReadAsByteArrayAsync());

        // Outside the file: a problem+json body as the contract says (not an empty body typed as the file), with the
        // file's length in Content-Range, whatever Accept asks for.
        var fuera = await Rango(datos.Length, datos.Length + 10);
        var problema = await Problemas.AfirmarAsync(fuera, HttpStatusCode.RequestedRangeNotSatisfiable, "urn:compromisos:rango-no-satisfacible");
        Assert.Contains(datos.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), (string)problema["detail"]!);
        Assert.Equal($"bytes */{datos.Length}", fuera.Content.Headers.ContentRange!.ToString());
        Assert.Null(fuera.Content.Headers.ContentDisposition);
        var comoPdf = new HttpRequestMessage(HttpMethod.Get, ruta);
        comoPdf.Headers.Range = new RangeHeaderValue(datos.Length + 1, null);
        comoPdf.Headers.Accept.ParseAdd(Pdf);
        await Problemas.AfirmarAsync(await Cliente.SendAsync(comoPdf), HttpStatusCode.RequestedRangeNotSatisfiable, "urn:compromisos:rango-no-satisfacible");

        // If-Match naming another version: 412 problem+json too.
        var otraVersion = new HttpRequestMessage(HttpMethod.Get, ruta);
        otraVersion.Headers.IfMatch.Add(new EntityTagHeaderValue("\"otra\""));
        await Problemas.AfirmarAsync(await Cliente.SendAsync(otraVersion), HttpStatusCode.PreconditionFailed, "urn:compromisos:version-obsoleta");
    }

    [Fact]
    public async Task La_carga_con_archivo_tiene_su_operacion_multipart()
    {
        var (_, _, c) = await Escenario.CompromisoPendienteAsync();
        var datos = Muestras.Pdf(50_000, semilla: 21);
        var ruta = $"/api/v1/compromisos/{c}/medios-verificacion/con-archivo";
        var r = await Cliente.PostAsync(ruta, Formulario(Bytes(datos), "minuta.pdf"));
        await Escenario.Esperar(r, HttpStatusCode.Created);
        var medio = (await r.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(Sha256(datos), (string?)medio["sha256"]);
        Assert.Equal($"/api/v1/compromisos/{c}/medios-verificacion/{medio["id"]}", r.Headers.Location!.ToString());
        var descarga = await Cliente.GetAsync($"/api/v1/compromisos/{c}/medios-verificacion/{medio["id"]}/contenido");
        Assert.Equal(datos, await descarga.Content.ReadAsByteArrayAsync());

        // The same file again: the medio already registered (200), as on the old path.
        var otra = await Cliente.PostAsync(ruta, Formulario(Bytes(datos), "minuta.pdf"));
        await Escenario.Esperar(otra, HttpStatusCode.OK);
        Assert.Equal((long)medio["id"]!, (long)(await otra.Content.ReadFromJsonAsync<JsonObject>())!["id"]!);

        // Only the form: a title-only medio goes to the JSON operation.
        var json = await Cliente.PostAsJsonAsync(ruta, new { titulo = "Solo título", corte = "2009-12-31" });
        var problema = await Problemas.AfirmarAsync(json, HttpStatusCode.UnsupportedMediaType, "urn:compromisos:tipo-no-admitido");
        Assert.Equal(["multipart/form-data"], problema["admitidos"]!.AsArray().Select(x => (string)x!));
        await Problemas.AfirmarAsync(await ClienteAnonimo().PostAsync(ruta, Formulario(Bytes(datos), "minuta.pdf")), HttpStatusCode.Unauthorized);
    }

    public static TheoryData<string, string, string> Aceptados() => new()
    {
        { "docx", "informe.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document" },
        { "xlsx", "planilla.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
        { "odt", "acta.odt", "application/vnd.oasis.opendocument.text" },
        { "ods", "cuadro.ods", "application/vnd.oasis.opendocument.spreadsheet" },
        { "png", "foto.png", "image/png" },
        // A JPEG whose name and declared type say otherwise: the content decides.
        { "jpeg", "foto.bin", "image/jpeg" },
    };

    [Theory]
    [MemberData(nameof(Aceptados))]
    public async Task Cada_tipo_admitido_se_reconoce_por_su_contenido(string muestra, string nombre, string tipo)
    {
        var datos = muestra switch
        {
            "docx" => Muestras.Docx(),
            "xlsx" => Muestras.Xlsx(),
            "odt" => Muestras.Odt(),
            "ods" => Muestras.Ods(),
            "png" => Muestras.Png(),
            _ => Muestras.Jpeg(),
        };
        var (_, _, c) = await Escenario.CompromisoPendienteAsync();
        var r = await SubirAsync(Cliente, c, datos, nombre, "application/octet-stream");
        await Escenario.Esperar(r, HttpStatusCode.Created);
        var medio = (await r.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(tipo, (string?)medio["tipo"]);
        var descarga = await Cliente.GetAsync($"/api/v1/compromisos/{c}/medios-verificacion/{medio["id"]}/contenido");
        Assert.Equal(tipo, descarga.Content.Headers.ContentType!.MediaType);
        Assert.Equal(datos, await descarga.Content.ReadAsByteArrayAsync());
        Assert.Equal(Path.GetFileNameWithoutExtension(nombre), Path.GetFileNameWithoutExtension(descarga.Content.Headers.ContentDisposition!.FileNameStar));
    }

    /// <summary>
    /// A PDF uploaded as informe.html is saved by the browser as informe.pdf (both filename and filename*), so it
    /// never opens as a page; the record keeps the name it was uploaded with.
    /// </summary>
    [Fact]
    public async Task La_descarga_toma_la_extension_del_tipo_detectado_no_la_del_nombre()
    {
        var (_, _, c) = await Escenario.CompromisoPendienteAsync();
        var medio = (await (await SubirAsync(Cliente, c, Muestras.Pdf(4000), "informe.html", "text/html")).Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("informe.html", (string?)medio["nombreArchivo"]);
        Assert.Equal(Pdf, (string?)medio["tipo"]);

        var descarga = await ClienteAnonimo().GetAsync($"/api/v1/compromisos/{c}/medios-verificacion/{medio["id"]}/contenido");
        Assert.Equal(HttpStatusCode.OK, descarga.StatusCode);
        var disposicion = descarga.Content.Headers.ContentDisposition!;
        Assert.Equal("attachment", disposicion.DispositionType);
        Assert.Equal("informe.pdf", disposicion.FileNameStar);
        Assert.Equal("informe.pdf", disposicion.FileName!.Trim('"'));
        Assert.Equal(Pdf, descarga.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Un_ejecutable_renombrado_pdf_es_415_y_nada_se_guarda()
    {
        var (_, _, c) = await Escenario.CompromisoPendienteAsync();
        foreach (var datos in new[] { Muestras.ExeWindows(), Muestras.Elf(), Muestras.ZipCualquiera(), Muestras.Odp(), "no soy un PDF"u8.ToArray() })
        {
            var p = await Problemas.AfirmarAsync(await SubirAsync(Cliente, c, datos, "minuta.pdf", Pdf), HttpStatusCode.UnsupportedMediaType, "urn:compromisos:tipo-no-admitido");
            Assert.Contains(Pdf, p["admitidos"]!.AsArray().Select(x => (string?)x));
        }

        Assert.Equal((0, 0), await AlmacenadoAsync());
        Assert.Empty((await Escenario.LeerAsync($"/api/v1/compromisos/{c}/medios-verificacion"))["items"]!.AsArray());
    }

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

    [Fact]
    public async Task El_mismo_archivo_dos_veces_se_guarda_una_vez()
    {
        var (p, r, c) = await Escenario.CompromisoPendienteAsync();
        var otro = (int)(await Escenario.CompromisoAsync(r))["id"]!;
        var datos = Muestras.Pdf(1024 * 1024 + 10, semilla: 5);

        var primero = await SubirOkAsync(c, datos, "minuta.pdf");
        var segundo = await SubirOkAsync(c, datos, "otra-copia.pdf", HttpStatusCode.OK);
        AfirmarMismoMedio(primero, segundo);
        Assert.Equal("minuta.pdf", (string?)segundo["nombreArchivo"]);
        Assert.Single((await Escenario.LeerAsync($"/api/v1/compromisos/{c}/medios-verificacion"))["items"]!.AsArray());
        Assert.Equal((1, 2), await AlmacenadoAsync());

        // Another compromiso gets its own medio, pointing at the same stored content.
        var enOtro = await SubirOkAsync(otro, datos);
        Assert.NotEqual((long)primero["id"]!, (long)enOtro["id"]!);
        Assert.Equal((1, 2), await AlmacenadoAsync());
        Assert.Equal(datos, await Cliente.GetByteArrayAsync($"/api/v1/compromisos/{otro}/medios-verificacion/{enOtro["id"]}/contenido"));
        _ = p;
    }

    [Fact]
    public async Task El_mismo_archivo_nuevo_subido_a_la_vez_queda_una_vez()
    {
        var (_, _, c) = await Escenario.CompromisoPendienteAsync();
        var datos = Muestras.Pdf(1500 * 1024, semilla: 21);
        var clientes = Enumerable.Range(0, 4).Select(_ => Factory.CreateClient().Autenticar(Tokens.Crear("ana", ["analista"]))).ToList();

        var respuestas = await Task.WhenAll(clientes.Select(cl => SubirAsync(cl, c, datos)));

        Assert.Equal(1, respuestas.Count(x => x.StatusCode == HttpStatusCode.Created));
        Assert.Equal(3, respuestas.Count(x => x.StatusCode == HttpStatusCode.OK));
        var ids = new HashSet<long>();
        foreach (var x in respuestas) ids.Add((long)(await x.Content.ReadFromJsonAsync<JsonObject>())!["id"]!);
        Assert.Single(ids);
        Assert.Equal((1, 2), await AlmacenadoAsync());
    }

    [Fact]
    public async Task Subidas_concurrentes_al_mismo_compromiso_llegan_todas()
    {
        var (_, _, c) = await Escenario.CompromisoPendienteAsync();
        var archivos = Enumerable.Range(1, 8).Select(i => Muestras.Pdf(200_000 + i * 1000, semilla: 100 + i)).ToList();
        var clientes = archivos.Select(_ => Factory.CreateClient().Autenticar(Tokens.Crear("ana", ["analista"]))).ToList();

        var respuestas = await Task.WhenAll(archivos.Select((a, i) => SubirAsync(clientes[i], c, a, $"anexo-{i}.pdf")));

        Assert.All(respuestas, x => Assert.Equal(HttpStatusCode.Created, x.StatusCode));
        var medios = (await Escenario.LeerAsync($"/api/v1/compromisos/{c}/medios-verificacion"))["items"]!.AsArray();
        Assert.Equal(archivos.Select(Sha256).Order(), medios.Select(m => (string)m!["sha256"]!).Order());
        foreach (var m in medios)
        {
            var bytes = await Cliente.GetByteArrayAsync($"/api/v1/compromisos/{c}/medios-verificacion/{m!["id"]}/contenido");
            Assert.Equal((string?)m["sha256"], Sha256(bytes));
        }
    }

    [Fact]
    public async Task Un_servicio_no_sube_archivos_a_compromisos_de_otro_servicio()
    {
        var sA = await Escenario.ServicioAsync("Ministerio de Agricultura", "INDAP");
        var sB = await Escenario.ServicioAsync("Ministerio de Educación", "JUNAEB");
        var cA = (int)(await Escenario.CompromisoAsync(await Escenario.RecomendacionAsync(await Escenario.ProgramaAsync(sA, "A"))))["id"]!;
        var cB = (int)(await Escenario.CompromisoAsync(await Escenario.RecomendacionAsync(await Escenario.ProgramaAsync(sB, "B"))))["id"]!;
        var deA = ClienteCon("staff-indap", ["servicio"], sA);

        await Problemas.AfirmarAsync(await SubirAsync(deA, cB, Muestras.Pdf(5000)), HttpStatusCode.Forbidden);
        Assert.Equal((0, 0), await AlmacenadoAsync());
        Assert.Empty((await Escenario.LeerAsync($"/api/v1/compromisos/{cB}/medios-verificacion"))["items"]!.AsArray());

        var propio = await SubirAsync(deA, cA, Muestras.Pdf(5000));
        await Escenario.Esperar(propio, HttpStatusCode.Created);
        Assert.Equal("staff-indap", (string?)(await propio.Content.ReadFromJsonAsync<JsonObject>())!["subidoPor"]);
        await Problemas.AfirmarAsync(await SubirAsync(ClienteAnonimo(), cA, Muestras.Pdf(5000)), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Los_medios_solo_con_titulo_siguen_valiendo_y_no_tienen_contenido()
    {
        var (_, _, c) = await Escenario.CompromisoPendienteAsync();
        var medio = await Escenario.CrearAsync($"/api/v1/compromisos/{c}/medios-verificacion", new { titulo = "Documento Marco", corte = "2009-12-31" });
        foreach (var campo in new[] { "nombreArchivo", "tipo", "tamano", "sha256", "subidoPor", "subidoEn" }) Assert.Null(medio[campo]);
        await Problemas.AfirmarAsync(await Cliente.GetAsync($"/api/v1/compromisos/{c}/medios-verificacion/{medio["id"]}/contenido"), HttpStatusCode.NotFound);
        await Problemas.AfirmarAsync(await Cliente.GetAsync($"/api/v1/compromisos/{c}/medios-verificacion/999999/contenido"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Un_formulario_incompleto_o_desordenado_es_400_y_nada_se_guarda()
    {
        var (_, _, c) = await Escenario.CompromisoPendienteAsync();
        var ruta = $"/api/v1/compromisos/{c}/medios-verificacion";
        var pdf = Muestras.Pdf(3000);

        var sinArchivo = new MultipartFormDataContent { { new StringContent("Acta"), "titulo" }, { new StringContent("2009-12-31"), "corte" } };
        await Problemas.Validacion(await Cliente.PostAsync(ruta, sinArchivo), "archivo");

        var archivoPrimero = new MultipartFormDataContent { { Bytes(pdf), "archivo", "a.pdf" }, { new StringContent("Acta"), "titulo" }, { new StringContent("2009-12-31"), "corte" } };
        var p = await Problemas.AfirmarAsync(await Cliente.PostAsync(ruta, archivoPrimero), HttpStatusCode.BadRequest);
        Assert.True(p["errors"]!.AsObject().ContainsKey("titulo"));

        await Problemas.Validacion(await SubirAsync(Cliente, c, pdf, corte: "2009-12-30"), "corte");
        await Problemas.Validacion(await SubirAsync(Cliente, c, pdf, corte: "31-12-2009"), "corte");
        await Problemas.Validacion(await Cliente.PostAsync(ruta, Formulario(Bytes(pdf), "a.pdf", titulo: " ")), "titulo");

        var desconocido = Formulario(Bytes(pdf), "a.pdf");
        desconocido.Add(new StringContent("x"), "observacion");
        await Problemas.Validacion(await Cliente.PostAsync(ruta, desconocido), "observacion");

        await Problemas.AfirmarAsync(await Cliente.PostAsync(ruta, new StringContent("titulo=x", System.Text.Encoding.UTF8, "text/plain")),
            HttpStatusCode.UnsupportedMediaType);
        Assert.Equal((0, 0), await AlmacenadoAsync());
        Assert.Empty((await Escenario.LeerAsync($"/api/v1/compromisos/{c}/medios-verificacion"))["items"]!.AsArray());
    }

    [Fact]
    public async Task Una_subida_queda_en_la_auditoria_con_su_hash()
    {
        var (_, _, c) = await Escenario.CompromisoPendienteAsync();
        var datos = Muestras.Pdf(4000, semilla: 9);
        var actor = $"analista-{Guid.NewGuid():N}";
        var r = await SubirAsync(ClienteCon(actor, ["analista"]), c, datos);
        await Escenario.Esperar(r, HttpStatusCode.Created);
        // The same file again changes nothing, so it writes no audit entry.
        await Escenario.Esperar(await SubirAsync(ClienteCon(actor, ["analista"]), c, datos), HttpStatusCode.OK);
        var entradas = (await Escenario.LeerAsync($"/api/v1/auditoria?actor={actor}"))["items"]!.AsArray();
        var entrada = Assert.Single(entradas);
        Assert.Equal("RegistrarMedioVerificacion", (string?)entrada!["operacion"]);
        Assert.Equal("MedioVerificacion", (string?)entrada["entidad"]);
        Assert.Contains(Sha256(datos), entrada["despues"]!.ToJsonString());
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

    /// <summary>A PDF of any size produced as it is read, with its SHA-256 computed on the way: nothing held whole.</summary>
    private sealed class PdfGenerado(long tamano) : Stream
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private long _posicion;
        private uint _estado = 2463534242;
        private string? _sha256;

        /// <summary>Known once the whole content has been read (the request disposes the stream after sending it).</summary>
        public string Sha256() => _sha256 ?? throw new InvalidOperationException("Aún no se lee todo el contenido.");

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> destino)
        {
            var n = (int)Math.Min(destino.Length, tamano - _posicion);
            for (var i = 0; i < n; i++)
            {
                _estado ^= _estado << 13;
                _estado ^= _estado >> 17;
                _estado ^= _estado << 5;
                destino[i] = (byte)_estado;
            }

            var cabeza = "%PDF-1.7\n"u8;
            if (_posicion < cabeza.Length)
            {
                var k = (int)Math.Min(n, cabeza.Length - _posicion);
                cabeza.Slice((int)_posicion, k).CopyTo(destino);
            }

            _hash.AppendData(destino[..n]);
            _posicion += n;
            if (_posicion == tamano && _sha256 is null) _sha256 = Convert.ToHexStringLower(_hash.GetHashAndReset());
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => new(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => tamano;

        public override long Position
        {
            get => _posicion;
            set => throw new NotSupportedException();
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) _hash.Dispose();
            base.Dispose(disposing);
        }
    }
}
