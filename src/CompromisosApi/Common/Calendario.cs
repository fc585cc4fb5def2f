using System.Globalization;

namespace CompromisosApi.Common;

/// <summary>
/// "Today" for the record is Chile's date: a cut-off or a due month turns at midnight in Santiago, not UTC.
/// It also carries the reporting calendar: the cut-offs (cortes) of every year and the deadline to report on each.
/// </summary>
public sealed class Calendario
{
    // Without the zone database every date near midnight would be wrong, silently: better not to start.
    private static readonly TimeZoneInfo Chile = TimeZoneInfo.FindSystemTimeZoneById("America/Santiago");

    private readonly TimeProvider _reloj;

    /// <summary>The cut-offs of a year as (month, day), in calendar order.</summary>
    private readonly (int Mes, int Dia)[] _cortes;

    public Calendario(TimeProvider reloj)
        : this(reloj, Options.Create(new OpcionesCalendario()))
    {
    }

    public Calendario(TimeProvider reloj, IOptions<OpcionesCalendario> opciones)
    {
        _reloj = reloj;
        _cortes = opciones.Value.CortesDelAnio();
        DiasPlazoReporte = opciones.Value.DiasPlazoReporte;
        DiasAvisoRecordatorio = opciones.Value.DiasAvisoRecordatorio;
    }

    /// <summary>Days before a corte's reporting deadline the servicios with pending work are reminded (corte.recordatorio).</summary>
    public int DiasAvisoRecordatorio { get; }

    /// <summary>Days after a corte the servicios have to report on it.</summary>
    public int DiasPlazoReporte { get; }

    public DateOnly Hoy() => DateOnly.FromDateTime(EnChile(_reloj.GetUtcNow()).DateTime);

    /// <summary>The instant on Chile's clock (its offset then, summer time included).</summary>
    public static DateTimeOffset EnChile(DateTimeOffset instante) => TimeZoneInfo.ConvertTime(instante, Chile);

    public bool EsCorte(DateOnly fecha) => Array.IndexOf(_cortes, (fecha.Month, fecha.Day)) >= 0;

    public DateOnly PlazoReporte(DateOnly corte) => corte.AddDays(DiasPlazoReporte);

    /// <summary>Every corte from desde to hasta, both inclusive, in order.</summary>
    public IEnumerable<DateOnly> Cortes(DateOnly desde, DateOnly hasta)
    {
        for (var anio = desde.Year; anio <= hasta.Year; anio++)
        {
            foreach (var (mes, dia) in _cortes)
            {
                var fecha = new DateOnly(anio, mes, dia);
                if (fecha >= desde && fecha <= hasta) yield return fecha;
            }
        }
    }

    /// <summary>The latest corte on or before the date.</summary>
    public DateOnly CorteAl(DateOnly fecha)
    {
        for (var anio = fecha.Year; ; anio--)
        {
            for (var i = _cortes.Length - 1; i >= 0; i--)
            {
                var corte = new DateOnly(anio, _cortes[i].Mes, _cortes[i].Dia);
                if (corte <= fecha) return corte;
            }
        }
    }

    /// <summary>The latest corte on or before today in Chile.</summary>
    public DateOnly CorteActual() => CorteAl(Hoy());

    /// <summary>The first corte on or after today in Chile: the one being reported on now or next.</summary>
    public DateOnly ProximoCorte() => Cortes(Hoy(), Hoy().AddYears(1)).First();

    /// <summary>The cut-offs as configuration writes them ("06-30"), for messages.</summary>
    public string Describir() => string.Join(", ", _cortes.Select(c => $"{c.Dia:00}-{c.Mes:00}"));
}

/// <summary>Configuration section Calendario.</summary>
public sealed class OpcionesCalendario
{
    public const string Seccion = "Calendario";

    /// <summary>Cortes of every year as "MM-dd"; by default 30 June and 31 December. Empty or absent: the default.</summary>
    public string[]? Cortes { get; set; }

    /// <summary>Days after each corte to report on it.</summary>
    public int DiasPlazoReporte { get; set; } = 15;

    /// <summary>Days before each reporting deadline to send corte.recordatorio to the servicios with pending work.</summary>
    public int DiasAvisoRecordatorio { get; set; } = 5;

    private static readonly string[] PorOmision = ["06-30", "12-31"];

    /// <summary>Parses the configured cortes; throws on a value that is not a month-day every year has.</summary>
    public (int Mes, int Dia)[] CortesDelAnio()
    {
        var textos = Cortes is { Length: > 0 } ? Cortes : PorOmision;
        var cortes = new SortedSet<(int, int)>();
        foreach (var texto in textos)
        {
            // 2001 is not a leap year: 02-29 is refused, since it would be a corte only every fourth year.
            if (!DateOnly.TryParseExact($"2001-{texto?.Trim()}", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
                throw new OptionsValidationException(Seccion, typeof(OpcionesCalendario),
                    [$"Calendario:Cortes: '{texto}' no es un día MM-dd que exista todos los años (por ejemplo 06-30)."]);
            cortes.Add((d.Month, d.Day));
        }

        if (DiasPlazoReporte is < 0 or > 365)
            throw new OptionsValidationException(Seccion, typeof(OpcionesCalendario), ["Calendario:DiasPlazoReporte debe estar entre 0 y 365."]);
        if (DiasAvisoRecordatorio is < 0 or > 365)
            throw new OptionsValidationException(Seccion, typeof(OpcionesCalendario), ["Calendario:DiasAvisoRecordatorio debe estar entre 0 y 365."]);
        return [.. cortes];
    }
}

public static class ReglasDeCalendario
{
    /// <summary>Reportes, medios and calificaciones refer to a corte of the calendar (legacy imports excepted).</summary>
    public static IRuleBuilderOptions<T, DateOnly> EsCorte<T>(this IRuleBuilder<T, DateOnly> regla, Calendario calendario) =>
        regla.Must(calendario.EsCorte)
            .WithMessage(_ => $"Debe ser un corte del calendario ({calendario.Describir()} de cada año; vea GET /api/v1/cortes).");

    /// <summary>
    /// What a servicio reports refers to a corte already reached or the next one: a corte years ahead would only open
    /// room that the per-corte quotas don't count.
    /// </summary>
    public static IRuleBuilderOptions<T, DateOnly> NoPosteriorAlProximoCorte<T>(this IRuleBuilder<T, DateOnly> regla, Calendario calendario) =>
        regla.Must(c => c <= calendario.ProximoCorte())
            .WithMessage(_ => $"No puede ser posterior al próximo corte ({calendario.ProximoCorte():dd-MM-yyyy}).");
}
