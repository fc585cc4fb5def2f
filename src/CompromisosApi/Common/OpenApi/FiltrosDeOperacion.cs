using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using Microsoft.OpenApi;

namespace CompromisosApi.Common;

// The contract's operations: what Swashbuckle can't infer from the endpoints (headers, media types, security,
// the one description of alCorte and conocidoAl). Registered in OpenApi.AddContratoOpenApi and AddEventos.

/// <summary>
/// Documents the concurrency headers the endpoints honour: If-Match (required on PUT, optional elsewhere) and
/// the ETag returned with a representation.
/// </summary>
internal sealed class EncabezadosDeConcurrencia : Swashbuckle.AspNetCore.SwaggerGen.IOperationFilter
{
    public void Apply(OpenApiOperation operation, Swashbuckle.AspNetCore.SwaggerGen.OperationFilterContext context)
    {
        var metodo = context.ApiDescription.HttpMethod;
        foreach (var p in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
        {
            if (p.In != ParameterLocation.Header || !p.Name!.Equals("If-Match", StringComparison.OrdinalIgnoreCase)) continue;
            p.Name = "If-Match";
            p.Required = metodo == "PUT";
            p.Description = metodo == "PUT"
                ? "ETag leído del recurso (GET). Obligatorio: 428 si falta, 412 si ya no es el vigente."
                : "ETag leído del recurso. Opcional: 412 si ya no es el vigente.";
            p.Example = System.Text.Json.Nodes.JsonValue.Create("\"1234\"");
        }

        var devuelveVersion = context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<ConEtagAttribute>().Any();
        if (!devuelveVersion || operation.Responses is null) return;
        foreach (var (codigo, respuesta) in operation.Responses)
        {
            if (codigo is not ("200" or "201") || respuesta is not OpenApiResponse r) continue;
            r.Headers ??= new Dictionary<string, IOpenApiHeader>();
            r.Headers[RespuestasDelContrato.ETag] = new OpenApiHeaderReference(RespuestasDelContrato.ETag, context.Document);
        }
    }
}

/// <summary>
/// The 200 answer of the operations that send a file's bytes (the informe in a format, an export), the parameters left out, and
/// the enum of string parameters that take fixed values.
/// </summary>
internal sealed class RespuestasBinariasYParametros : Swashbuckle.AspNetCore.SwaggerGen.IOperationFilter
{
    public void Apply(OpenApiOperation operation, Swashbuckle.AspNetCore.SwaggerGen.OperationFilterContext context)
    {
        var metadatos = context.ApiDescription.ActionDescriptor.EndpointMetadata;
        foreach (var valores in metadatos.OfType<ValoresPermitidosAttribute>())
        {
            var p = operation.Parameters?.OfType<OpenApiParameter>().SingleOrDefault(x => x.Name == valores.Parametro);
            if (p?.Schema is OpenApiSchema esquema)
            {
                esquema.Enum = valores.Valores.Select(v => (System.Text.Json.Nodes.JsonNode)System.Text.Json.Nodes.JsonValue.Create(v)).ToList();
            }
        }

        if (metadatos.OfType<TambienNegociaAttribute>().SingleOrDefault() is { } negociadas
            && operation.Responses?.TryGetValue("200", out var respuesta) == true && respuesta is OpenApiResponse json)
        {
            foreach (var tipo in negociadas.Tipos)
                json.Content![tipo] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } };
            json.Headers ??= new Dictionary<string, IOpenApiHeader>();
            json.Headers[RespuestasDelContrato.ContentDisposition] = new OpenApiHeaderReference(RespuestasDelContrato.ContentDisposition, context.Document);
        }

        if (metadatos.OfType<RespuestaBinariaAttribute>().SingleOrDefault() is not { } binaria) return;
        operation.Responses ??= new OpenApiResponses();
        var ok = new OpenApiResponse
        {
            Description = binaria.Adjunto ? "El archivo, como adjunto." : "Los bytes del documento.",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                [binaria.Tipo] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } },
            },
        };
        if (binaria.Adjunto || binaria.Tipo == "application/pdf")
        {
            ok.Headers = new Dictionary<string, IOpenApiHeader>
            {
                [RespuestasDelContrato.ContentDisposition] = new OpenApiHeaderReference(RespuestasDelContrato.ContentDisposition, context.Document),
            };
        }

        operation.Responses["200"] = ok;
    }
}

/// <summary>
/// The one description of alCorte and of conocidoAl, given to every operation that takes them, so that their meaning is
/// stated once and is the same everywhere (Persistence/AlCorte.cs is their one definition in code).
/// </summary>
internal sealed class LecturaAlCorte : Swashbuckle.AspNetCore.SwaggerGen.IOperationFilter
{
    public const string Descripcion =
        "Corte (yyyy-MM-dd) al que se lee el registro: tal como estaba ese día. Cada compromiso tiene la calificación vigente en ese " +
        "corte, la última registrada con fecha igual o anterior a él (una corrección reemplaza a las registradas antes que ella; " +
        "Pendiente si aún no tenía), con su fecha; vencido se calcula con ella (mes de vencimiento igual o anterior al mes del corte, " +
        "y ni Cumplido ni Cancelado); un programa está Egresado solo si su egreso tiene fecha igual o anterior al corte (un programa " +
        "reabierto no lo está en ningún corte hasta que vuelva a egresar). Los filtros (calificacion, vencidos, estado), las " +
        "estadísticas, las exportaciones y el Informe cuentan ese mismo estado. Sin alCorte: el registro actual, con vencido a hoy " +
        "(fecha de Chile).";

