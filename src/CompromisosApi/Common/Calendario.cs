namespace CompromisosApi.Common;

/// <summary>
/// "Today" for the record is Chile's date: a cut-off or a due month turns at midnight in Santiago, not UTC.
/// </summary>
public sealed class Calendario(TimeProvider reloj)
{
    private static readonly TimeZoneInfo Chile =
        TimeZoneInfo.TryFindSystemTimeZoneById("America/Santiago", out var tz) ? tz : TimeZoneInfo.Utc;

    public DateOnly Hoy() => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(reloj.GetUtcNow(), Chile).DateTime);

    public DateTimeOffset Ahora() => reloj.GetUtcNow();
}
