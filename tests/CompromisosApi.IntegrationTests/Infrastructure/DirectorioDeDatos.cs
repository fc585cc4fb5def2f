using System.Text;
using System.Text.Json.Nodes;

namespace CompromisosApi.IntegrationTests.Infrastructure;

/// <summary>
/// The Directorio de Datos (Norma Técnica de Interoperabilidad, D12 Art. 20), generated from the contract: one row per
/// property of every schema (schema, field, type, description, classification), sorted by schema and field, in UTF-8
/// CSV with RFC 4180 quoting and CRLF line ends. Written by scripts/update-openapi.sh beside api-spec/openapi.json.
/// </summary>
public static class DirectorioDeDatos
{
    public const string Extension = "x-clasificacion";

    public static readonly IReadOnlyList<string> Clases = ["personal", "sensible", "estadistico", "secreto", "reservado", "otro"];

    public static string Archivo { get; } = Path.Combine(Repositorio.Raiz, "api-spec", "directorio-datos.csv");

    /// <summary>Every (schema, property, its schema) of the document's components, sorted.</summary>
    public static IEnumerable<(string Esquema, string Campo, JsonNode Propiedad)> Propiedades(JsonNode doc) =>
        from esquema in doc["components"]!["schemas"]!.AsObject().OrderBy(e => e.Key, StringComparer.Ordinal)
        from propiedad in (esquema.Value!["properties"]?.AsObject() ?? []).OrderBy(p => p.Key, StringComparer.Ordinal)
        select (esquema.Key, propiedad.Key, propiedad.Value!);

    public static string Generar(JsonNode doc)
    {
        var csv = new StringBuilder();
        Fila(csv, "schema", "field", "type", "description", "classification");
        foreach (var (esquema, campo, propiedad) in Propiedades(doc))
        {
            Fila(csv, esquema, campo, Tipo(propiedad), Descripcion(propiedad), (string?)propiedad[Extension] ?? "");
        }

        return csv.ToString();
    }

    private static string Descripcion(JsonNode propiedad) =>
        string.Join(' ', ((string?)propiedad["description"] ?? "").Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));

    /// <summary>The JSON type (with its format), the referenced schema's name, array&lt;…&gt;, and "| null" when nullable.</summary>
    public static string Tipo(JsonNode s)
    {
        var tipo = s["$ref"] is { } referencia ? ((string)referencia!)[((string)referencia!).LastIndexOf('/')..][1..]
            : s["allOf"] is JsonArray { Count: 1 } todos ? Tipo(todos[0]!)
            : s["oneOf"] is JsonArray unos ? string.Join(" | ", unos.Select(u => u!["enum"] is JsonArray { Count: 1 } e && e[0] is null ? "null" : Tipo(u!)))
            : (string?)s["type"] == "array" ? $"array<{(s["items"] is { } items ? Tipo(items) : "any")}>"
            : ((string?)s["type"] ?? "any") + (s["format"] is { } formato ? $"({(string?)formato})" : "");
        return s["nullable"] is { } anulable && (bool)anulable! && !tipo.EndsWith("null", StringComparison.Ordinal) ? tipo + " | null" : tipo;
    }

    private static void Fila(StringBuilder csv, params string[] campos)
    {
        csv.Append(string.Join(',', campos.Select(Campo))).Append("\r\n");
    }

    private static string Campo(string valor) =>
        valor.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + valor.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : valor;
}