    public const string DescripcionConocidoAl =
        "Instante (RFC 3339 con zona, p. ej. 2010-03-01T12:00:00-03:00; en la URL el + se escribe %2B) al que se lee el registro tal " +
        "como se conocía: lo registrado después (calificaciones, correcciones, reportes, medios de verificación, egresos, reaperturas, " +
        "y programas, recomendaciones y compromisos creados después) se ignora, también en la búsqueda q. Se combina con alCorte (o con " +
        "el corte de la lista): el Informe del corte 2009 tal como podía imprimirse el 2010-03-01. Sin alCorte, el corte es el día de " +
        "conocidoAl en Chile. Las mismas preguntas dan siempre la misma respuesta, aunque el registro se corrija después: si una " +
        "escritura que comenzó antes de ese instante aún no termina, la lectura la espera (unos segundos; si no, 503 con Retry-After). " +
        "No puede ser posterior al instante actual, ni su día en Chile anterior a 1990 (400). Los textos y meses de vencimiento se muestran como están hoy (sus " +
        "ediciones quedan en la bitácora de auditoría). Sin conocidoAl: el registro actual.";

    public void Apply(OpenApiOperation operation, Swashbuckle.AspNetCore.SwaggerGen.OperationFilterContext context)
    {
        foreach (var p in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
        {
            if (p.In == ParameterLocation.Query && p.Name == "alCorte") p.Description = Descripcion;
            if (p.In == ParameterLocation.Query && p.Name == "conocidoAl")
            {
                p.Description = DescripcionConocidoAl;
                if (p.Schema is OpenApiSchema esquema) esquema.Pattern = ParametrosEstrictos.PatronInstante;
            }
        }
    }
}

/// <summary>
/// Every POST declares the Idempotency-Key header and its 409 (in progress) and 422 (reused) answers; the header,
/// the 422 and the Idempotent-Replayed answer header are declared once, in components, and referenced.
/// </summary>
internal sealed class EncabezadoIdempotencia : Swashbuckle.AspNetCore.SwaggerGen.IOperationFilter, Swashbuckle.AspNetCore.SwaggerGen.IDocumentFilter
{
    private const string Parametro = "IdempotencyKey";
    private const string Reutilizada = "IdempotencyKeyReutilizada";
    private const string Repeticion = "IdempotentReplayed";

    public void Apply(OpenApiOperation operation, Swashbuckle.AspNetCore.SwaggerGen.OperationFilterContext context)
    {
        if (context.ApiDescription.HttpMethod != "POST") return;
        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameterReference(Parametro, context.Document));
        operation.Responses ??= new OpenApiResponses();
        // A request with the same key still running: 409 (RespuestasDelContrato declares it, with Retry-After, on every POST).
        operation.Responses["409"] = new OpenApiResponseReference(RespuestasDelContrato.ConflictoOIdempotenciaEnCurso, context.Document);

        // An operation with 422s of its own (quotas) shares the response that describes both.
        operation.Responses["422"] = new OpenApiResponseReference(
            operation.Responses.ContainsKey("422") ? RespuestasDelContrato.CuotaOIdempotenciaReutilizada : Reutilizada, context.Document);

        foreach (var (codigo, respuesta) in operation.Responses)
        {
            if (!codigo.StartsWith('2') || respuesta is not OpenApiResponse r) continue;
            r.Headers ??= new Dictionary<string, IOpenApiHeader>();
            r.Headers[Idempotencia.EncabezadoRepeticion] = new OpenApiHeaderReference(Repeticion, context.Document);
        }
    }

    public void Apply(OpenApiDocument doc, Swashbuckle.AspNetCore.SwaggerGen.DocumentFilterContext context)
    {
        doc.Components ??= new OpenApiComponents();
        doc.Components.Parameters ??= new Dictionary<string, IOpenApiParameter>();
        doc.Components.Parameters[Parametro] = new OpenApiParameter
        {
            Name = Idempotencia.Encabezado,
            In = ParameterLocation.Header,
            Required = false,
            Description =
                "Clave única por solicitud (draft IETF httpapi Idempotency-Key: una cadena entre comillas; también se acepta sin ellas), " +
                "hasta 255 caracteres ASCII imprimibles. Reintentar con la misma clave y la misma solicitud (método, ruta y cuerpo) " +
                "devuelve la respuesta guardada (estado, Location, ETag, Content-Type y cuerpo idénticos, con Idempotent-Replayed: true) " +
                "sin volver a escribir; mientras la primera sigue en curso, 409 con Retry-After; con otra solicitud, 422. Solo se guardan " +
                "las respuestas 2xx (un error se vuelve a ejecutar), por usuario, durante Idempotencia:Retencion (24 horas por omisión).",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = Idempotencia.LargoMaximo + 2 },
            Example = System.Text.Json.Nodes.JsonValue.Create("\"8e03978e-40d5-43e8-bc93-6894a57f9324\""),
        };
        doc.Components.Responses ??= new Dictionary<string, IOpenApiResponse>();
        var reutilizada = new OpenApiResponse
        {
            Description = "La Idempotency-Key ya se usó con otra solicitud (otro método, ruta o cuerpo).",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(nameof(ProblemDetails), doc) },
            },
        };
        RespuestasDelContrato.Declarar(reutilizada, doc);
        doc.Components.Responses[Reutilizada] = reutilizada;
        doc.Components.Headers ??= new Dictionary<string, IOpenApiHeader>();
        doc.Components.Headers[Repeticion] = new OpenApiHeader
        {
            Description = "true cuando la respuesta es la guardada para esta Idempotency-Key (una repetición).",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 5 },
        };
    }
}

