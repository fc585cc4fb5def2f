using System.Reflection;
using Microsoft.OpenApi;

namespace CompromisosApi.Common;

// The contract's schemas, parameters and shared components.

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
/// A text query parameter with a closed set of values ([AllowedValues]) shows them as its enum in the contract, so
/// generated clients and Swagger UI offer them. The validators still check them: the attribute only documents.
/// </summary>
internal sealed class ValoresPermitidos : Swashbuckle.AspNetCore.SwaggerGen.IParameterFilter
{
    public void Apply(IOpenApiParameter parameter, Swashbuckle.AspNetCore.SwaggerGen.ParameterFilterContext context)
    {
        var permitidos = context.ParameterInfo?.GetCustomAttributes(typeof(System.ComponentModel.DataAnnotations.AllowedValuesAttribute), false)
            .Concat(context.PropertyInfo?.GetCustomAttributes(typeof(System.ComponentModel.DataAnnotations.AllowedValuesAttribute), false) ?? [])
            .OfType<System.ComponentModel.DataAnnotations.AllowedValuesAttribute>().FirstOrDefault();
        if (permitidos is null || parameter.Schema is not OpenApiSchema esquema) return;
        esquema.Enum = permitidos.Values.Select(v => (System.Text.Json.Nodes.JsonNode)System.Text.Json.Nodes.JsonValue.Create((string)v!)).ToList();
    }
}
