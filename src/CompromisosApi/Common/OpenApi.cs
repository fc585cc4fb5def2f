using System.Reflection;
using Microsoft.OpenApi;

namespace CompromisosApi.Common;

public static class OpenApi
{
    public static IServiceCollection AddContratoOpenApi(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(o =>
        {
            o.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "CompromisosApi",
                Version = "v1",
                Description =
                    "Registro oficial de los compromisos institucionales acordados tras la evaluación de programas públicos " +
                    "(DIPRES, Ministerio de Hacienda) y de su seguimiento hasta el egreso del programa. " +
                    "Los errores siguen RFC 9457 (application/problem+json); las reglas del registro rotas responden 409 " +
                    "con un type urn:compromisos:regla:<regla>. Las lecturas por id devuelven ETag; los PUT exigen If-Match.",
            });
            o.IncludeXmlComments(Path.Combine(AppContext.BaseDirectory, $"{Assembly.GetExecutingAssembly().GetName().Name}.xml"));
            o.SupportNonNullableReferenceTypes();
            o.DescribeAllParametersInCamelCase();
            o.OperationFilter<EncabezadosDeConcurrencia>();
            o.OperationFilter<RepresentacionesYValores>();
            o.OperationFilter<LecturaAlCorte>();
            o.AddSecurityDefinition("Bearer", new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description =
                    "Token JWT del proveedor OpenID Connect configurado (localmente, dotnet user-jwts). Roles en el claim role: " +
                    "analista (registro, calificaciones, egreso, importaciones), servicio con claim servicio_id (reportes y medios de " +
                    "su propio servicio), administrador (catálogo y correcciones). Las lecturas son públicas salvo configuración. " +
                    "Los tokens se validan según RFC8725 (JWT Best Current Practices): firma obligatoria con algoritmos permitidos " +
                    "(nunca alg none), emisor, audiencia y vigencia verificados.",
            });
            o.OperationFilter<RequisitoDeSeguridad>();
            o.SchemaFilter<LimitesDeEsquema>();
            o.DocumentFilter<EncabezadosComunes>();
            o.OperationFilter<FormatosDeExportacion>();
            o.ParameterFilter<ValoresPermitidos>();
            o.SchemaFilter<ReferenciasAnulables>();
            // Schema names are what generated clients call their classes: "Compromiso", not "CompromisoDto".
            o.CustomSchemaIds(NombreDeEsquema);
        });
        return services;
    }

    private static string NombreDeEsquema(Type t)
    {
        var nombre = t.Name;
        if (t.IsGenericType)
        {
            nombre = nombre[..nombre.IndexOf('`')] + string.Concat(t.GetGenericArguments().Select(NombreDeEsquema));
        }

        return nombre.EndsWith("Dto", StringComparison.Ordinal) ? nombre[..^3] : nombre;
    }
}

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
            r.Headers["ETag"] = new OpenApiHeader
            {
                Description = "Versión de la representación; enviarla en If-Match al escribir.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 12 },
            };
        }
    }
}

/// <summary>Marks endpoints that answer with an ETag, for the contract.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class ConEtagAttribute : Attribute;

/// <summary>Operations that require a policy declare the bearer scheme, so Swagger UI sends the token and clients know.</summary>
internal sealed class RequisitoDeSeguridad : Swashbuckle.AspNetCore.SwaggerGen.IOperationFilter
{
    public void Apply(OpenApiOperation operation, Swashbuckle.AspNetCore.SwaggerGen.OperationFilterContext context)
    {
        var metadatos = context.ApiDescription.ActionDescriptor.EndpointMetadata;
        if (!metadatos.OfType<Microsoft.AspNetCore.Authorization.IAuthorizeData>().Any()) return;
        operation.Security ??= [];
        operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("Bearer", context.Document)] = [] });
    }
}

/// <summary>Marks endpoints whose 200 answer also comes in these media types, for the contract.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class RepresentacionesAttribute(IReadOnlyList<string> tiposDeContenido) : Attribute
{
    public IReadOnlyList<string> TiposDeContenido { get; } = tiposDeContenido;
}

/// <summary>A query parameter that takes only these values, for the contract.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
internal sealed class ValoresPermitidosAttribute(string parametro, IReadOnlyList<string> valores) : Attribute
{
    public string Parametro { get; } = parametro;
    public IReadOnlyList<string> Valores { get; } = valores;
}

/// <summary>
/// Adds the non-JSON representations of a 200 answer (ASP.NET Core's metadata gives one schema per status code) and
/// the enum of string parameters that take fixed values.
/// </summary>
internal sealed class RepresentacionesYValores : Swashbuckle.AspNetCore.SwaggerGen.IOperationFilter
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

        var representaciones = metadatos.OfType<RepresentacionesAttribute>().SingleOrDefault();
        if (representaciones is null || operation.Responses?.TryGetValue("200", out var r) != true || r is not OpenApiResponse ok) return;
        ok.Content ??= new Dictionary<string, OpenApiMediaType>();
        foreach (var tipo in representaciones.TiposDeContenido)
        {
            ok.Content[tipo] = new OpenApiMediaType
            {
                // Bounded like every string of the contract: an informe is at most a few MB, even for the longest record.
                Schema = tipo.StartsWith("text/", StringComparison.Ordinal)
                    ? new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 50_000_000 }
                    : new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary", MaxLength = 50_000_000 },
            };
        }
    }
}

