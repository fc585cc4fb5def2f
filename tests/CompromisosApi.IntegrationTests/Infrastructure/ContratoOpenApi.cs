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

/// <summary>
/// One response as the client received it: status, headers (response and content headers together, names without
/// regard to case), how many body bytes were sent, and the body itself when it was kept (null when it was not: too
/// large, or of a type whose body is not checked).
/// </summary>
public sealed record RespuestaObservada(int Estado, IReadOnlyDictionary<string, string> Encabezados, long BytesDelCuerpo, byte[]? Cuerpo)
{
    public string? TipoDeContenido => Encabezados.TryGetValue("Content-Type", out var v) ? v : null;
}

/// <summary>
/// What is wrong with one response. <see cref="Operacion"/>, <see cref="Estado"/> and <see cref="Tipo"/> group it in
/// the report (so <see cref="Tipo"/> names the kind and where, never values); <see cref="Detalle"/> is this instance.
/// </summary>
public sealed record Violacion(string Operacion, int Estado, string Tipo, string Detalle);

/// <summary>
/// How one response fared: <see cref="Validada"/> is false for the responses the contract says nothing about (outside
/// its base path, CORS preflights), which are not checked at all. <see cref="CuerpoValidado"/> says the body went through
/// the schema. <see cref="EncabezadosNoDocumentados"/> are headers the response carried that its documented response
/// doesn't name: OpenAPI allows them, so they are no violation, only what the contract could still say.
/// </summary>
public sealed record Veredicto(bool Validada, string Operacion, IReadOnlyList<Violacion> Violaciones, bool CuerpoValidado = false,
    IReadOnlyList<string>? EncabezadosNoDocumentados = null);

/// <summary>
/// The committed contract (<c>api-spec/openapi.json</c>, OpenAPI 3.0) as a checker of responses. The document is read
/// by NSwag, whose schemas are NJsonSchema's: references are resolved by the library and every body and header is
/// validated by NJsonSchema's validator in its OpenAPI 3 mode (so <c>nullable</c> is honoured). What is written here
/// is only what a schema validator can't know: which operation a request reached, which of its responses applies,
/// and how a header or a path segment (text on the wire) becomes a JSON value.
/// </summary>
public sealed partial class ContratoOpenApi
{
    private static readonly Lazy<ContratoOpenApi> ElComprometido = new(() =>
        DesdeJson(File.ReadAllText(Path.Combine(Repositorio.Raiz, "api-spec", "openapi.json"))));

    private readonly OpenApiDocument _documento;
    private readonly List<Plantilla> _plantillas;
    private readonly string[] _base;
    private readonly JsonSchema? _problema;

    private ContratoOpenApi(OpenApiDocument documento)
    {
        _documento = documento;
        _plantillas = documento.Paths
            .Select(p => new Plantilla(p.Key, p.Key.Trim('/').Split('/'), p.Value))
            // OpenAPI: concrete paths are matched before templated ones (/cortes/actual before /cortes/{fecha}).
            .OrderByDescending(p => p.Segmentos.Count(s => !EsParametro(s)))
            .ToList();
        _base = BaseComun(_plantillas);
        _problema = documento.Components.Schemas.TryGetValue("ProblemDetails", out var problema) ? problema : null;
    }

    /// <summary>The committed <c>api-spec/openapi.json</c>, read once per process.</summary>
    public static ContratoOpenApi Comprometido => ElComprometido.Value;

    /// <summary>Base path shared by every path of the contract (/api/v1): what lies outside it is not the contract's.</summary>
    public string Base => "/" + string.Join('/', _base);

    public static ContratoOpenApi DesdeJson(string json) =>
        new(OpenApiDocument.FromJsonAsync(json).GetAwaiter().GetResult());

    /// <summary>Checks one response to <paramref name="metodo"/> <paramref name="ruta"/> (the path, without query).</summary>
    public Veredicto Validar(string metodo, string ruta, RespuestaObservada respuesta, bool preflightCors = false)
    {
        var segmentos = ruta.Trim('/').Split('/');
        // Outside the base path (Swagger UI, the served document, /health) the contract promises nothing; a CORS
        // preflight is the browser's protocol, answered by the CORS middleware before any operation, and OpenAPI 3.0
        // has no way to describe it. Neither is checked.
        if (preflightCors || !EmpiezaCon(segmentos, _base)) return new Veredicto(false, "(fuera del contrato)", []);

        var hallazgos = new Hallazgos();

        var (operacion, plantilla, porque) = Buscar(metodo, segmentos);
        if (operacion is null)
        {
            var etiqueta = $"(fuera del contrato) {metodo} {plantilla ?? "ruta desconocida"}";
            FueraDelContrato(etiqueta, porque!, respuesta, hallazgos);
            return new Veredicto(true, etiqueta, hallazgos.Violaciones, hallazgos.CuerpoValidado);
        }

        var nombre = operacion.OperationId ?? $"{metodo} {plantilla}";
        ValidarOperacion(nombre, metodo, operacion, respuesta, hallazgos);
        return new Veredicto(true, nombre, hallazgos.Violaciones, hallazgos.CuerpoValidado, hallazgos.NoDocumentados);
    }

