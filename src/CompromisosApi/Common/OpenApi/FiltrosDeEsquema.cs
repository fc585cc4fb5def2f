using System.Reflection;
using Microsoft.OpenApi;

namespace CompromisosApi.Common;

// The contract's schemas, parameters and shared components.

/// <summary>
/// Every integer and array in the contract states its bound, so generated clients and fuzzers know the limits (OWASP
/// API4): what the validators leave open is bounded by its format (int32, int64) or by what a list can hold. A string
/// states the limit that holds it and no other: its validation limit ([MaxLength] from the constants the validators
/// use, the column it is stored in), the enum of its values, the size of the request line or headers Kestrel accepts
/// (<see cref="LimitesDeSolicitud"/>) for a parameter nothing else bounds (ReglasDeEntrada); a text the service writes
/// and never reads, with no bound of its own, has none, and is readOnly (PropiedadesSiempreEnviadas).
/// </summary>
internal sealed class LimitesDeEsquema : Swashbuckle.AspNetCore.SwaggerGen.ISchemaFilter
{
    public void Apply(IOpenApiSchema schema, Swashbuckle.AspNetCore.SwaggerGen.SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema s || s.Type is null) return;
        if (s.Type.Value.HasFlag(JsonSchemaType.Integer) && (s.Minimum is null || s.Maximum is null))
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
/// egresoPropuesto) is declared as one of two schemas: the referenced one, or null alone
/// (<c>{type: object, nullable: true, enum: [null]}</c>). OpenAPI 3.0 allows nothing beside a $ref, and since 3.0.3
/// <c>nullable</c> only widens the <c>type</c> of its own schema object: an allOf [$ref] with nullable beside it still
/// requires the value to be the referenced object, so null fails strict validators. The oneOf form is exact in 3.0.x,
/// and the generators collapse it to the referenced type, nullable (NSwag <c>EgresoPropuesto?</c>, Kiota the model
/// class, openapi-typescript <c>EgresoPropuesto | null</c>); anyOf would make NSwag invent a second class.
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
            objeto.Properties[nombre] = new OpenApiSchema
            {
                OneOf = [referencia, SoloNull()],
                Description = referencia.Description,
            };
        }
    }

    /// <summary>The schema whose only value is null, in OpenAPI 3.0 (which has no type null).</summary>
    internal static OpenApiSchema SoloNull() => new()
    {
        Type = JsonSchemaType.Object | JsonSchemaType.Null,
        Enum = [null!],
    };
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

        Parametro(parameter, s);
    }

    /// <summary>
    /// What every parameter of a name means, whatever the endpoint: ids are positive, q is a search of at most
    /// <see cref="Busqueda.LargoMaximo"/> characters that is not blank, a cursor is what the service wrote. A text
    /// nothing else bounds is bounded by the request line (query) or the headers (header) Kestrel accepts.
    /// </summary>
    internal static void Parametro(IOpenApiParameter parameter, OpenApiSchema s)
    {
        var nombre = parameter.Name ?? "";
        if (s.Type is { } t && t.HasFlag(JsonSchemaType.Integer) && parameter.In is ParameterLocation.Path or ParameterLocation.Query
            && (nombre == "id" || nombre.EndsWith("Id", StringComparison.Ordinal)))
        {
            s.Minimum = "1";
        }

        if (s.Type is not { } texto || !texto.HasFlag(JsonSchemaType.String) || s.Enum is { Count: > 0 } || s.Format is "date" or "date-time") return;
        if (parameter.In == ParameterLocation.Query && nombre == "q")
        {
            s.MinLength = 1;
            s.Pattern = @"\S";
            s.MaxLength = Busqueda.LargoMaximo;
        }
        else if (parameter.In == ParameterLocation.Query && nombre is "cursor" or "desde")
        {
            s.MaxLength = Paginacion.LargoMaximoCursor;
        }

        s.MaxLength ??= parameter.In == ParameterLocation.Header ? LimitesDeSolicitud.LargoEncabezados : LimitesDeSolicitud.LargoLinea;
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

        if ((miembro?.GetCustomAttribute<PatronAttribute>() ?? parametro?.GetCustomAttribute<PatronAttribute>()) is { } patron) s.Pattern = patron.Patron;
        if (Tiene<UrlAttribute>()) s.Format = "uri";
        if (Tiene<AnioDeEvaluacionAttribute>())
        {
            s.Minimum = Validacion.PrimerAnioEvaluacion.ToString(System.Globalization.CultureInfo.InvariantCulture);
            s.Maximum = int.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture); // the format's: the validator's moves every year
            s.Description = (s.Description is { Length: > 0 } d ? d + " " : "") +
                $"Desde {Validacion.PrimerAnioEvaluacion} hasta el año siguiente al actual (en Chile): el máximo cambia cada año, " +
                "así que el esquema solo fija el mínimo; un año posterior se rechaza con 400.";
        }

        if (Tiene<TiposDeEventoAttribute>())
        {
            s.Items = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Enum = Persistence.TiposDeEvento.Todos.Select(v => (System.Text.Json.Nodes.JsonNode)System.Text.Json.Nodes.JsonValue.Create(v)).ToList(),
            };
        }
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
            if (!deEntrada.Contains(nombre)) SoloDeSalida(esquema);
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

    /// <summary>
    /// A text of an answer that no request carries and that has no bound of its own (a problem's title and detail, an
    /// audit entry's actor as its token named it, the informe's joined cumplimientos): readOnly, and no maxLength,
    /// since none would be true. Only what a request can carry needs a bound against resource consumption (the
    /// Spectral rule limite-de-textos skips readOnly texts for that reason).
    /// </summary>
    private static void SoloDeSalida(IOpenApiSchema? esquema)
    {
        if (esquema is not OpenApiSchema s) return;
        if (s.Type is { } t && t.HasFlag(JsonSchemaType.String) && s.MaxLength is null && s.Enum is not { Count: > 0 }
            && s.Format is not ("date" or "date-time" or "binary"))
        {
            s.ReadOnly = true;
        }

        foreach (var hijo in s.Properties?.Values ?? []) SoloDeSalida(hijo);
        SoloDeSalida(s.Items);
        if (s.AdditionalProperties is { } adicionales) SoloDeSalida(adicionales);
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
