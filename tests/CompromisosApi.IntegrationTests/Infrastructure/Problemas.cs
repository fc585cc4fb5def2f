using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace CompromisosApi.IntegrationTests.Infrastructure;

public static class Problemas
{
    /// <summary>Asserts an RFC 9457 answer with the status and (when given) the type, and no internals leaked.</summary>
    public static async Task<JsonObject> AfirmarAsync(HttpResponseMessage r, HttpStatusCode status, string? tipo = null)
    {
        var texto = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == status, $"Se esperaba {(int)status} y llegó {(int)r.StatusCode}: {texto}");
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("   at ", texto);
        Assert.DoesNotContain("Exception", texto);
        Assert.DoesNotContain("SELECT", texto, StringComparison.OrdinalIgnoreCase);
        var cuerpo = JsonNode.Parse(texto)!.AsObject();
        Assert.Equal((int)status, (int)cuerpo["status"]!);
        Assert.False(string.IsNullOrWhiteSpace((string?)cuerpo["title"]));
        if (tipo is not null) Assert.Equal(tipo, (string?)cuerpo["type"]);
        return cuerpo;
    }

    public static async Task<JsonObject> Regla(HttpResponseMessage r, string regla) =>
        await AfirmarAsync(r, HttpStatusCode.Conflict, "urn:compromisos:regla:" + regla);

    /// <summary>400 with an errors map that names the field.</summary>
    public static async Task<JsonObject> Validacion(HttpResponseMessage r, string campo)
    {
        var p = await AfirmarAsync(r, HttpStatusCode.BadRequest, "urn:compromisos:entrada-invalida");
        var errores = p["errors"]?.AsObject();
        Assert.NotNull(errores);
        Assert.True(errores!.ContainsKey(campo), $"errors no nombra '{campo}': {p.ToJsonString()}");
        return p;
    }
}
