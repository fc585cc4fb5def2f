using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CompromisosApi.IntegrationTests.Infrastructure;

/// <summary>
/// The service's entry for the Red de Interoperabilidad's catalog (D12 Arts. 8, 10), generated from the contract and
/// the benchmark's report: the declared part (code, name, description, responsible official, service level) from the
/// contract's info (x-catalogo, filled from Interoperabilidad:Catalogo), every operation with its input and output
/// schemas, and the transactions per second bench/RESULTS.md measured. Written by scripts/update-openapi.sh.
/// </summary>
public static partial class CatalogoDeServicio
{
    public static string Archivo { get; } = Path.Combine(Repositorio.Raiz, "api-spec", "catalogo-servicio.json");

    public static string Resultados { get; } = Path.Combine(Repositorio.Raiz, "bench", "RESULTS.md");

    /// <summary>The benchmark's endpoints (bench/carga.lua) and the operation each one calls.</summary>
    private static readonly IReadOnlyDictionary<string, string> OperacionDe = new Dictionary<string, string>
    {
        ["E1"] = "ObtenerCompromiso",
        ["E2"] = "ListarCompromisos",
        ["E3"] = "ListarCompromisos",
        ["E4"] = "CalificarCompromiso",
        ["E5"] = "ObtenerInforme",
        ["E6"] = "ObtenerCumplimiento",
    };

    private static readonly JsonSerializerOptions Indentado = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Generar(JsonNode contrato, string resultados)
    {
        var medidas = Medidas(resultados);
        var (rafaga, quinientos) = Rafaga(resultados);
        var info = contrato["info"]!;
        var servicio = info["x-catalogo"]!.DeepClone().AsObject();
        servicio.Add("version", (string?)info["version"]);
        servicio.Add("contrato", "api-spec/openapi.json");
        servicio.Add("directorioDeDatos", "api-spec/directorio-datos.csv");
        // The parameters every operation takes (the network's headers) are listed once.
        var todas = contrato["paths"]!.AsObject().SelectMany(r => r.Value!.AsObject().Select(o => o.Value!)).ToList();
        var comunes = todas.Select(o => (o["parameters"]?.AsArray() ?? []).Select(p => (string?)p!["$ref"]).OfType<string>())
            .Aggregate((a, b) => a.Intersect(b)).ToHashSet();
        servicio.Add("parametrosDeCadaOperacion", new JsonArray([.. comunes.Order(StringComparer.Ordinal)
            .Select(r => Parametro(contrato, new JsonObject { ["$ref"] = r }))]));
        servicio.Add("transaccionesPorSegundo", new JsonObject
        {
            ["sostenidas"] = rafaga,
            ["medicion"] = "bench/RESULTS.md, Deadline burst 100×: la ráfaga (20× la tasa base; 70 % lecturas E1/E2/E3, " +
                $"30 % escrituras E4) sostenida con {quinientos} respuestas 5xx.",
        });

        var operaciones = new JsonArray();
        foreach (var (ruta, metodos) in contrato["paths"]!.AsObject())
        {
            foreach (var (metodo, op) in metodos!.AsObject())
            {
                var id = (string)op!["operationId"]!;
                operaciones.Add(new JsonObject
                {
                    ["operationId"] = id,
                    ["metodo"] = metodo.ToUpperInvariant(),
                    ["ruta"] = ruta,
                    ["resumen"] = (string?)op["summary"],
                    ["entrada"] = new JsonObject
                    {
                        ["parametros"] = new JsonArray([.. (op["parameters"]?.AsArray() ?? []).Where(p => !comunes.Contains((string?)p!["$ref"] ?? "")).Select(p => Parametro(contrato, p!))]),
                        ["cuerpo"] = Contenidos(Resolver(contrato, op["requestBody"])?["content"]),
                    },
                    ["salida"] = new JsonArray([.. op["responses"]!.AsObject().OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => (JsonNode)new JsonObject
                    {
                        ["estado"] = r.Key,
                        ["contenido"] = Contenidos(Resolver(contrato, r.Value)!["content"]),
                    })]),
                    ["transaccionesPorSegundo"] = medidas.TryGetValue(id, out var m) ? m.DeepClone() : null,
                });
            }
        }

