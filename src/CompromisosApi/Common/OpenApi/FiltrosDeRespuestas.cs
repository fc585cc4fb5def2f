using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace CompromisosApi.Common;

/// <summary>
/// Every answer the service can give, for every operation, declared once in components (responses and headers) and
/// referenced: what the pipeline answers whatever the endpoint (401 for a token that fails validation, 429 from the
/// rate limiter, 503 when the database is unreachable, 408 and 413 for a request body), what the endpoint's metadata
/// says it needs (401/403 from its authorization policy; the fallback policy of Autorizacion:LecturaPublica=false
/// for reads), the headers each answer carries (RateLimit on every one, Location on every 201, Retry-After on 429 and
/// 503), and the security requirement of each operation, derived from the same metadata the authorization middleware
/// reads. The problem+json answers the endpoints declare (.Errores) become references to the shared responses.
/// </summary>
internal sealed class RespuestasDelContrato(IOptions<AuthorizationOptions> autorizacion, IConfiguration configuracion)
    : IOperationFilter, IDocumentFilter
{
    // Shared responses (components/responses).
    internal const string SolicitudInvalida = "SolicitudInvalida";
    internal const string NoAutenticado = "NoAutenticado";
    internal const string Prohibido = "Prohibido";
    internal const string NoEncontrado = "NoEncontrado";
    internal const string NoModificado = "NoModificado";
    internal const string ErrorInterno = "ErrorInterno";
    internal const string NoAceptable = "NoAceptable";
    internal const string CuerpoDemasiadoLento = "CuerpoDemasiadoLento";
    internal const string Conflicto = "Conflicto";
    internal const string ConflictoOIdempotenciaEnCurso = "ConflictoOIdempotenciaEnCurso";
    internal const string VersionObsoleta = "VersionObsoleta";
    internal const string CuerpoDemasiadoGrande = "CuerpoDemasiadoGrande";
    internal const string TipoNoAdmitido = "TipoNoAdmitido";
    internal const string RangoNoSatisfacible = "RangoNoSatisfacible";
    internal const string CuotaOIdempotenciaReutilizada = "CuotaOIdempotenciaReutilizada";
    internal const string IfMatchRequerido = "IfMatchRequerido";
    internal const string DemasiadasSolicitudes = "DemasiadasSolicitudes";
    internal const string NoDisponible = "NoDisponible";
    internal const string RondaNoEncontrada = "RondaNoEncontrada";
    internal const string RondaEnConflicto = "RondaEnConflicto";
    internal const string RondaExcedeCuota = "RondaExcedeCuota";

    // Shared headers (components/headers).
    internal const string ETag = "ETag";
    internal const string Location = "Location";
    internal const string RetryAfter = "Retry-After";
    internal const string RateLimit = "RateLimit";
    internal const string RateLimitPolicy = "RateLimit-Policy";
    internal const string ContentDisposition = "Content-Disposition";
    internal const string LastModified = "Last-Modified";
    internal const string ContentRange = "Content-Range";
    internal const string AcceptRanges = "Accept-Ranges";
    internal const string WwwAuthenticate = "WWW-Authenticate";
    internal const string Vary = "Vary";
    internal const string OrigenPermitido = "Access-Control-Allow-Origin";

    private const string EsquemaProblema = nameof(ProblemDetails);
    private const string EsquemaValidacion = nameof(HttpValidationProblemDetails);
    private const string EsquemaRonda = nameof(ProblemaDeRonda);

    /// <summary>Reads are public unless Autorizacion:LecturaPublica=false sets a fallback policy (Common/Seguridad.cs).</summary>
    private bool LecturaPublica => autorizacion.Value.FallbackPolicy is null;

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var metadatos = context.ApiDescription.ActionDescriptor.EndpointMetadata;
        var doc = context.Document;
        operation.Responses ??= new OpenApiResponses();
        var r = operation.Responses;

        // Who may call it: the endpoint's own policy, else the fallback policy (none: anonymous or with a token).
        var politica = metadatos.OfType<IAuthorizeData>().Any();
        var anonima = metadatos.OfType<IAllowAnonymous>().Any() || (!politica && LecturaPublica);
        var bearer = new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("Bearer", doc)] = [] };
        operation.Security = anonima ? [new OpenApiSecurityRequirement(), bearer] : [bearer];

        // A token that fails validation is refused on every operation (Seguridad.UseRechazoDeTokensInvalidos).
        r["401"] = new OpenApiResponseReference(NoAutenticado, doc);
        if (politica) r["403"] = r.TryGetValue("403", out var propia) && !EsProblemaComun(propia, EsquemaProblema) ? propia : new OpenApiResponseReference(Prohibido, doc);
        if (!metadatos.OfType<DisableRateLimitingAttribute>().Any()) r["429"] = new OpenApiResponseReference(DemasiadasSolicitudes, doc);
        r["503"] = new OpenApiResponseReference(NoDisponible, doc);
        // What no test should see, and any operation can send: the one handler's answer to the unexpected.
        r["500"] = new OpenApiResponseReference(ErrorInterno, doc);
        if (operation.RequestBody is not null)
        {
            // Kestrel's floor on the body's data rate and the body size limit (the endpoint's own, or 10 MB); a body
            // of another media type than the operation's.
            r["408"] = new OpenApiResponseReference(CuerpoDemasiadoLento, doc);
            r["413"] = new OpenApiResponseReference(CuerpoDemasiadoGrande, doc);
            if (!r.ContainsKey("415")) r["415"] = new OpenApiResponseReference(TipoNoAdmitido, doc);
        }

        var metodo = context.ApiDescription.HttpMethod;
        foreach (var codigo in r.Keys.ToList())
        {
            var nombre = codigo switch
            {
                "400" => SolicitudInvalida,
                "404" => NoEncontrado,
                "406" => NoAceptable,
                "409" => metodo == "POST" ? ConflictoOIdempotenciaEnCurso : Conflicto,
                "412" => VersionObsoleta,
                "413" => CuerpoDemasiadoGrande,
                "415" => TipoNoAdmitido,
                "416" => RangoNoSatisfacible,
                "428" => IfMatchRequerido,
                "429" => DemasiadasSolicitudes,
                _ => null,
            };
            if (nombre is not null && EsProblemaComun(r[codigo], codigo == "400" ? EsquemaValidacion : EsquemaProblema))
                r[codigo] = new OpenApiResponseReference(nombre, doc);
        }

        // A round's refusals list every failing item (Common/Rondas.cs); its 409 and 422 also answer for the Idempotency-Key.
        if (metadatos.OfType<ErroresPorElementoAttribute>().SingleOrDefault() is { } porElemento)
        {
            context.SchemaGenerator.GenerateSchema(typeof(ProblemaDeRonda), context.SchemaRepository);
            foreach (var codigo in porElemento.Codigos)
            {
                r[codigo.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new OpenApiResponseReference(codigo switch
                {
                    404 => RondaNoEncontrada,
                    409 => RondaEnConflicto,
                    422 => RondaExcedeCuota,
                    _ => throw new InvalidOperationException($"Sin respuesta de ronda para {codigo}."),
                }, doc);
            }
        }

        var creaVarios = metadatos.OfType<CreaVariosAttribute>().Any();
        foreach (var (codigo, respuesta) in r)
        {
            if (respuesta is not OpenApiResponse propia) continue;
            propia.Headers ??= new Dictionary<string, IOpenApiHeader>();
            if (codigo == "201" && !creaVarios) propia.Headers[Location] = new OpenApiHeaderReference(Location, doc);
            // The endpoints that choose a representation by Accept say so to caches.
            if (codigo == "200" && metadatos.OfType<VariaSegunAcceptAttribute>().Any()) propia.Headers[Vary] = new OpenApiHeaderReference(Vary, doc);
            Declarar(propia, doc);
        }
    }

    /// <summary>An inline problem+json answer with the plain problem schema: the shared response says the same.</summary>
    private static bool EsProblemaComun(IOpenApiResponse respuesta, string esquema) =>
        respuesta is OpenApiResponse { Content: { Count: 1 } contenido }
        && contenido.TryGetValue("application/problem+json", out var tipo)
        && tipo.Schema is OpenApiSchemaReference referencia
        && referencia.Reference.Id == esquema;

    /// <summary>The headers every answer carries (Common/Seguridad.cs): the caller's quota and, for allowed origins, CORS.</summary>
    internal static void Declarar(OpenApiResponse r, OpenApiDocument doc)
    {
        r.Headers ??= new Dictionary<string, IOpenApiHeader>();
        r.Headers[RateLimit] = new OpenApiHeaderReference(RateLimit, doc);
        r.Headers[RateLimitPolicy] = new OpenApiHeaderReference(RateLimitPolicy, doc);
        r.Headers[OrigenPermitido] = new OpenApiHeaderReference(OrigenPermitido, doc);
    }

    public void Apply(OpenApiDocument doc, DocumentFilterContext context)
    {
        doc.Components ??= new OpenApiComponents();
        doc.Components.Headers ??= new Dictionary<string, IOpenApiHeader>();
        var h = doc.Components.Headers;
        h[ETag] = Texto("Versión de la representación (entre comillas); enviarla en If-Match al escribir, o en If-None-Match al volver a leer.", 80);
        h[Location] = new OpenApiHeader
        {
            Description = "Ruta del recurso creado, bajo /api/v1.",
            Required = true,
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri-reference", MaxLength = 200 },
        };
        h[RetryAfter] = new OpenApiHeader
        {
            Description = "Segundos que conviene esperar antes de reintentar.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "0", Maximum = "86400" },
        };
        h[RateLimit] = Texto("Cupo restante del solicitante en la ventana actual (draft-ietf-httpapi-ratelimit-headers), p. ej. \"por-principal\";r=599.", 200);
        h[RateLimitPolicy] = Texto("Política de cupo, p. ej. \"por-principal\";q=600;w=60 (LimitesDeUso:SolicitudesPorMinuto por principal, " +
            "LimitesDeUso:SolicitudesAnonimasPorMinuto por dirección para lecturas anónimas).", 200);
        h[OrigenPermitido] = Texto("Solo para orígenes de la lista permitida (Cors:OrigenesPermitidos).", 200);
        h[ContentDisposition] = Texto("attachment (o inline) con el nombre del archivo: filename y, si no es ASCII, filename* (RFC 6266).", 1000);
        h[LastModified] = Texto("Instante en que se subió el archivo (fecha HTTP, RFC 9110).", 40);
        h[ContentRange] = Texto("El tramo entregado y el tamaño total, p. ej. bytes 0-1023/48213 (en un 416: bytes */48213).", 100);
        h[AcceptRanges] = new OpenApiHeader
        {
            Description = "Se admiten rangos de bytes (Range).",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [System.Text.Json.Nodes.JsonValue.Create("bytes")] },
        };
        h[WwwAuthenticate] = Texto("Bearer; con un token no válido, Bearer error=\"invalid_token\" (RFC 6750).", 1000);
        h[Vary] = Texto("Accept: la representación depende de él.", 100);

        doc.Components.Responses ??= new Dictionary<string, IOpenApiResponse>();
        var respuestas = doc.Components.Responses;
        var lectura = LecturaPublica
            ? "Las lecturas son públicas: solo responden 401 si se presenta un token que no es válido."
            : "Autorizacion:LecturaPublica=false: las lecturas también exigen un token válido.";
        respuestas[SolicitudInvalida] = Problema(doc, "Datos no válidos (urn:compromisos:entrada-invalida): errors indica cada campo o parámetro y el motivo.",
            EsquemaValidacion);
        respuestas[NoAutenticado] = Problema(doc, "Falta el token bearer o no es válido (vencido, mal firmado, sin sub; urn:compromisos:no-autenticado). " + lectura,
            encabezado: WwwAuthenticate);
        respuestas[Prohibido] = Problema(doc, "El token no tiene el rol que exige la operación, o no puede escribir bajo ese servicio (urn:compromisos:prohibido).");
        respuestas[NoEncontrado] = Problema(doc, "No existe el recurso de la ruta, o uno que el cuerpo nombra (urn:compromisos:no-encontrado).");
        respuestas[NoAceptable] = Problema(doc, "Accept no admite ninguna representación disponible (urn:compromisos:no-aceptable, con disponibles).");
        respuestas[CuerpoDemasiadoLento] = Problema(doc, "El cuerpo llegó más lento que el mínimo del servidor y se cortó (urn:compromisos:cuerpo-demasiado-lento).");
        respuestas[Conflicto] = Problema(doc, "Una regla del registro lo impide (urn:compromisos:regla:<regla>).");
        respuestas[ConflictoOIdempotenciaEnCurso] = Problema(doc,
            "Una regla del registro lo impide (urn:compromisos:regla:<regla>), o una solicitud con la misma Idempotency-Key sigue en curso " +
            "(urn:compromisos:idempotencia-en-curso, solo entonces con Retry-After).", encabezado: RetryAfter);
        respuestas[VersionObsoleta] = Problema(doc, "If-Match no nombra el ETag vigente: el recurso cambió (urn:compromisos:version-obsoleta).");
        respuestas[CuerpoDemasiadoGrande] = Problema(doc, "El cuerpo supera el límite (urn:compromisos:cuerpo-demasiado-grande; en la carga de " +
            "evidencia, urn:compromisos:archivo-demasiado-grande con tamanoMaximo).");
        respuestas[TipoNoAdmitido] = Problema(doc, "Tipo de contenido no admitido (urn:compromisos:tipo-no-admitido, con admitidos).");
        respuestas[RangoNoSatisfacible] = Problema(doc, "El rango pedido en Range está fuera del archivo (urn:compromisos:rango-no-satisfacible).",
            encabezado: ContentRange);
        respuestas[CuotaOIdempotenciaReutilizada] = Problema(doc, "Cuota excedida (urn:compromisos:cuota-excedida, con cuota y limite), o la " +
            "Idempotency-Key ya se usó con otra solicitud (urn:compromisos:idempotencia-reutilizada).");
        respuestas[IfMatchRequerido] = Problema(doc, "Falta If-Match (urn:compromisos:if-match-requerido).");
        respuestas[DemasiadasSolicitudes] = Problema(doc, "Superó su cupo de solicitudes por minuto (urn:compromisos:demasiadas-solicitudes) o, en " +
            "descargas, informes, exportaciones y cargas, las transferencias simultáneas de su dirección (urn:compromisos:demasiadas-transferencias).",
            encabezado: RetryAfter);
        respuestas[NoDisponible] = Problema(doc, "La base de datos no responde (urn:compromisos:base-de-datos-no-disponible), la instancia está " +
            "saturada de transferencias o de escrituras en espera (urn:compromisos:servicio-saturado) o una lectura con conocidoAl esperó en vano a una escritura en curso " +
            "(urn:compromisos:registro-en-escritura). Nada se escribió.", encabezado: RetryAfter);
        const string ronda = "La ronda no se registró: nada se escribió (urn:compromisos:ronda-rechazada, esquema ProblemaDeRonda). items " +
            "lista cada elemento que falla, por su índice y ruta, con el estado y el tipo de problema que la operación individual le " +
            "daría; el estado es el menor de ellos. ";
        respuestas[RondaNoEncontrada] = Problema(doc, ronda + "Aquí, al menos un elemento nombra un compromiso que no existe " +
            "(urn:compromisos:no-encontrado), y ninguno tiene un problema de menor estado.", EsquemaRonda);
        respuestas[RondaEnConflicto] = Problema(doc, ronda + "Aquí, al menos un elemento rompe una regla del registro " +
            "(urn:compromisos:regla:<regla>), y ninguno tiene un problema de menor estado. También: una solicitud con la misma " +
            "Idempotency-Key sigue en curso (urn:compromisos:idempotencia-en-curso, solo entonces con Retry-After y sin items).",
            EsquemaRonda, RetryAfter);
        respuestas[RondaExcedeCuota] = Problema(doc, ronda + "Aquí, al menos un elemento excede una cuota (urn:compromisos:cuota-excedida), " +
            "y ninguno tiene un problema de menor estado. También: la Idempotency-Key ya se usó con otra solicitud " +
            "(urn:compromisos:idempotencia-reutilizada, sin items).", EsquemaRonda);
        respuestas[ErrorInterno] = Problema(doc, "Error inesperado (urn:compromisos:error-interno): nada se escribió. Informe el traceId al equipo del servicio.");
        var noModificado = new OpenApiResponse
        {
            Description = "If-None-Match nombra el ETag vigente: el cliente ya tiene esa versión. Sin cuerpo. (En la descarga de un archivo, también con Last-Modified.)",
            Headers = new Dictionary<string, IOpenApiHeader>
            {
                [ETag] = new OpenApiHeaderReference(ETag, doc),
                [LastModified] = new OpenApiHeaderReference(LastModified, doc),
            },
        };
        Declarar(noModificado, doc);
        respuestas[NoModificado] = noModificado;

        // The servers: the document is served by the API itself, so its origin is the host that served it. The paths
        // carry /api/v1 and begin with "/", and a path is appended to the server URL as it is: "/" would make
        // "//api/v1/…" for the generators that concatenate (a protocol-relative URL naming a host "api"), so the
        // relative URL is empty, which they all join to "/api/v1/…" (Kiota and NSwag take no base URL from it, the
        // client's HttpClient names the host; Swagger UI resolves it to the page's origin). A deployment that
        // publishes the document elsewhere names its base URL, without a trailing slash, in Contrato:Servidor.
        doc.Servers = [new OpenApiServer
        {
            Url = configuracion["Contrato:Servidor"] ?? "",
            Description = configuracion["Contrato:DescripcionServidor"]
                ?? "El servidor que entrega este documento, en el entorno que sea (local, staging, production); Contrato:Servidor lo cambia.",
            // Public: other government systems and the transparency portal call it.
            Extensions = new Dictionary<string, IOpenApiExtension> { ["x-internal"] = new JsonNodeExtension(System.Text.Json.Nodes.JsonValue.Create(false)) },
        }];

        doc.Info.License = new OpenApiLicense
        {
            Name = "Información pública (Ley N° 20.285 sobre Acceso a la Información Pública)",
            Url = new Uri("https://www.bcn.cl/leychile/navegar?idNorma=276363"),
        };

        foreach (var tag in doc.Tags ?? new HashSet<OpenApiTag>())
        {
            if (tag.Name is not null && EtiquetasDelContrato.Descripciones.TryGetValue(tag.Name, out var descripcion)) tag.Description = descripcion;
        }
    }

    internal static OpenApiHeader Texto(string descripcion, int largo) =>
        new() { Description = descripcion, Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = largo } };

    private static OpenApiResponse Problema(OpenApiDocument doc, string descripcion, string esquema = EsquemaProblema, string? encabezado = null)
    {
        var r = new OpenApiResponse
        {
            Description = descripcion,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(esquema, doc) },
            },
            Headers = new Dictionary<string, IOpenApiHeader>(),
        };
        if (encabezado is not null) r.Headers[encabezado] = new OpenApiHeaderReference(encabezado, doc);
        Declarar(r, doc);
        return r;
    }
}
