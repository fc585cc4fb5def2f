using System.Text.Json;
using System.Text.Json.Serialization;

namespace CompromisosApi.Common;

/// <summary>
/// Enums travel as their exact names. The framework's string converter also takes numbers, other casings and
/// comma-joined names ("Cumplido, ParcialmenteCumplido" would become NoCumplido as flags): a value nobody sent must
/// never reach the record, so anything but an exact name is bad input.
/// </summary>
public sealed class EnumEstrictoConverter : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Convertidor<>).MakeGenericType(typeToConvert))!;

    private sealed class Convertidor<T> : JsonConverter<T> where T : struct, Enum
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.String
                && reader.GetString() is { } nombre
                && Enum.GetNames<T>().Contains(nombre, StringComparer.Ordinal))
            {
                return Enum.Parse<T>(nombre);
            }

            throw new JsonException($"Se esperaba uno de: {string.Join(", ", Enum.GetNames<T>())}.");
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.ToString());
    }
}

/// <summary>
/// The JSON the record writes of its own values (audit entries, events' data, an import's fingerprint): the API's
/// names, camelCase to the dictionary keys, and enums as their exact names.
/// </summary>
public static class JsonDelRegistro
{
    public static readonly JsonSerializerOptions Opciones = new(JsonSerializerDefaults.Web)
    {
        DictionaryKeyPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new EnumEstrictoConverter() },
    };

    public static string Serializar(object valor) => JsonSerializer.Serialize(valor, Opciones);
}
