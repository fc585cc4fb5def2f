using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using NJsonSchema;
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

    private sealed class Hallazgos
    {
        public List<Violacion> Violaciones { get; } = [];
        public bool CuerpoValidado { get; set; }
        public List<string> NoDocumentados { get; set; } = [];
    }
}