    /// <summary>
    /// A request under the base path that reaches no operation (an unknown path, a method the path doesn't have, a
    /// path segment its parameter's schema refuses: what fuzzing and probing tests send on purpose). The contract
    /// describes no answer to it, but every error it documents is application/problem+json: so the one rule that holds
    /// for any request is the error convention, a 4xx problem whose body validates against ProblemDetails.
    /// </summary>
    private void FueraDelContrato(string etiqueta, string porque, RespuestaObservada r, Hallazgos hallazgos)
    {
        var violaciones = hallazgos.Violaciones;
        if (r.Estado is < 400 or >= 500)
        {
            violaciones.Add(new(etiqueta, r.Estado, "una solicitud fuera del contrato no recibió un error 4xx", porque));
            return;
        }

        var tipo = TipoDeMedio(r.TipoDeContenido);
        if (tipo != "application/problem+json")
        {
            violaciones.Add(new(etiqueta, r.Estado, $"error fuera del contrato sin application/problem+json (es {tipo ?? "sin cuerpo"})", porque));
            return;
        }

        if (_problema is not null) hallazgos.CuerpoValidado = ValidarCuerpo(etiqueta, r, _problema, violaciones);
    }

    private static void ValidarOperacion(string nombre, string metodo, OpenApiOperation operacion, RespuestaObservada r, Hallazgos hallazgos)
    {
        var violaciones = hallazgos.Violaciones;
        var respuestas = operacion.ActualResponses;
        var codigo = r.Estado.ToString(CultureInfo.InvariantCulture);
        var documentada = respuestas.TryGetValue(codigo, out var exacta) ? exacta
            : respuestas.FirstOrDefault(x => string.Equals(x.Key, $"{codigo[0]}XX", StringComparison.OrdinalIgnoreCase)).Value
              ?? (respuestas.TryGetValue("default", out var porOmision) ? porOmision : null);
        if (documentada is null)
        {
            violaciones.Add(new(nombre, r.Estado, "estado no documentado",
                $"documentados: {string.Join(", ", respuestas.Keys)}"));
            return;
        }

        ValidarEncabezados(nombre, documentada, r, violaciones);
        hallazgos.NoDocumentados = [.. r.Encabezados.Keys.Where(e => !DeTransporte.Contains(e) && !documentada.Headers.Keys.Contains(e, StringComparer.OrdinalIgnoreCase))];
        // OpenAPI allows undeclared headers, but these carry the API's own semantics (versions, where a thing was
        // created, when to retry, quotas, files and ranges): a client generated from the contract must know of them.
        foreach (var e in hallazgos.NoDocumentados.Where(Semanticos.Contains))
            violaciones.Add(new(nombre, r.Estado, "encabezado no documentado", e));

        var contenido = documentada.Content;
        var tipo = TipoDeMedio(r.TipoDeContenido);
        if (contenido.Count == 0)
        {
            // 204, 304 and the like: the contract documents no content, so none may come.
            if (r.BytesDelCuerpo > 0)
                violaciones.Add(new(nombre, r.Estado, "cuerpo en una respuesta documentada sin contenido", $"{tipo ?? "sin Content-Type"}, {r.BytesDelCuerpo} bytes"));
            return;
        }

        // A HEAD answer has no body by definition; its Content-Type still says what a GET would send. A file of a
        // documented type may be empty (a day without traces exports an empty JSON Lines file).
        var archivoVacio = tipo is not null && contenido.TryGetValue(tipo, out var documentado) && documentado.Schema?.ActualSchema.Format == "binary";
        if (r.BytesDelCuerpo == 0 && !archivoVacio && !string.Equals(metodo, "HEAD", StringComparison.OrdinalIgnoreCase))
            violaciones.Add(new(nombre, r.Estado, "sin cuerpo en una respuesta documentada con contenido", $"documentados: {string.Join(", ", contenido.Keys)}"));

        if (tipo is null)
        {
            if (r.BytesDelCuerpo > 0) violaciones.Add(new(nombre, r.Estado, "cuerpo sin Content-Type", $"documentados: {string.Join(", ", contenido.Keys)}"));
            return;
        }

        var medio = contenido.FirstOrDefault(c => CoincideMedio(c.Key, tipo)).Value;
        if (medio is null)
        {
            violaciones.Add(new(nombre, r.Estado, $"tipo de contenido no documentado: {tipo}", $"documentados: {string.Join(", ", contenido.Keys)}"));
            return;
        }

        if (medio.Schema is not null && EsJson(tipo) && r.BytesDelCuerpo > 0) hallazgos.CuerpoValidado = ValidarCuerpo(nombre, r, medio.Schema, violaciones);
    }

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

