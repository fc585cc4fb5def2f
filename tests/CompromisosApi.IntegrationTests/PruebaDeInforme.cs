using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CompromisosApi.Features.Demo;
using CompromisosApi.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CompromisosApi.IntegrationTests;

/// <summary>
/// The Informe de Egreso of the seed case, in its four representations, must say what the seed report says; and
/// at an earlier cut-off, what the record said then.
/// </summary>
public abstract class PruebaDeInforme(ApiFactory factory) : PruebaApi(factory)
{
    protected const string CabeceraDeTabla = "Recomendación | Compromiso | Cumplimiento";

    protected static readonly JsonNode Semilla = JsonNode.Parse(File.ReadAllText(
        Path.Combine(Repositorio.Raiz, "tests/CompromisosApi.IntegrationTests/Fixtures/redes-por-rubro-2007.json")))!;

    protected static IEnumerable<(JsonNode Rec, JsonNode Comp)> CompromisosDeLaSemilla =>
        Semilla["recomendaciones"]!.AsArray().SelectMany(r => r!["compromisos"]!.AsArray().Select(c => (r!, c!)));

    protected async Task<int> CargarDemoAsync()
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DemoSeeder>().CargarAsync(CancellationToken.None);
    }

    protected async Task<HttpResponseMessage> PedirAsync(string ruta, string? accept = null)
    {
        var m = new HttpRequestMessage(HttpMethod.Get, ruta);
        if (accept is not null) m.Headers.TryAddWithoutValidation("Accept", accept);
        return await Cliente.SendAsync(m);
    }

    protected async Task<string> TextoAsync(string ruta, string accept = "text/plain")
    {
        var r = await PedirAsync(ruta, accept);
        await Escenario.Esperar(r, HttpStatusCode.OK);
        return await r.Content.ReadAsStringAsync();
    }

    protected static string Fecha(JsonNode? iso) =>
        DateOnly.ParseExact((string)iso!, "yyyy-MM-dd", CultureInfo.InvariantCulture).ToString("dd-MM-yyyy", CultureInfo.InvariantCulture);

    /// <summary>"1." for compromiso 1.1, "2." for 1.2: its number within the recomendación, as the seed prints it.</summary>
    protected static string NumeroEnRecomendacion(JsonNode comp) => ((string)comp["numero"]!).Split('.')[1] + ".";

    /// <summary>The header lines as the seed report prints them.</summary>
    protected static readonly string[] EncabezadoDeLaSemilla =
    [
        "INFORME DE EGRESO DEL SISTEMA DE CUMPLIMIENTO DE COMPROMISOS",
        "Programa/Institución: Microemprendimiento MYPIME Programa de Desarrollo de Redes Pro Rubro",
        "MINISTERIO DE AGRICULTURA",
        "Servicio: INSTITUTO DE DESARROLLO AGROPECUARIO",
        "Año: 2007",
        "Calificación: Egresado",
        "Fecha Egreso: 31-12-2011",
    ];

    /// <summary>Every fact of the seed's table, in the order the report prints them.</summary>
    protected static IEnumerable<string> HechosDeLaSemilla()
    {
        foreach (var (rec, comp) in CompromisosDeLaSemilla)
        {
            yield return $"{(int)rec["numero"]!}. {(string)rec["texto"]!}";
            yield return $"{NumeroEnRecomendacion(comp)} {(string)comp["texto"]!}";
            yield return $"Fecha de Vencimiento: {(string)comp["fechaVencimientoTexto"]!}";
            yield return (string)comp["cumplimiento"]!;
            yield return comp["observacion"] is { } obs ? $"Observación: {(string)obs!}" : "Observación:";
            yield return $"Calificación: {(string)comp["calificacion"]!} ({Fecha(comp["fechaCalificacion"])})";
            foreach (var medio in comp["mediosVerificacion"]!.AsArray()) yield return (string)medio!;
        }
    }

    protected static void EnOrden(string texto, IEnumerable<string> hechos)
    {
        var desde = 0;
        foreach (var hecho in hechos)
        {
            var i = texto.IndexOf(hecho, desde, StringComparison.Ordinal);
            Assert.True(i >= 0, $"No aparece, en su orden, «{(hecho.Length > 120 ? hecho[..120] + "…" : hecho)}»");
            desde = i + hecho.Length;
        }
    }
}
