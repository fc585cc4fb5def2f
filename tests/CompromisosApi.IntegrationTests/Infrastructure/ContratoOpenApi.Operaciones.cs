using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using NJsonSchema;
using NSwag;

namespace CompromisosApi.IntegrationTests.Infrastructure;

public sealed partial class ContratoOpenApi
{
    /// <summary>
    /// The operation a request reached, the way the contract's paths say it: same number of segments, literal
    /// segments equal (without regard to case, as the service routes), concrete paths first, and each templated
    /// segment valid for its parameter's schema. With no operation, the template it looked like (if any) and why not.
    /// </summary>
    private (OpenApiOperation? Operacion, string? Plantilla, string? Porque) Buscar(string metodo, string[] segmentos)
    {
        string? parecida = null, porque = null;
        foreach (var plantilla in _plantillas)
        {
            if (plantilla.Segmentos.Length != segmentos.Length) continue;
            var literales = true;
            for (var i = 0; i < segmentos.Length && literales; i++)
                literales = EsParametro(plantilla.Segmentos[i]) || string.Equals(plantilla.Segmentos[i], segmentos[i], StringComparison.OrdinalIgnoreCase);
            if (!literales) continue;

            parecida ??= plantilla.Ruta;
            if (!plantilla.Item.TryGetValue(metodo.ToLowerInvariant(), out var operacion))
            {
                porque ??= $"{plantilla.Ruta} no tiene {metodo}";
                continue;
            }

            var rechazo = ParametroRechazado(operacion, plantilla, segmentos);
            if (rechazo is null) return (operacion, plantilla.Ruta, null);
            porque ??= rechazo;
            parecida = plantilla.Ruta;
        }

        return (null, parecida, porque ?? "ninguna ruta del contrato coincide");
    }

    private static string? ParametroRechazado(OpenApiOperation operacion, Plantilla plantilla, string[] segmentos)
    {
        for (var i = 0; i < segmentos.Length; i++)
        {
            if (!EsParametro(plantilla.Segmentos[i])) continue;
            var nombre = plantilla.Segmentos[i][1..^1];
            var parametro = operacion.ActualParameters.FirstOrDefault(p => p.Kind == OpenApiParameterKind.Path && p.Name == nombre)?.ActualParameter;
            if (parametro is null) continue;
            var esquema = parametro.Schema?.ActualSchema ?? parametro.ActualSchema;
            if (Errores(ComoJson(segmentos[i], esquema), esquema).Count > 0)
                return $"{nombre} = «{Extracto(segmentos[i], 60)}» no cumple el esquema del parámetro";
        }

        return null;
    }

    private static bool EsParametro(string segmento) => segmento.StartsWith('{') && segmento.EndsWith('}');

    private static bool EmpiezaCon(string[] segmentos, string[] prefijo) =>
        segmentos.Length >= prefijo.Length && prefijo.Select((s, i) => string.Equals(s, segmentos[i], StringComparison.OrdinalIgnoreCase)).All(x => x);

    private static string[] BaseComun(List<Plantilla> plantillas)
    {
        if (plantillas.Count == 0) return [];
        var comun = plantillas[0].Segmentos.TakeWhile(s => !EsParametro(s)).ToList();
        foreach (var p in plantillas.Skip(1))
        {
            var n = 0;
            while (n < comun.Count && n < p.Segmentos.Length && comun[n] == p.Segmentos[n]) n++;
            comun.RemoveRange(n, comun.Count - n);
        }

        return [.. comun];
    }

    private sealed record Plantilla(string Ruta, string[] Segmentos, OpenApiPathItem Item);
}