        var catalogo = new JsonObject { ["servicio"] = servicio, ["operaciones"] = operaciones };
        return catalogo.ToJsonString(Indentado).ReplaceLineEndings("\n") + "\n";
    }

    private static JsonObject Parametro(JsonNode contrato, JsonNode p)
    {
        var r = Resolver(contrato, p)!;
        return new JsonObject
        {
            ["nombre"] = (string?)r["name"],
            ["en"] = (string?)r["in"],
            ["requerido"] = (bool?)r["required"] ?? false,
            ["tipo"] = DirectorioDeDatos.Tipo(r["schema"]!),
        };
    }

    private static JsonArray Contenidos(JsonNode? contenido) =>
        new([.. (contenido?.AsObject() ?? []).Select(c => (JsonNode)new JsonObject
        {
            ["tipoDeMedio"] = c.Key,
            ["esquema"] = c.Value?["schema"] is { } s ? DirectorioDeDatos.Tipo(s) : null,
        })]);

    private static JsonNode? Resolver(JsonNode contrato, JsonNode? nodo)
    {
        if (nodo?["$ref"] is not { } referencia) return nodo;
        var destino = contrato;
        foreach (var parte in ((string)referencia!).TrimStart('#', '/').Split('/')) destino = destino![parte];
        return destino;
    }

    /// <summary>
    /// Each measured operation's rate at half its ceiling at 100× (the fixed-rate runs: the rate it holds with its p99),
    /// the lowest where two endpoints call one operation.
    /// </summary>
    private static Dictionary<string, JsonObject> Medidas(string resultados)
    {
        var seccion = Seccion(resultados, "## Latency at half the ceiling");
        var medidas = new Dictionary<string, JsonObject>();
        foreach (Match fila in FilaDeTasaFija().Matches(seccion))
        {
            var (e, logrado, p99) = (fila.Groups["e"].Value, Numero(fila.Groups["logrado"].Value), Numero(fila.Groups["p99"].Value));
            var id = OperacionDe[e];
            if (medidas.TryGetValue(id, out var previa) && (double)previa["sostenidas"]! <= logrado) continue;
            medidas[id] = new JsonObject
            {
                ["sostenidas"] = logrado,
                ["p99Ms"] = p99,
                ["objetivoP99Ms"] = Numero(fila.Groups["objetivo"].Value),
                ["medicion"] = $"bench/RESULTS.md, Latency at half the ceiling, fixed rate, 100×: {e}.",
            };
        }

        Assert.True(medidas.Count == OperacionDe.Values.Distinct().Count(), "bench/RESULTS.md no trae la tabla de tasa fija de cada endpoint E1–E6.");
        return medidas;
    }

    private static (double Tasa, int Errores5xx) Rafaga(string resultados)
    {
        var fila = FilaDeRafaga().Match(Seccion(resultados, "## Deadline burst"));
        Assert.True(fila.Success, "bench/RESULTS.md no trae la fila 'burst' de Deadline burst.");
        return (Numero(fila.Groups["lecturas"].Value) + Numero(fila.Groups["escrituras"].Value), int.Parse(fila.Groups["cincoxx"].Value, CultureInfo.InvariantCulture));
    }

    private static string Seccion(string resultados, string titulo)
    {
        var desde = resultados.IndexOf(titulo, StringComparison.Ordinal);
        Assert.True(desde >= 0, $"bench/RESULTS.md no tiene la sección '{titulo}'.");
        var hasta = resultados.IndexOf("\n## ", desde + titulo.Length, StringComparison.Ordinal);
        return hasta < 0 ? resultados[desde..] : resultados[desde..hasta];
    }

    private static double Numero(string texto) => double.Parse(texto.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);

    // | E1 `GET …` | rate asked | achieved | p50 | p95 | p99 | max | p99 of each run | ≤ target | met? | errors |
    [GeneratedRegex(@"^\| (?<e>E[1-6]) [^|]*\| [\d,.]+ \| (?<logrado>[\d,.]+) \| [\d,.]+ \| [\d,.]+ \| (?<p99>[\d,.]+) \| [\d,.]+ \| [^|]* \| ≤ (?<objetivo>[\d,.]+) \|", RegexOptions.Multiline)]
    private static partial Regex FilaDeTasaFija();

    // | burst (20×) | rate asked | reads/s | read p50 | read p99 | read max | writes/s | write p99 | statuses | 5xx | socket errors |
    [GeneratedRegex(@"^\| burst [^|]*\| [\d,.]+ \| (?<lecturas>[\d,.]+) \| [\d,.]+ \| [\d,.]+ \| [\d,.]+ \| (?<escrituras>[\d,.]+) \| [\d,.]+ \| [^|]* \| (?<cincoxx>\d+) \|", RegexOptions.Multiline)]
    private static partial Regex FilaDeRafaga();
}
