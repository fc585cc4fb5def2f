namespace CompromisosApi.Common;

/// <summary>
/// "Today" for the record is Chile's date: a cut-off or a due month turns at midnight in Santiago, not UTC.
/// </summary>
public sealed class Calendario(TimeProvider reloj)
{
    // Without the zone database every date near midnight would be wrong, silently: better not to start.
    private static readonly TimeZoneInfo Chile = TimeZoneInfo.FindSystemTimeZoneById("America/Santiago");

    public DateOnly Hoy() => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(reloj.GetUtcNow(), Chile).DateTime);
}
