using System.Globalization;

namespace CompromisosApi.Common;

/// <summary>Due months travel as "yyyy-MM" ("2009-12") and are stored as the month's first day.</summary>
public static class Meses
{
    public const string Patron = "^[0-9]{4}-(0[1-9]|1[0-2])$";
    public const int AnioMinimo = 1990;
    public const int AnioMaximo = 2100;

    public static string Formatear(DateOnly d) => d.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    public static bool TryParse(string? texto, out DateOnly mes)
    {
        mes = default;
        return texto is { Length: 7 }
            && DateOnly.TryParseExact(texto + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out mes)
            && mes.Year is >= AnioMinimo and <= AnioMaximo;
    }

    public static DateOnly Parse(string texto) =>
        TryParse(texto, out var mes) ? mes : throw new FormatException($"'{texto}' no es un mes yyyy-MM.");

    public static IRuleBuilderOptions<T, string?> EsMes<T>(this IRuleBuilder<T, string?> regla) =>
        regla.Must(m => m is null || TryParse(m, out _))
            .WithMessage($"Debe ser un mes con formato yyyy-MM (por ejemplo 2009-12), entre {AnioMinimo} y {AnioMaximo}.");

    public static IRuleBuilderOptions<T, DateOnly> EsFechaRazonable<T>(this IRuleBuilder<T, DateOnly> regla) =>
        regla.Must(d => d.Year is >= AnioMinimo and <= AnioMaximo)
            .WithMessage($"La fecha debe estar entre {AnioMinimo} y {AnioMaximo}.");

    public static IRuleBuilderOptions<T, DateOnly?> EsFechaRazonable<T>(this IRuleBuilder<T, DateOnly?> regla) =>
        regla.Must(d => d is null || d.Value.Year is >= AnioMinimo and <= AnioMaximo)
            .WithMessage($"La fecha debe estar entre {AnioMinimo} y {AnioMaximo}.");
}
