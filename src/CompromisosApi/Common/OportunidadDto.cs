namespace CompromisosApi.Common;

/// <summary>
/// Oportunidad, derivada al leer del historial de calificaciones, al corte alCorte cuando se pide (por omisión,
/// el historial completo: la calificación vigente) y tal como se conocía en conocidoAl. Las correcciones cuentan como el
/// registro las muestra a cada corte. Los tres campos son null si la calificación a ese corte no es Cumplido (pendiente,
/// parcialmente cumplido, no cumplido o Cancelado).
/// </summary>
public sealed record OportunidadDto
{
    /// <summary>
    /// Si la calificación al corte es Cumplido: el primer corte en que el registro, leído a ese corte (alCorte=ese día),
    /// lo muestra Cumplido (sin correcciones, la fecha de su calificación Cumplido). null en otro caso.
    /// </summary>
    /// <example>2009-12-31</example>
    public DateOnly? CumplidoEn { get; init; }

    /// <summary>true si cumplidoEn es igual o anterior al último día del mes de vencimiento (mesesDeAtraso = 0); false si es posterior; null sin cumplidoEn.</summary>
    /// <example>true</example>
    [System.Text.Json.Serialization.JsonPropertyName("aTiempo")]
    public bool? ATiempo { get; init; }

    /// <summary>
    /// Meses entre el mes de vencimiento y el mes de cumplidoEn: (año·12 + mes de cumplidoEn) − (año·12 + mes de vencimiento),
    /// y 0 si es negativo (cumplido antes de vencer). null sin cumplidoEn.
    /// </summary>
    /// <example>0</example>
    [System.ComponentModel.DataAnnotations.Range(0, int.MaxValue)]
    public int? MesesDeAtraso { get; init; }

    public static OportunidadDto De(DateOnly fechaVencimiento, DateOnly? cumplidoEn)
    {
        var o = Domain.Oportunidad.De(fechaVencimiento, cumplidoEn);
        return new() { CumplidoEn = o.CumplidoEn, ATiempo = o.ATiempo, MesesDeAtraso = o.MesesDeAtraso };
    }
}
