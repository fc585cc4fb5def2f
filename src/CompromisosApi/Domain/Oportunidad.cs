namespace CompromisosApi.Domain;

/// <summary>
/// Timeliness of a compromiso as of a cut-off (issue 18), derived from its history of calificaciones:
/// <list type="bullet">
/// <item><see cref="CumplidoEn"/>: only when the calificación in effect at the cut-off is Cumplido, the earliest cut-off
/// at which the record, read as of that cut-off (<see cref="Compromiso.CalificacionAlCorte"/>, the one as-of rule),
/// shows it Cumplido; null otherwise (not yet Cumplido, Cancelado, or a Cumplido corrected away).</item>
/// <item><see cref="MesesDeAtraso"/>: months from the due month to the month of cumplidoEn, never below 0 (a
/// compromiso met before its due month is 0 months late); null without cumplidoEn.</item>
/// <item><see cref="ATiempo"/>: cumplidoEn on or before the last day of the due month, that is mesesDeAtraso = 0;
/// null without cumplidoEn.</item>
/// </list>
/// The EF reads and the statistics use the SQL functions cumplido_al_corte and meses_de_atraso
/// (Persistence/Sql/al-corte.sql), which say the same; OportunidadReglaYConsultaTests holds them to the same histories.
/// </summary>
public sealed record Oportunidad(DateOnly? CumplidoEn, bool? ATiempo, int? MesesDeAtraso)
{
    public static Oportunidad De(DateOnly fechaVencimiento, DateOnly? cumplidoEn) =>
        MesesDeAtrasoDe(fechaVencimiento, cumplidoEn) is { } meses ? new(cumplidoEn, meses == 0, meses) : new(null, null, null);

    public static int? MesesDeAtrasoDe(DateOnly fechaVencimiento, DateOnly? cumplidoEn) =>
        cumplidoEn is { } f ? Math.Max(0, (f.Year * 12 + f.Month) - (fechaVencimiento.Year * 12 + fechaVencimiento.Month)) : null;

    /// <summary>
    /// cumplidoEn as of <paramref name="alCorte"/> (<see cref="DateOnly.MaxValue"/>: the whole history, the current
    /// record) from a history already narrowed to what was known at the moment's instant.
    /// </summary>
    public static DateOnly? CumplidoAlCorte(IReadOnlyCollection<RegistroCalificacion> historial, DateOnly alCorte)
    {
        if (Compromiso.CalificacionAlCorte(historial, alCorte)?.Calificacion != Calificacion.Cumplido) return null;
        return historial
            .Where(k => k.Calificacion == Calificacion.Cumplido && k.Fecha <= alCorte
                && Compromiso.CalificacionAlCorte(historial, k.Fecha)?.Calificacion == Calificacion.Cumplido)
            .Min(k => (DateOnly?)k.Fecha);
    }
}
