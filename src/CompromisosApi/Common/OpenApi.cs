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
            o.OperationFilter<FormatosDeExportacion>();
            o.ParameterFilter<ValoresPermitidos>();
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
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            };
        }
    }
}

/// <summary>Marks endpoints that answer with an ETag, for the contract.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class ConEtagAttribute : Attribute;
