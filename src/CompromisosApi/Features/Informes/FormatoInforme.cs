using CompromisosApi.Common;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace CompromisosApi.Features.Informes;

public enum FormatoInforme
{
    Json,
    Texto,
    Html,
    Pdf,
}

/// <summary>
/// Chooses the informe's representation: the <c>formato</c> parameter when given (a browser's address bar can't set
/// Accept), otherwise the Accept header as RFC 9110 reads it.
/// </summary>
public static class NegociacionInforme
{
    /// <summary>In the server's order of preference, which breaks ties.</summary>
    private static readonly (FormatoInforme Formato, string Parametro, string Tipo, string Subtipo)[] Representaciones =
    [
        (FormatoInforme.Json, "json", "application", "json"),
        (FormatoInforme.Texto, "texto", "text", "plain"),
        (FormatoInforme.Html, "html", "text", "html"),
        (FormatoInforme.Pdf, "pdf", "application", "pdf"),
    ];

    public static IReadOnlyList<string> TiposDeContenido { get; } = Representaciones.Select(r => $"{r.Tipo}/{r.Subtipo}").ToArray();

    public static IReadOnlyList<string> Parametros { get; } = Representaciones.Select(r => r.Parametro).ToArray();

    public static FormatoInforme Elegir(string? formato, StringValues accept)
    {
        if (formato is not null)
        {
            foreach (var r in Representaciones)
            {
                if (r.Parametro == formato) return r.Formato;
            }

            throw new ValidationException([new ValidationFailure("formato", $"Debe ser uno de: {string.Join(", ", Parametros)}.")]);
        }

        if (StringValues.IsNullOrEmpty(accept) || accept.All(string.IsNullOrWhiteSpace)) return FormatoInforme.Json;
        if (!MediaTypeHeaderValue.TryParseList(accept, out var rangos)) throw new NoAceptableException(TiposDeContenido);

        // Each representation takes the quality of the most specific range that matches it (text/html;q=0 rules it
        // out even under */*); the best quality wins, then the more specific match, then the server's order.
        var elegido = Representaciones
            .Select((r, orden) => (r.Formato, orden, Coincidencia: Coincidencia(r.Tipo, r.Subtipo, rangos)))
            .Where(x => x.Coincidencia is { Calidad: > 0 })
            .OrderByDescending(x => x.Coincidencia!.Value.Calidad)
            .ThenByDescending(x => x.Coincidencia!.Value.Especificidad)
            .ThenBy(x => x.orden)
            .Select(x => (FormatoInforme?)x.Formato)
            .FirstOrDefault();
        return elegido ?? throw new NoAceptableException(TiposDeContenido);
    }

    private static (double Calidad, int Especificidad)? Coincidencia(string tipo, string subtipo, IList<MediaTypeHeaderValue> rangos)
    {
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
