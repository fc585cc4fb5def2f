using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CompromisosApi.IntegrationTests.Infrastructure;
using CompromisosApi.Tests;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace CompromisosApi.IntegrationTests;

/// <summary>Medios de verificación as files: upload and download (whole or by ranges), authorship and audit.</summary>
public sealed class EvidenciaCargaTests(ApiFactory factory) : PruebaDeEvidencia(factory)
{
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
}
