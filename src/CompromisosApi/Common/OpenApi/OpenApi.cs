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
            o.OperationFilter<ContratoDeCarga>();
            o.OperationFilter<ContratoDeDescarga>();
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
            o.OperationFilter<EncabezadoIdempotencia>();
            o.DocumentFilter<EncabezadoIdempotencia>();
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
/// Marks the operation whose body is JSON (of this type) or a multipart form with a file, for the contract
/// (<see cref="ContratoDeCarga"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class CuerpoJsonOMultipartAttribute(Type json) : Attribute
{
    public Type Json { get; } = json;
}

/// <summary>Marks the download of a file that comes in one of these media types, for the contract (<see cref="ContratoDeDescarga"/>).</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class DescargaDeArchivoAttribute(IReadOnlyList<string> tipos) : Attribute
{
    public IReadOnlyList<string> Tipos { get; } = tipos;
}
