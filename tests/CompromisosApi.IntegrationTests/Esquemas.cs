using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using Xunit.Abstractions;

namespace CompromisosApi.IntegrationTests;

/// <summary>The part of JSON Schema (OpenAPI 3.0 dialect) the contract uses, to check answers against it.</summary>
internal static class Esquemas
{
    public static JsonNode Resolver(JsonNode doc, JsonNode esquema)
    {
        while (esquema["$ref"] is JsonValue referencia)
        {
            var nombre = ((string)referencia!).Split('/')[^1];
            esquema = doc["components"]!["schemas"]![nombre]!;
        }

        return esquema;
    }

    public static string? Validar(JsonNode doc, JsonNode esquema, JsonNode? valor, string ruta)
    {
        esquema = Resolver(doc, esquema);
        if (valor is null && (bool?)esquema["nullable"] == true) return null;
        if (esquema["allOf"] is JsonArray todos)
        {
            foreach (var parte in todos)
            {
                if (Validar(doc, parte!, valor, ruta) is { } e) return e;
            }

            return null;
        }

        if (esquema["oneOf"] is JsonArray unos)
        {
            var validos = unos.Count(parte => Validar(doc, parte!, valor, ruta) is null);
            return validos == 1 ? null : $"{ruta} valida contra {validos} esquemas de oneOf";
        }

        if (valor is null) return (bool?)esquema["nullable"] == true || esquema["type"] is null ? null : $"{ruta} es null";
        if (esquema["enum"] is JsonArray valores && !valores.Any(v => JsonNode.DeepEquals(v, valor))) return $"{ruta} fuera del enum: {valor.ToJsonString()}";
        switch ((string?)esquema["type"])
        {
            case "object":
                if (valor is not JsonObject o) return $"{ruta} no es un objeto";
                foreach (var requerido in esquema["required"]?.AsArray() ?? [])
                {
                    if (!o.ContainsKey((string)requerido!)) return $"{ruta}.{requerido} falta";
                }

                var propiedades = esquema["properties"]?.AsObject();
                foreach (var (nombre, hijo) in o)
                {
                    if (propiedades?[nombre] is { } p)
                    {
                        if (Validar(doc, p, hijo, $"{ruta}.{nombre}") is { } e) return e;
                    }
                    else if (esquema["additionalProperties"] is JsonObject adicionales)
                    {
                        if (Validar(doc, adicionales, hijo, $"{ruta}.{nombre}") is { } e) return e;
                    }
                    else if (esquema["additionalProperties"]?.GetValueKind() == JsonValueKind.False)
                    {
                        return $"{ruta}.{nombre} no está en el esquema";
                    }
                }

                return null;
            case "array":
                if (valor is not JsonArray a) return $"{ruta} no es un arreglo";
                if ((int?)esquema["maxItems"] is { } maxItems && a.Count > maxItems) return $"{ruta} excede maxItems";
                for (var i = 0; i < a.Count; i++)
                {
                    if (Validar(doc, esquema["items"]!, a[i], $"{ruta}[{i}]") is { } e) return e;
                }

                return null;
            case "string":
                if (valor.GetValueKind() != JsonValueKind.String) return $"{ruta} no es texto";
                var s = (string)valor!;
                if ((int?)esquema["maxLength"] is { } max && s.Length > max) return $"{ruta} excede maxLength";
                return (string?)esquema["format"] switch
                {
                    "date" when !DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _) => $"{ruta} no es date",
                    "date-time" when !DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.None, out _) => $"{ruta} no es date-time",
                    _ => null,
                };
            case "integer":
                if (valor.GetValueKind() != JsonValueKind.Number || !long.TryParse(valor.ToJsonString(), out var entero)) return $"{ruta} no es entero";
                if ((long?)esquema["minimum"] is { } min && entero < min) return $"{ruta} bajo el mínimo";
                if ((long?)esquema["maximum"] is { } maximo && entero > maximo) return $"{ruta} sobre el máximo";
                return null;
            case "number":
                return valor.GetValueKind() == JsonValueKind.Number ? null : $"{ruta} no es número";
            case "boolean":
                return valor.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? null : $"{ruta} no es booleano";
            default:
                return null;
        }
    }
}