    /// <summary>Headers of the message or the connection, not of the operation: no contract lists them.</summary>
    /// <summary>The headers issue 15 names: sent without being declared, they are a violation, not a remark.</summary>
    private static readonly HashSet<string> Semanticos = new(StringComparer.OrdinalIgnoreCase)
    {
        "ETag", "Location", "Retry-After", "RateLimit", "RateLimit-Policy", "Content-Disposition", "Last-Modified",
        "Content-Range", "Accept-Ranges", "Idempotent-Replayed",
    };

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

    /// <summary>
    /// The operation a request reached, the way the contract's paths say it: same number of segments, literal
    /// segments equal (without regard to case, as the service routes), concrete paths first, and each templated
    /// segment valid for its parameter's schema. With no operation, the template it looked like (if any) and why not.
    /// </summary>
    private (OpenApiOperation? Operacion, string? Plantilla, string? Porque) Buscar(string metodo, string[] segmentos)
    {
        string? parecida = null, porque = null;
        foreach (var plantilla in _plantillas)
        {
            if (plantilla.Segmentos.Length != segmentos.Length) continue;
            var literales = true;
            for (var i = 0; i < segmentos.Length && literales; i++)
                literales = EsParametro(plantilla.Segmentos[i]) || string.Equals(plantilla.Segmentos[i], segmentos[i], StringComparison.OrdinalIgnoreCase);
            if (!literales) continue;

            parecida ??= plantilla.Ruta;
            if (!plantilla.Item.TryGetValue(metodo.ToLowerInvariant(), out var operacion))
            {
                porque ??= $"{plantilla.Ruta} no tiene {metodo}";
                continue;
            }

            var rechazo = ParametroRechazado(operacion, plantilla, segmentos);
            if (rechazo is null) return (operacion, plantilla.Ruta, null);
            porque ??= rechazo;
            parecida = plantilla.Ruta;
        }

        return (null, parecida, porque ?? "ninguna ruta del contrato coincide");
    }

    private static string? ParametroRechazado(OpenApiOperation operacion, Plantilla plantilla, string[] segmentos)
    {
        for (var i = 0; i < segmentos.Length; i++)
        {
            if (!EsParametro(plantilla.Segmentos[i])) continue;
            var nombre = plantilla.Segmentos[i][1..^1];
            var parametro = operacion.ActualParameters.FirstOrDefault(p => p.Kind == OpenApiParameterKind.Path && p.Name == nombre)?.ActualParameter;
            if (parametro is null) continue;
            var esquema = parametro.Schema?.ActualSchema ?? parametro.ActualSchema;
            if (Errores(ComoJson(segmentos[i], esquema), esquema).Count > 0)
                return $"{nombre} = «{Extracto(segmentos[i], 60)}» no cumple el esquema del parámetro";
        }

        return null;
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

    private static bool EsParametro(string segmento) => segmento.StartsWith('{') && segmento.EndsWith('}');

    private static bool EmpiezaCon(string[] segmentos, string[] prefijo) =>
        segmentos.Length >= prefijo.Length && prefijo.Select((s, i) => string.Equals(s, segmentos[i], StringComparison.OrdinalIgnoreCase)).All(x => x);

    private static string[] BaseComun(List<Plantilla> plantillas)
    {
        if (plantillas.Count == 0) return [];
        var comun = plantillas[0].Segmentos.TakeWhile(s => !EsParametro(s)).ToList();
        foreach (var p in plantillas.Skip(1))
        {
            var n = 0;
            while (n < comun.Count && n < p.Segmentos.Length && comun[n] == p.Segmentos[n]) n++;
            comun.RemoveRange(n, comun.Count - n);
        }

        return [.. comun];
    }

    /// <summary>NJsonSchema's paths (#/items[0].texto) as JSON.NET's (items[0].texto), to quote the value that failed.</summary>
    private static string JsonPath(string? ruta) => (ruta ?? "#").TrimStart('#').TrimStart('/');

    public static string Extracto(string texto, int largo = 300) =>
        texto.Length <= largo ? texto : texto[..largo] + $"… ({texto.Length} caracteres)";

    [GeneratedRegex(@"\[\d+\]")]
    private static partial Regex Indices();

    private sealed record Plantilla(string Ruta, string[] Segmentos, OpenApiPathItem Item);

    private sealed class Hallazgos
    {
        public List<Violacion> Violaciones { get; } = [];
        public bool CuerpoValidado { get; set; }
        public List<string> NoDocumentados { get; set; } = [];
    }
}
