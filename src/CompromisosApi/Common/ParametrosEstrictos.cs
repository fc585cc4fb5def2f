using System.Globalization;
using System.Text.RegularExpressions;
using FluentValidation.Results;

namespace CompromisosApi.Common;

/// <summary>
/// Every query parameter is given once. The query parameters that place a read in time take one form only, checked before any endpoint runs (400 naming the
/// parameter): model binding would read "2010-03-01" or an instant without its zone in the server's zone, and accept
/// "2009-12-3", so the same URL would mean different moments on different servers.
/// </summary>
public static class ParametrosEstrictos
{
    /// <summary>Instants: RFC 3339 with a zone.</summary>
    public static readonly string[] Instantes = ["conocidoAl"];

    /// <summary>Dates: yyyy-MM-dd.</summary>
    public static readonly string[] Fechas = ["alCorte", "corte", "fecha"];

    /// <summary>RFC 3339 date-time, as the contract states it (the parameters' pattern, in ECMA-262 syntax).</summary>
    public const string PatronInstante = @"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,7})?([Zz]|[+-]\d{2}:\d{2})$";

    // .NET's $ also matches before a final "\n": \z does not.
    private static readonly Regex Instante = new(PatronInstante[..^1] + @"\z", RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
    private static readonly Regex Fecha = new(@"^\d{4}-\d{2}-\d{2}\z", RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));

    public static IApplicationBuilder UseParametrosEstrictos(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var errores = new List<ValidationFailure>();
        foreach (var nombre in Instantes) Revisar(http.Request.Query, nombre, EsInstante, MensajeInstante, errores);
        foreach (var nombre in Fechas) Revisar(http.Request.Query, nombre, EsFecha, _ => "Debe ser una fecha yyyy-MM-dd, p. ej. 2009-12-31.", errores);
        // No query parameter of the contract is a list: binding would read one of the values, or say the format is wrong.
        foreach (var (nombre, valores) in http.Request.Query)
        {
            if (valores.Count > 1) errores.Add(new ValidationFailure(nombre, "Se indicó más de una vez."));
        }

        if (errores.Count > 0) throw new ValidationException(errores);
        await next();
    });

    /// <summary>
    /// A date in the path ({fecha}) in the one form the contract states, yyyy-MM-dd (binding alone would take other
    /// spellings of the same day): 400 naming the parameter otherwise.
    /// </summary>
    public static void AsegurarFechaDeRuta(HttpContext http, string nombre)
    {
        if (http.Request.RouteValues.TryGetValue(nombre, out var valor) && valor is string v && EsFecha(v)) return;
        throw new ValidationException([new ValidationFailure(nombre, "Debe ser una fecha yyyy-MM-dd, p. ej. 2009-12-31.")]);
    }

    private static void Revisar(IQueryCollection query, string nombre, Func<string, bool> valido, Func<string, string> mensaje, List<ValidationFailure> errores)
    {
        // A repeated one is named below, with every other parameter.
        if (!query.TryGetValue(nombre, out var valores) || valores.Count > 1) return;
        if (valores[0] is not { } v || !valido(v)) errores.Add(new ValidationFailure(nombre, mensaje(valores[0] ?? "")));
    }

    private static bool EsInstante(string v) =>
        Instante.IsMatch(v) && DateTimeOffset.TryParse(v.ToUpperInvariant(), CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    private static bool EsFecha(string v) =>
        Fecha.IsMatch(v) && DateOnly.TryParseExact(v, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    private static string MensajeInstante(string v) =>
        "Debe ser un instante RFC 3339 con zona horaria, p. ej. 2010-03-01T12:00:00-03:00 o 2010-03-01T15:00:00Z."
        + (v.Contains(' ', StringComparison.Ordinal) ? " Un + sin codificar en la URL se lee como espacio: escríbalo %2B." : "");
}
