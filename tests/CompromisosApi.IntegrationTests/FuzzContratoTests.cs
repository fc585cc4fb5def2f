using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CompromisosApi.IntegrationTests.Infrastructure;
using CsCheck;
using Xunit.Abstractions;

namespace CompromisosApi.IntegrationTests;

/// <summary>
/// The contract is the truth: for every operation of the served OpenAPI document, requests generated from its own
/// schemas (valid ones, and invalid ones made by breaking them) must get no 5xx, only documented status codes and
/// content types, bodies that validate against the documented schema, and problem+json for every error.
/// FUZZ_CASOS sets the cases per operation (100 by default, as CI runs it).
/// </summary>
public sealed partial class FuzzContratoTests(ApiFactory factory, ITestOutputHelper salida) : PruebaApi(factory)
{
    private static readonly int Casos = int.TryParse(Environment.GetEnvironmentVariable("FUZZ_CASOS"), out var n) ? n : 100;

    [Fact]
    public async Task Cada_operacion_responde_como_dice_el_contrato()
    {
        var doc = JsonNode.Parse(await Cliente.GetStringAsync("/swagger/v1/swagger.json"))!;
        var ids = await IdsAsync();
        var operaciones = doc["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Select(m => (Ruta: p.Key, Metodo: m.Key, Op: m.Value!)))
            .ToList();
        var fallas = new List<string>();
        var total = 0;

        foreach (var (ruta, metodo, op) in operaciones)
        {
            var id = (string)op["operationId"]!;
            await Gen.Int.SampleAsync(
                async semilla =>
                {
                    var generador = new Generador(doc, new Random(semilla), ids);
                    var (pedido, invalido, descripcion) = generador.Pedido(ruta, metodo, op);
                    using var r = await Cliente.SendAsync(pedido);
                    Interlocked.Increment(ref total);
                    var problema = await Verificar(doc, op, r, invalido);
                    if (problema is not null)
                    {
                        var detalle = r.IsSuccessStatusCode ? "" : await r.Content.ReadAsStringAsync();
                        lock (fallas) fallas.Add($"{id} [{descripcion}] → {(int)r.StatusCode}: {problema} {detalle}");
                    }
                },
                iter: Casos,
                threads: 1);
        }

        salida.WriteLine($"{operaciones.Count} operaciones, {total} casos, {fallas.Count} fallas");
        Assert.True(fallas.Count == 0, string.Join("\n", fallas.Distinct().Take(40)));
        Assert.Equal(operaciones.Count * Casos, total);
    }

    private async Task<Dictionary<string, string>> IdsAsync()
    {
        var (p, r, c) = await Escenario.CompromisoPendienteAsync();
        var programa = await Escenario.LeerAsync($"/api/v1/programas/{p}");
        var servicio = await Escenario.LeerAsync($"/api/v1/servicios/{(int)programa["servicioId"]!}");
        return new()
        {
            ["programas"] = p.ToString(CultureInfo.InvariantCulture),
            ["recomendaciones"] = r.ToString(CultureInfo.InvariantCulture),
            ["compromisos"] = c.ToString(CultureInfo.InvariantCulture),
            ["servicios"] = ((int)servicio["id"]!).ToString(CultureInfo.InvariantCulture),
            ["ministerios"] = ((int)servicio["ministerioId"]!).ToString(CultureInfo.InvariantCulture),
        };
    }

    private static async Task<string?> Verificar(JsonNode doc, JsonNode op, HttpResponseMessage r, bool invalido)
    {
        var codigo = ((int)r.StatusCode).ToString(CultureInfo.InvariantCulture);
        if ((int)r.StatusCode >= 500) return "5xx";
        if (invalido && r.IsSuccessStatusCode) return "una solicitud inválida fue aceptada";
        var respuestas = op["responses"]!.AsObject();
        var declarada = respuestas[codigo] ?? respuestas[$"{codigo[0]}XX"];
        if (declarada is null) return $"código no declarado (declarados: {string.Join(", ", respuestas.Select(x => x.Key))})";
        if (declarada["$ref"] is JsonValue referencia) declarada = doc["components"]!["responses"]![((string)referencia!).Split('/')[^1]]!;

        var tipo = r.Content.Headers.ContentType?.MediaType;
        var contenido = declarada["content"]?.AsObject();
        if (contenido is null) return tipo is null || r.Content.Headers.ContentLength == 0 ? null : $"cuerpo {tipo} no declarado";
        if (tipo is null || !contenido.ContainsKey(tipo)) return $"tipo {tipo} no declarado ({string.Join(", ", contenido.Select(x => x.Key))})";
        if (!r.IsSuccessStatusCode && tipo != "application/problem+json") return "un error sin problem+json";
        // JSON, or a JSON type (problem+json); not JSON Lines (application/x-ndjson), which is many documents.
        if (tipo != "application/json" && !tipo.EndsWith("+json", StringComparison.Ordinal)) return null;

        JsonNode? cuerpo;
        try
        {
            cuerpo = JsonNode.Parse(await r.Content.ReadAsStringAsync());
        }
        catch (JsonException)
        {
            return "el cuerpo no es JSON";
        }

        return Esquemas.Validar(doc, contenido[tipo]!["schema"]!, cuerpo, "$");
    }
}
