using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;

namespace CompromisosApi.Common;

/// <summary>
/// The members the service adds to a problem (RFC 9457 extension members), one name each: the code that sends them and
/// the contract that declares them (<see cref="MiembrosDeProblemaEnElContrato"/>) read these.
/// </summary>
public static class MiembrosDeProblema
{
    /// <summary>Every problem: the W3C trace id of the request (Observabilidad.Completar).</summary>
    public const string TraceId = "traceId";

    /// <summary>415: the media types the operation takes.</summary>
    public const string Admitidos = "admitidos";

    /// <summary>406: the representations the resource has.</summary>
    public const string Disponibles = "disponibles";

    /// <summary>409 of a refused egreso: the compromisos still open.</summary>
    public const string CompromisosAbiertos = Domain.Programa.MiembroCompromisosAbiertos;

    /// <summary>413 of an evidence upload: the largest file taken, in bytes.</summary>
    public const string TamanoMaximo = "tamanoMaximo";

    /// <summary>422 of a quota: which one, and its limit.</summary>
    public const string Cuota = "cuota";

    public const string Limite = "limite";

    /// <summary>403 of an import: each element the token's roles don't allow (ProblemaImportacionNoAutorizada).</summary>
    public const string Rechazos = "rechazos";
}

/// <summary>
/// The closed sets of values some problem members take, given where they are defined (Program.cs: the evidence types,
/// the informe's representations, the quotas), so that Common, which declares them, depends on no feature.
/// </summary>
public sealed class ValoresDeProblemas
{
    public Dictionary<string, List<string>> Valores { get; } = new(StringComparer.Ordinal);

    public ValoresDeProblemas Agregar(string miembro, IEnumerable<string> valores)
    {
        if (!Valores.TryGetValue(miembro, out var lista)) Valores[miembro] = lista = [];
        foreach (var v in valores)
        {
            if (!lista.Contains(v)) lista.Add(v);
        }

        return this;
    }
}

/// <summary>
/// Declares in the problem schemas the members the service sends beyond RFC 9457's, with their types, so that generated
/// clients read them as properties: traceId on every problem (required: every problem+json carries it), errors on
/// every 400 (required), and on the plain problem the members of the types that carry them (optional: each comes only
/// with its type, as its description says). additionalProperties stays open, as RFC 9457 has it.
/// </summary>
internal sealed class MiembrosDeProblemaEnElContrato(IOptions<ValoresDeProblemas> valores) : Swashbuckle.AspNetCore.SwaggerGen.IDocumentFilter
{
    internal const string EsquemaCompromisoAbierto = "CompromisoAbierto";

    public void Apply(OpenApiDocument doc, Swashbuckle.AspNetCore.SwaggerGen.DocumentFilterContext context)
    {
        var esquemas = doc.Components?.Schemas;
        if (esquemas is null) return;
        foreach (var (nombre, esquema) in esquemas.ToList())
        {
            if (esquema is not OpenApiSchema s || s.Properties is null || !s.Properties.ContainsKey("type") || !s.Properties.ContainsKey("instance")) continue;
            s.Properties[MiembrosDeProblema.TraceId] = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                MaxLength = Observabilidad.LargoTraceId,
                Description = "Id de traza W3C de la solicitud (el del traceparent recibido, si vino): citarlo al reportar un problema.",
            };
            s.Required ??= new HashSet<string>();
            s.Required.Add(MiembrosDeProblema.TraceId);
            if (nombre == nameof(HttpValidationProblemDetails)) s.Required.Add("errors");
        }

        if (!esquemas.TryGetValue(nameof(ProblemDetails), out var generico) || generico is not OpenApiSchema problema) return;
        esquemas[EsquemaCompromisoAbierto] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "Un compromiso que impide el egreso: aún no está Cumplido ni Cancelado.",
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["id"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1", Maximum = int.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                ["numero"] = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = Domain.Compromiso.LargoNumero, Example = System.Text.Json.Nodes.JsonValue.Create("1.2") },
                ["calificacion"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    Enum = Enum.GetNames<Domain.Calificacion>().Select(n => (System.Text.Json.Nodes.JsonNode)System.Text.Json.Nodes.JsonValue.Create(n)).ToList(),
                },
            },
            Required = new HashSet<string> { "id", "numero", "calificacion" },
            AdditionalPropertiesAllowed = false,
        };
        problema.Properties![MiembrosDeProblema.Admitidos] = Lista(MiembrosDeProblema.Admitidos,
            "Con urn:compromisos:tipo-no-admitido (415): los tipos de contenido que la operación recibe.");
        problema.Properties[MiembrosDeProblema.Disponibles] = Lista(MiembrosDeProblema.Disponibles,
            "Con urn:compromisos:no-aceptable (406): las representaciones que el recurso tiene, para pedir una en Accept.");
        problema.Properties[MiembrosDeProblema.CompromisosAbiertos] = new OpenApiSchema
        {
            Type = JsonSchemaType.Array,
            Items = new OpenApiSchemaReference(EsquemaCompromisoAbierto, doc),
            MaxItems = Paginacion.LimiteMaximo * 5, // as every list the record has (LimitesDeEsquema)
            Description = $"Con {TiposDeProblema.PrefijoRegla}{Domain.Reglas.CompromisosAbiertos} (409 del egreso): los compromisos que siguen abiertos, por id.",
        };
        problema.Properties[MiembrosDeProblema.TamanoMaximo] = Int64(1,
            "Con urn:compromisos:archivo-demasiado-grande (413): el tamaño máximo de un archivo de evidencia, en bytes (Evidencia:TamanoMaximoBytes).");
        problema.Properties[MiembrosDeProblema.Cuota] = new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Enum = Valores(MiembrosDeProblema.Cuota),
            Description = "Con urn:compromisos:cuota-excedida (422): la cuota que la escritura excedería (sección Cuotas de la configuración).",
        };
        problema.Properties[MiembrosDeProblema.Limite] = Int64(0,
            "Con urn:compromisos:cuota-excedida (422): el límite de esa cuota (una cantidad, o bytes si la cuota es de bytes).");
    }

    private static OpenApiSchema Int64(int minimo, string descripcion) => new()
    {
        Type = JsonSchemaType.Integer,
        Format = "int64",
        Minimum = minimo.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Maximum = long.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Description = descripcion,
    };

    private OpenApiSchema Lista(string miembro, string descripcion)
    {
        var enumerados = Valores(miembro);
        return new OpenApiSchema
        {
            Type = JsonSchemaType.Array,
            Items = new OpenApiSchema { Type = JsonSchemaType.String, Enum = enumerados },
            MaxItems = enumerados.Count,
            Description = descripcion,
        };
    }

    private List<System.Text.Json.Nodes.JsonNode> Valores(string miembro) =>
        (valores.Value.Valores.TryGetValue(miembro, out var v) ? v : [])
        .Select(x => (System.Text.Json.Nodes.JsonNode)System.Text.Json.Nodes.JsonValue.Create(x)).ToList();
}
