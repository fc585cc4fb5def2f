using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using CompromisosApi.Features.Compromisos;
using CompromisosApi.IntegrationTests.Infrastructure;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CompromisosApi.IntegrationTests;

/// <summary>How the export's format is chosen (formato, Accept, its own operations) and its problems.</summary>
public sealed class ExportacionFormatosTests(ApiFactory factory) : PruebaDeExportacion(factory)
{
    [Theory]
    [InlineData("text/csv", "text/csv")]
    [InlineData("application/json;q=0.5, text/csv", "text/csv")]
    [InlineData("text/csv;q=0.2, " + Xlsx, Xlsx)]
    [InlineData("text/csv;q=0.5, application/json", "application/json")]
    [InlineData("*/*", "application/json")]
    [InlineData("text/html, application/xhtml+xml, */*;q=0.8", "application/json")]
    [InlineData("text/csv;q=0", "application/json")]
    public async Task Accept_elige_el_formato(string accept, string esperado)
    {
        await Escenario.CompromisoPendienteAsync();
        var (r, _) = await DescargarAsync("/api/v1/compromisos", accept);
        Assert.Equal(esperado, r.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Cada_formato_tiene_su_operacion_con_los_mismos_filtros()
    {
        var (_, recomendacion, _) = await Escenario.CompromisoPendienteAsync();
        await Escenario.CompromisoAsync(recomendacion, "2010-06");
        var (csv, cuerpoCsv) = await DescargarAsync("/api/v1/compromisos/csv?venceHasta=2009-12", "application/octet-stream");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        Assert.Equal(cuerpoCsv, (await DescargarAsync("/api/v1/compromisos?formato=csv&venceHasta=2009-12")).Cuerpo);
        Assert.Matches("^compromisos-[0-9]{4}-[0-9]{2}-[0-9]{2}\\.csv$", csv.Content.Headers.ContentDisposition!.FileName!.Trim('"'));
        var (xlsx, cuerpoXlsx) = await DescargarAsync("/api/v1/compromisos/xlsx");
        Assert.Equal(Xlsx, xlsx.Content.Headers.ContentType!.MediaType);
        Assert.Equal(3, LeerXlsx(cuerpoXlsx).Count);
        await Problemas.Validacion(await Cliente.GetAsync("/api/v1/compromisos/csv?venceDesde=2009-13"), "venceDesde");
    }

    [Fact]
    public async Task formato_prevalece_sobre_Accept()
    {
        await Escenario.CompromisoPendienteAsync();
        Assert.Equal("text/csv", (await DescargarAsync("/api/v1/compromisos?formato=csv", "application/json")).Respuesta.Content.Headers.ContentType!.MediaType);
        Assert.Equal(Xlsx, (await DescargarAsync("/api/v1/compromisos?formato=xlsx", "text/csv")).Respuesta.Content.Headers.ContentType!.MediaType);
        Assert.Equal("application/json", (await DescargarAsync("/api/v1/compromisos?formato=json", "text/csv")).Respuesta.Content.Headers.ContentType!.MediaType);
        var (r, cuerpo) = await DescargarAsync("/api/v1/compromisos?formato=xlsx");
        Assert.Matches("^compromisos-[0-9]{4}-[0-9]{2}-[0-9]{2}\\.xlsx$", r.Content.Headers.ContentDisposition!.FileName!.Trim('"'));
        Assert.Equal(2, LeerXlsx(cuerpo).Count);
    }

    [Fact]
    public async Task Exportaciones_con_entrada_invalida_responden_problem_json()
    {
        await Escenario.CompromisoPendienteAsync();
        await Problemas.Validacion(await Cliente.GetAsync("/api/v1/compromisos?formato=pdf"), "formato");
        await Problemas.Validacion(await Cliente.GetAsync("/api/v1/compromisos?formato=CSV"), "formato");
        await Problemas.Validacion(await Cliente.GetAsync("/api/v1/compromisos?formato=csv&limit=10"), "limit");
        await Problemas.Validacion(await Cliente.GetAsync("/api/v1/compromisos?formato=xlsx&cursor=djE6MQ"), "cursor");
        await Problemas.Validacion(await Cliente.GetAsync("/api/v1/compromisos/csv?limit=5"), "limit");
        await Problemas.Validacion(await Cliente.GetAsync("/api/v1/compromisos/xlsx?cursor=djE6MQ"), "cursor");
        await Problemas.Validacion(await Cliente.GetAsync("/api/v1/compromisos?formato=csv&venceDesde=2009-13"), "venceDesde");
        await Problemas.Validacion(await Cliente.GetAsync("/api/v1/compromisos?formato=csv&q=%20"), "q");
        using var pedido = new HttpRequestMessage(HttpMethod.Get, "/api/v1/compromisos?limit=5");
        pedido.Headers.Accept.ParseAdd("text/csv");
        await Problemas.Validacion(await Cliente.SendAsync(pedido), "limit");
    }
}
