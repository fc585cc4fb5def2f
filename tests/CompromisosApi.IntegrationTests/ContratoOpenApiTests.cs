using System.Text.Json;
using System.Text.Json.Nodes;
using CompromisosApi.IntegrationTests.Infrastructure;

namespace CompromisosApi.IntegrationTests;

/// <summary>
/// api-spec/openapi.json is the contract generated clients are built from: the served document must equal it.
/// After a deliberate change, regenerate it with scripts/update-openapi.sh and review the diff.
/// </summary>
public sealed class ContratoOpenApiTests(ApiFactory factory) : PruebaApi(factory)
{
    private static readonly string Archivo = Path.Combine(Repositorio.Raiz, "api-spec", "openapi.json");
    private static readonly JsonSerializerOptions Indentado = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private async Task<string> ServidoAsync()
    {
        var json = await Cliente.GetStringAsync("/swagger/v1/swagger.json");
        return JsonNode.Parse(json)!.ToJsonString(Indentado).ReplaceLineEndings("\n") + "\n";
    }

    [Fact]
    public async Task El_documento_servido_es_el_contrato_comprometido()
    {
        var servido = await ServidoAsync();
        if (Environment.GetEnvironmentVariable("UPDATE_OPENAPI") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Archivo)!);
            await File.WriteAllTextAsync(Archivo, servido);
        }

        Assert.True(File.Exists(Archivo), "Falta api-spec/openapi.json: genérelo con scripts/update-openapi.sh");
        var comprometido = (await File.ReadAllTextAsync(Archivo)).ReplaceLineEndings("\n");
        Assert.True(comprometido == servido,
            "El documento OpenAPI servido difiere de api-spec/openapi.json. Si el cambio es deliberado, ejecute scripts/update-openapi.sh y revise el diff.");
    }

    [Fact]
    public async Task Cada_operacion_tiene_operationId_unico_resumen_descripcion_y_sus_errores()
    {
        var doc = JsonNode.Parse(await ServidoAsync())!;
        var ids = new List<string>();
        foreach (var (ruta, operaciones) in doc["paths"]!.AsObject())
        {
            foreach (var (metodo, op) in operaciones!.AsObject())
            {
                var donde = $"{metodo.ToUpperInvariant()} {ruta}";
                var id = (string?)op!["operationId"];
                Assert.False(string.IsNullOrWhiteSpace(id), $"{donde} no tiene operationId");
                ids.Add(id!);
                Assert.False(string.IsNullOrWhiteSpace((string?)op["summary"]), $"{donde} no tiene summary");
                Assert.False(string.IsNullOrWhiteSpace((string?)op["description"]), $"{donde} no tiene description");
                var respuestas = op["responses"]!.AsObject();
                if (ruta.Contains('{')) Assert.True(respuestas.ContainsKey("404"), $"{donde} no declara 404");
                if (metodo is "post" or "put")
                {
                    Assert.True(respuestas.ContainsKey("400"), $"{donde} no declara 400");
                    Assert.True(respuestas.ContainsKey("409"), $"{donde} no declara 409");
                    Assert.Equal("application/problem+json", respuestas["409"]!["content"]!.AsObject().Single().Key);
                }

                if (metodo == "put")
                {
                    Assert.True(respuestas.ContainsKey("412") && respuestas.ContainsKey("428"), $"{donde} no declara 412 y 428");
                    var ifMatch = op["parameters"]!.AsArray().Single(p => (string?)p!["name"] == "If-Match")!;
                    Assert.Equal("header", (string?)ifMatch["in"]);
                    Assert.True((bool)ifMatch["required"]!, $"{donde}: If-Match debe ser obligatorio");
                    Assert.NotNull(respuestas["200"]!["headers"]?["ETag"]);
                }

                if (metodo == "get" && ruta.EndsWith("/{id}", StringComparison.Ordinal))
                {
                    Assert.NotNull(respuestas["200"]!["headers"]?["ETag"]);
                }

                foreach (var parametro in op["parameters"]?.AsArray() ?? [])
                {
                    var nombre = (string)parametro!["name"]!;
                    if ((string?)parametro["in"] == "query") Assert.True(char.IsLower(nombre[0]), $"{donde}: el parámetro {nombre} no va en camelCase");
                }
            }
        }

        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.True(ids.Count >= 30, $"Solo {ids.Count} operaciones");
    }

    [Fact]
    public async Task Los_esquemas_llevan_ejemplos_y_las_enumeraciones_van_como_texto()
    {
        var doc = JsonNode.Parse(await ServidoAsync())!;
        var esquemas = doc["components"]!["schemas"]!.AsObject();
        Assert.Equal("2009-12", (string?)esquemas["Compromiso"]!["properties"]!["fechaVencimiento"]!["example"]);
        var calificacion = esquemas["Calificacion"]!;
        Assert.Equal(["Pendiente", "Cumplido", "ParcialmenteCumplido", "NoCumplido", "Cancelado"], calificacion["enum"]!.AsArray().Select(x => (string)x!));
        Assert.Contains("PaginaCompromiso", esquemas.Select(e => e.Key));
    }
}
