using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using NJsonSchema;
using NJsonSchema.Validation;
using NSwag;

namespace CompromisosApi.IntegrationTests.Infrastructure;

public sealed partial class ContratoOpenApi
{
    /// <summary>
    /// Every header the response documents as required must be there, and every documented header that is there must
    /// match its schema. Header values are text: they become the JSON value their schema's type asks for (OpenAPI's
    /// <c>simple</c> style) and NJsonSchema validates that. Content-Type is left out, as OpenAPI says to ignore it here.
    /// </summary>
    private static void ValidarEncabezados(string nombre, OpenApiResponse documentada, RespuestaObservada r, List<Violacion> violaciones)
    {
        foreach (var (encabezado, declarado) in documentada.Headers)
        {
            if (string.Equals(encabezado, "Content-Type", StringComparison.OrdinalIgnoreCase)) continue;
            var real = declarado.ActualParameter;
            if (!r.Encabezados.TryGetValue(encabezado, out var valor))
            {
                if (real.IsRequired) violaciones.Add(new(nombre, r.Estado, $"encabezado requerido ausente: {encabezado}", ""));
                continue;
            }

            var esquema = real.Schema?.ActualSchema ?? real.ActualSchema;
            var errores = Errores(ComoJson(valor, esquema), esquema);
            if (errores.Count > 0)
                violaciones.Add(new(nombre, r.Estado, $"encabezado {encabezado} no cumple su esquema ({string.Join(", ", errores.Select(e => e.Kind).Distinct())})", $"{encabezado}: {valor}"));
        }
    }

    /// <summary>The headers issue 15 names: sent without being declared, they are a violation, not a remark.</summary>
    private static readonly HashSet<string> Semanticos = new(StringComparer.OrdinalIgnoreCase)
    {
        "ETag", "Location", "Retry-After", "RateLimit", "RateLimit-Policy", "Content-Disposition", "Last-Modified",
        "Content-Range", "Accept-Ranges", "Idempotent-Replayed",
    };

    /// <summary>Headers of the message or the connection, not of the operation: no contract lists them.</summary>
    private static readonly HashSet<string> DeTransporte = new(StringComparer.OrdinalIgnoreCase)
    {
        "Content-Type", "Content-Length", "Transfer-Encoding", "Date", "Server", "Connection", "Keep-Alive",
    };

    private static bool ValidarCuerpo(string nombre, RespuestaObservada r, JsonSchema esquema, List<Violacion> violaciones)
    {
        // Not kept (beyond the size bound): checked as far as its status, type and headers, not its body.
        if (r.Cuerpo is null) return false;
        var texto = Encoding.UTF8.GetString(r.Cuerpo);
        JToken cuerpo;
        try
        {
            cuerpo = Leer(texto);
        }
        catch (JsonReaderException e)
        {
            violaciones.Add(new(nombre, r.Estado, "el cuerpo no es JSON", $"{e.Message} en: {Extracto(texto)}"));
            return true;
        }

        // One violation per kind and place (array indexes folded), so that 50 items failing alike count once.
        foreach (var grupo in Errores(cuerpo, esquema).GroupBy(e => $"{e.Kind} en {Indices().Replace(e.Path ?? "#", "[]")}").Take(20))
        {
            var e = grupo.First();
            violaciones.Add(new(nombre, r.Estado, $"cuerpo: {grupo.Key}",
                $"{e.Path}: {Extracto(cuerpo.SelectToken(JsonPath(e.Path))?.ToString(Formatting.None) ?? "(ausente)")} — cuerpo: {Extracto(texto)}"));
        }

        return true;
    }

    /// <summary>NJsonSchema's errors, the nested ones (allOf, anyOf…) unfolded: each names the place that failed.</summary>
    private static List<ValidationError> Errores(JToken valor, JsonSchema esquema)
    {
        var todos = new List<ValidationError>();
        // Default settings: they bring the format checks (date, date-time…); the parameterless constructor has none.
        Agregar(new JsonSchemaValidator(new JsonSchemaValidatorSettings()).Validate(valor, esquema, SchemaType.OpenApi3));
        return todos;

        void Agregar(IEnumerable<ValidationError> errores)
        {
            foreach (var error in errores)
            {
                if (error is ChildSchemaValidationError hijo && hijo.Errors.Values.Any(v => v.Count > 0))
                    foreach (var rama in hijo.Errors.Values) Agregar(rama);
                else
                    todos.Add(error);
            }
        }
    }

    /// <summary>Text from the wire as the JSON value its schema's type asks for; text when it can't be one (so the type error is the validator's).</summary>
    private static JToken ComoJson(string texto, JsonSchema esquema)
    {
        var tipo = esquema.Type;
        if (tipo.HasFlag(JsonObjectType.Integer) && long.TryParse(texto, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var entero)) return new JValue(entero);
        if (tipo.HasFlag(JsonObjectType.Number) && double.TryParse(texto, NumberStyles.Float, CultureInfo.InvariantCulture, out var numero)) return new JValue(numero);
        if (tipo.HasFlag(JsonObjectType.Boolean) && bool.TryParse(texto, out var logico)) return new JValue(logico);
        if (tipo.HasFlag(JsonObjectType.Array)) return new JArray(texto.Split(',').Select(v => v.Trim()));
        return new JValue(texto);
    }

    private static JToken Leer(string texto)
    {
        // Dates stay text: a "date" or "date-time" string must reach the validator's format check as written.
        using var lector = new JsonTextReader(new StringReader(texto)) { DateParseHandling = DateParseHandling.None, FloatParseHandling = FloatParseHandling.Decimal };
        var valor = JToken.ReadFrom(lector);
        if (lector.Read()) throw new JsonReaderException("contenido después del valor JSON");
        return valor;
    }

    private static string? TipoDeMedio(string? contentType) =>
        contentType is not null && MediaTypeHeaderValue.TryParse(contentType, out var valor) ? valor.MediaType?.ToLowerInvariant() : contentType;

    /// <summary>A documented key may be a range (text/*, */*), as OpenAPI allows.</summary>
    private static bool CoincideMedio(string documentado, string tipo)
    {
        documentado = TipoDeMedio(documentado) ?? documentado;
        if (documentado == "*/*" || documentado == tipo) return true;
        return documentado.EndsWith("/*", StringComparison.Ordinal) && tipo.StartsWith(documentado[..^1], StringComparison.Ordinal);
    }

    public static bool EsJson(string? tipo) =>
        tipo is not null && (tipo == "application/json" || tipo.EndsWith("+json", StringComparison.Ordinal));

    /// <summary>NJsonSchema's paths (#/items[0].texto) as JSON.NET's (items[0].texto), to quote the value that failed.</summary>
    private static string JsonPath(string? ruta) => (ruta ?? "#").TrimStart('#').TrimStart('/');

    public static string Extracto(string texto, int largo = 300) =>
        texto.Length <= largo ? texto : texto[..largo] + $"… ({texto.Length} caracteres)";

    [GeneratedRegex(@"\[\d+\]")]
    private static partial Regex Indices();
}
