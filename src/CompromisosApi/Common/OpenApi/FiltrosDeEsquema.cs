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
            // A date or date-time has the length of its format (a maxLength beside it becomes a string-length
            // attribute on the date type of generated clients).
            if (s.Format is not ("date" or "date-time")) s.MaxLength = Validacion.LargoCumplimiento * 8; // the informe joins several cumplimientos

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
            // The type beside nullable (OpenAPI 3.0 reads nullable only with one): the referenced schema's.
            var tipo = context.SchemaRepository.Schemas.TryGetValue(referencia.Reference.Id!, out var destino) ? destino.Type : null;
            objeto.Properties[nombre] = new OpenApiSchema
            {
                AllOf = [referencia],
                Type = (tipo ?? JsonSchemaType.Object) | JsonSchemaType.Null,
                Description = referencia.Description,
            };
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

/// <summary>
/// The rules the validators enforce on input, stated in the contract where they are marked: texts refused blank
/// (<see cref="NoEnBlancoAttribute"/>: minLength 1 and a non-blank pattern), due months (<see cref="MesAttribute"/>:
/// the yyyy-MM pattern of Meses), URLs (format uri), and the page size of every list (Paginacion: 1 to 200). Years are
/// bounded with [Range] where they are declared.
/// </summary>
internal sealed class ReglasDeEntrada : Swashbuckle.AspNetCore.SwaggerGen.ISchemaFilter, Swashbuckle.AspNetCore.SwaggerGen.IParameterFilter
{
    public void Apply(IOpenApiSchema schema, Swashbuckle.AspNetCore.SwaggerGen.SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema s) return;
        Aplicar(s, context.MemberInfo, context.ParameterInfo);
        if (context.MemberInfo?.GetCustomAttribute<ListaJsonDeAttribute>() is { } lista)
        {
            s.Type = JsonSchemaType.Array | (s.Type is { } t && t.HasFlag(JsonSchemaType.Null) ? JsonSchemaType.Null : 0);
            s.Items = context.SchemaGenerator.GenerateSchema(lista.Elemento, context.SchemaRepository);
            s.MaxItems = Paginacion.LimiteMaximo * 5;
        }
    }

    public void Apply(IOpenApiParameter parameter, Swashbuckle.AspNetCore.SwaggerGen.ParameterFilterContext context)
    {
        if (parameter.Schema is not OpenApiSchema s) return;
        Aplicar(s, context.PropertyInfo, context.ParameterInfo);
        if (parameter.In == ParameterLocation.Query && parameter.Name == "limit")
        {
            s.Minimum = "1";
            s.Maximum = Paginacion.LimiteMaximo.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    private static void Aplicar(OpenApiSchema s, MemberInfo? miembro, ParameterInfo? parametro)
    {
        bool Tiene<T>() where T : Attribute => miembro?.GetCustomAttribute<T>() is not null || parametro?.GetCustomAttribute<T>() is not null;
        if (Tiene<NoEnBlancoAttribute>())
        {
            s.MinLength = 1;
            s.Pattern = @"\S";
        }

        if (Tiene<MesAttribute>())
        {
            s.Pattern = Meses.Patron;
            s.MinLength = 7;
            s.MaxLength = 7;
        }

        if (Tiene<UrlAttribute>()) s.Format = "uri";
        var rango = miembro?.GetCustomAttribute<System.ComponentModel.DataAnnotations.RangeAttribute>()
            ?? parametro?.GetCustomAttribute<System.ComponentModel.DataAnnotations.RangeAttribute>();
        if (rango is not null)
        {
            s.Minimum = Convert.ToString(rango.Minimum, System.Globalization.CultureInfo.InvariantCulture);
            s.Maximum = Convert.ToString(rango.Maximum, System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}

/// <summary>
/// The service writes every property of its answers, null or not (no property is skipped when null, except the two
/// CloudEvents extensions that say so): in the contract they are all <c>required</c>, nullable only where null
/// travels, so that a generated client types a field that is always there as always there. Schemas reachable from a
/// request body keep what their validators say (an optional field of an input is optional); problem details are the
/// framework's, whose members are written only when set.
/// </summary>
internal sealed class PropiedadesSiempreEnviadas : Swashbuckle.AspNetCore.SwaggerGen.IDocumentFilter
{
    private static readonly HashSet<string> Omitibles = new(StringComparer.Ordinal)
    {
        "ProblemDetails", "HttpValidationProblemDetails", "ProblemaImportacionNoAutorizada", "ProblemaDeRonda",
    };

    public void Apply(OpenApiDocument doc, Swashbuckle.AspNetCore.SwaggerGen.DocumentFilterContext context)
    {
        var esquemas = doc.Components?.Schemas;
        if (esquemas is null) return;
        var deEntrada = new HashSet<string>(StringComparer.Ordinal);
        foreach (var operacion in doc.Paths.Values.SelectMany(p => p.Operations?.Values.AsEnumerable() ?? []))
        {
            foreach (var tipo in operacion.RequestBody?.Content?.Values ?? []) Alcanzar(tipo.Schema, esquemas, deEntrada);
        }

        foreach (var (nombre, esquema) in esquemas)
        {
            if (deEntrada.Contains(nombre) || Omitibles.Contains(nombre) || esquema is not OpenApiSchema s || s.Properties is not { Count: > 0 }) continue;
            s.Required ??= new HashSet<string>();
            foreach (var (propiedad, valor) in s.Properties)
            {
                // The CloudEvents extensions written only when they have a value (CloudEvent.cs, WhenWritingNull).
                if (nombre == "CloudEvent" && propiedad is "programaid" or "traceparent") continue;
                s.Required.Add(propiedad);
            }
        }
    }

    private static void Alcanzar(IOpenApiSchema? esquema, IDictionary<string, IOpenApiSchema> esquemas, HashSet<string> vistos)
    {
        switch (esquema)
        {
            case null:
                return;
            case OpenApiSchemaReference r when r.Reference.Id is { } id:
                if (vistos.Add(id) && esquemas.TryGetValue(id, out var destino)) Alcanzar(destino, esquemas, vistos);
                return;
        }

        foreach (var hijo in (esquema.Properties?.Values ?? []).Concat(esquema.AllOf ?? []).Concat(esquema.OneOf ?? []).Concat(esquema.AnyOf ?? []))
            Alcanzar(hijo, esquemas, vistos);
        Alcanzar(esquema.Items, esquemas, vistos);
        if (esquema.AdditionalProperties is { } adicionales) Alcanzar(adicionales, esquemas, vistos);
    }
}
