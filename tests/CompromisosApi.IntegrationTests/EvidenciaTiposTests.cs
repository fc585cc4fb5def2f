using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CompromisosApi.IntegrationTests.Infrastructure;
using CompromisosApi.Tests;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit.Abstractions;

namespace CompromisosApi.IntegrationTests;

/// <summary>A file is what its content says it is, and a malformed form stores nothing.</summary>
public sealed class EvidenciaTiposTests(ApiFactory factory) : PruebaDeEvidencia(factory)
{
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
}
