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
            // Stored entities as JSON (the audit trail's before and after, a CloudEvent's data): always an object, and
            // null where the property may be null (antes of a creation, otrosCambios when there were none).
            o.MapType<System.Text.Json.JsonElement>(() => new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                AdditionalPropertiesAllowed = true,
                Description = "La entidad tal como quedó guardada (sus columnas en camelCase).",
            });
            o.MapType<System.Text.Json.JsonElement?>(() => new OpenApiSchema
            {
                Type = JsonSchemaType.Object | JsonSchemaType.Null,
                AdditionalPropertiesAllowed = true,
                Description = "La entidad tal como quedó guardada (sus columnas en camelCase), o null.",
            });
            o.OperationFilter<ContratoDeCarga>();
            o.OperationFilter<ContratoDeDescarga>();
            o.OperationFilter<EncabezadosDeConcurrencia>();
            o.OperationFilter<RespuestasBinariasYParametros>();
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
            o.SchemaFilter<LimitesDeEsquema>();
            o.ParameterFilter<ValoresPermitidos>();
            o.SchemaFilter<ReferenciasAnulables>();
            o.SchemaFilter<ReglasDeEntrada>();
            o.ParameterFilter<ReglasDeEntrada>();
            o.OperationFilter<EncabezadoIdempotencia>();
            o.DocumentFilter<EncabezadoIdempotencia>();
            o.DocumentFilter<MiembrosDeProblemaEnElContrato>();
            o.DocumentFilter<PropiedadesSiempreEnviadas>();
            // Last: it sees every response the others declared, and makes the problem+json ones references.
            o.OperationFilter<RespuestasDelContrato>();
            o.DocumentFilter<RespuestasDelContrato>();
            // After it: the network's headers on every operation and the transaction id on every response.
            o.OperationFilter<EncabezadosDeInteroperabilidad>();
            o.DocumentFilter<EncabezadosDeInteroperabilidad>();
            o.DocumentFilter<EntradaDelCatalogo>();
            // Last of all: every property of the finished schemas gets its data classification.
            o.DocumentFilter<ClasificacionDeDatos>();
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

/// <summary>Marks endpoints that answer with an ETag, for the contract.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class ConEtagAttribute : Attribute;

/// <summary>Marks endpoints whose 200 answer is the bytes of a file in this media type, for the contract.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class RespuestaBinariaAttribute(string tipo, bool adjunto = false) : Attribute
{
    public string Tipo { get; } = tipo;

    /// <summary>Sent with Content-Disposition (a file name).</summary>
    public bool Adjunto { get; } = adjunto;
}

/// <summary>
/// The other representations a JSON operation also answers with when asked by Accept or <c>formato</c> (for curl and
/// links; a generated client calls the operation of each format). Declared after JSON, so that generators keep JSON as
/// the operation's answer, and declared at all, because the contract states every answer the service can send.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class TambienNegociaAttribute(params string[] tipos) : Attribute
{
    public IReadOnlyList<string> Tipos { get; } = tipos;
}

/// <summary>A query parameter that takes only these values, for the contract.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
internal sealed class ValoresPermitidosAttribute(string parametro, IReadOnlyList<string> valores) : Attribute
{
    public string Parametro { get; } = parametro;
    public IReadOnlyList<string> Valores { get; } = valores;
}

/// <summary>
/// Marks an operation that reads its JSON body itself (of this type), for the contract (<see cref="ContratoDeCarga"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class CuerpoJsonAttribute(Type json) : Attribute
{
    public Type Json { get; } = json;
}

/// <summary>Marks the upload of an evidence file as multipart/form-data, for the contract (<see cref="ContratoDeCarga"/>).</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class FormularioConArchivoAttribute(long tamanoMaximo) : Attribute
{
    /// <summary>The largest file accepted (Evidencia:TamanoMaximoBytes): one byte more is 413.</summary>
    public long TamanoMaximo { get; } = tamanoMaximo;
}

/// <summary>Marks the download of a file that comes in one of these media types, for the contract (<see cref="ContratoDeDescarga"/>).</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class DescargaDeArchivoAttribute(IReadOnlyList<string> tipos) : Attribute
{
    public IReadOnlyList<string> Tipos { get; } = tipos;
}

/// <summary>Marks endpoints whose representation depends on Accept (they answer Vary: Accept), for the contract.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class VariaSegunAcceptAttribute : Attribute;