/// <summary>
/// Every string, integer and array in the contract states its bound, so generated clients and fuzzers know the
/// limits (OWASP API4). Request fields carry their exact validation limit as [MaxLength]; what is left are dates,
/// ids, counts and texts the service itself produces, bounded here by what the record can hold.
/// </summary>
internal sealed class LimitesDeEsquema : Swashbuckle.AspNetCore.SwaggerGen.ISchemaFilter
{
    public void Apply(IOpenApiSchema schema, Swashbuckle.AspNetCore.SwaggerGen.SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema s || s.Type is null) return;
        if (s.Type.Value.HasFlag(JsonSchemaType.String) && s.MaxLength is null && s.Enum is not { Count: > 0 })
        {
            s.MaxLength = s.Format switch
            {
                "date" => 10,
                "date-time" => 40,
                _ => Validacion.LargoCumplimiento * 8, // the informe joins several cumplimientos; never more than this
            };
        }
        else if (s.Type.Value.HasFlag(JsonSchemaType.Integer) && (s.Minimum is null || s.Maximum is null))
        {
            var largo = s.Format == "int64";
            s.Minimum ??= largo ? long.MinValue.ToString(System.Globalization.CultureInfo.InvariantCulture) : int.MinValue.ToString(System.Globalization.CultureInfo.InvariantCulture);
            s.Maximum ??= largo ? long.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture) : int.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        else if (s.Type.Value.HasFlag(JsonSchemaType.Array) && s.MaxItems is null)
        {
            s.MaxItems = Paginacion.LimiteMaximo * 5; // pages hold 200; an import, 500 per list
        }
    }
}

/// <summary>
/// Headers every API answer may carry, declared once: the rate-limit state of the caller's quota and, for origins
/// in the CORS allow-list, Access-Control-Allow-Origin; and Retry-After on every 429 and 503.
/// </summary>
internal sealed class EncabezadosComunes : Swashbuckle.AspNetCore.SwaggerGen.IDocumentFilter
{
    public void Apply(OpenApiDocument document, Swashbuckle.AspNetCore.SwaggerGen.DocumentFilterContext context)
    {
        foreach (var operacion in document.Paths.Values.SelectMany(p => p.Operations?.Values.AsEnumerable() ?? []))
        {
            foreach (var (codigo, respuesta) in operacion.Responses ?? new OpenApiResponses())
            {
                if (respuesta is not OpenApiResponse r) continue;
                if (codigo is "429" or "503")
                {
                    r.Headers ??= new Dictionary<string, IOpenApiHeader>();
                    r.Headers["Retry-After"] = Texto("Segundos que conviene esperar antes de reintentar.");
                }

                Declarar(r);
            }
        }
    }

    /// <summary>Also for responses declared once in components and referenced.</summary>
    internal static void Declarar(OpenApiResponse r)
    {
        r.Headers ??= new Dictionary<string, IOpenApiHeader>();
        r.Headers["RateLimit"] = Texto("Cupo restante del solicitante en la ventana actual (draft-ietf-httpapi-ratelimit-headers), p. ej. \"por-principal\";r=599.");
        r.Headers["RateLimit-Policy"] = Texto("Política de cupo, p. ej. \"por-principal\";q=600;w=60.");
        r.Headers[OrigenPermitido] = Texto("Solo para orígenes de la lista permitida (Cors:OrigenesPermitidos).");
    }

    internal const string OrigenPermitido = "Access-Control-Allow-Origin";

    internal static OpenApiHeader Texto(string descripcion) =>
        new() { Description = descripcion, Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 200 } };
}

/// <summary>
/// An object property that may be null (a nullable reference to another schema, such as a programa's
/// egresoPropuesto) is declared so: OpenAPI 3.0 allows nothing beside a $ref, so the reference goes inside an allOf
/// that carries nullable, and clients and validators accept the null they will receive.
/// </summary>
internal sealed class ReferenciasAnulables : Swashbuckle.AspNetCore.SwaggerGen.ISchemaFilter
{
    private readonly NullabilityInfoContext _nulabilidad = new();

    public void Apply(IOpenApiSchema schema, Swashbuckle.AspNetCore.SwaggerGen.SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema objeto || objeto.Properties is null || context.Type is null) return;
        foreach (var propiedad in context.Type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var nombre = System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(propiedad.Name);
            if (!objeto.Properties.TryGetValue(nombre, out var p) || p is not OpenApiSchemaReference referencia) continue;
            if (_nulabilidad.Create(propiedad).ReadState != NullabilityState.Nullable) continue;
            objeto.Properties[nombre] = new OpenApiSchema { AllOf = [referencia], Type = JsonSchemaType.Null, Description = referencia.Description };
        }
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
        "Instante (RFC 3339 con zona, p. ej. 2010-03-01T12:00:00-03:00) al que se lee el registro tal como se conocía: lo registrado " +
        "después (calificaciones, correcciones, reportes, medios de verificación, egresos, reaperturas, y programas, recomendaciones " +
        "y compromisos creados después) se ignora. Se combina con alCorte (o con el corte de la lista): el Informe del corte 2009 tal " +
        "como podía imprimirse el 2010-03-01, y las mismas preguntas dan siempre la misma respuesta, aunque el registro se corrija " +
        "después. No puede ser posterior al instante actual (400). Los textos y meses de vencimiento se muestran como están hoy " +
        "(sus ediciones quedan en la bitácora de auditoría). Sin conocidoAl: el registro actual.";

    public void Apply(OpenApiOperation operation, Swashbuckle.AspNetCore.SwaggerGen.OperationFilterContext context)
    {
        foreach (var p in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
        {
            if (p.In == ParameterLocation.Query && p.Name == "alCorte") p.Description = Descripcion;
            if (p.In == ParameterLocation.Query && p.Name == "conocidoAl")
            {
                p.Description = DescripcionConocidoAl;
                if (p.Schema is OpenApiSchema esquema) esquema.Pattern = Http.PatronInstante;
            }
        }
    }
}
