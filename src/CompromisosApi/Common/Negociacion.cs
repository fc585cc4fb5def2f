using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace CompromisosApi.Common;

/// <summary>
/// Proactive content negotiation as RFC 9110 §12.5.1 reads Accept, for every resource with several representations
/// (the informe; the lists and their exports): each representation takes the quality of the most specific range that
/// matches it (text/html;q=0 rules it out even under */*); the best quality wins, then the more specific match, then
/// the server's order. What to do when nothing matches is the caller's (406 for the informe, JSON for a list).
/// </summary>
public static class Negociacion
{
    /// <summary>
    /// The index in <paramref name="tipos"/> (media types, in the server's order of preference) of the one to send;
    /// the first when Accept is absent or empty; null when Accept admits none of them or can't be read.
    /// </summary>
    public static int? Elegir(IReadOnlyList<string> tipos, StringValues accept)
    {
        if (StringValues.IsNullOrEmpty(accept) || accept.All(string.IsNullOrWhiteSpace)) return 0;
        if (!MediaTypeHeaderValue.TryParseList(accept, out var rangos)) return null;

        return tipos
            .Select((t, orden) => (orden, Coincidencia: Coincidencia(t, rangos)))
            .Where(x => x.Coincidencia is { Calidad: > 0 })
            .OrderByDescending(x => x.Coincidencia!.Value.Calidad)
            .ThenByDescending(x => x.Coincidencia!.Value.Especificidad)
            .ThenBy(x => x.orden)
            .Select(x => (int?)x.orden)
            .FirstOrDefault();
    }

    private static (double Calidad, int Especificidad)? Coincidencia(string tipoDeContenido, IList<MediaTypeHeaderValue> rangos)
    {
        var barra = tipoDeContenido.IndexOf('/', StringComparison.Ordinal);
        var (tipo, subtipo) = (tipoDeContenido[..barra], tipoDeContenido[(barra + 1)..]);
        (double Calidad, int Especificidad)? mejor = null;
        foreach (var rango in rangos)
        {
            int especificidad;
            if (rango.MatchesAllTypes) especificidad = 0;
            else if (!rango.Type.Equals(tipo, StringComparison.OrdinalIgnoreCase)) continue;
            else if (rango.MatchesAllSubTypes) especificidad = 1;
            else if (rango.SubType.Equals(subtipo, StringComparison.OrdinalIgnoreCase)) especificidad = 2;
            else continue;

            if (mejor is null || especificidad > mejor.Value.Especificidad)
            {
                mejor = (rango.Quality ?? 1, especificidad);
            }
        }

        return mejor;
    }
}
