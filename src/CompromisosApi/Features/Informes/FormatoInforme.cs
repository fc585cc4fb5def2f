using FluentValidation.Results;
using Microsoft.Extensions.Primitives;

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
/// Accept), otherwise Accept (<see cref="Negociacion"/>); none acceptable is 406.
/// </summary>
public static class NegociacionInforme
{
    /// <summary>In the server's order of preference, which breaks ties.</summary>
    private static readonly (FormatoInforme Formato, string Parametro, string Tipo)[] Representaciones =
    [
        (FormatoInforme.Json, "json", "application/json"),
        (FormatoInforme.Texto, "texto", "text/plain"),
        (FormatoInforme.Html, "html", "text/html"),
        (FormatoInforme.Pdf, "pdf", "application/pdf"),
    ];

    public static IReadOnlyList<string> TiposDeContenido { get; } = Representaciones.Select(r => r.Tipo).ToArray();

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

        return Negociacion.Elegir(TiposDeContenido, accept) is { } i ? Representaciones[i].Formato : throw new NoAceptableException(TiposDeContenido);
    }
}
