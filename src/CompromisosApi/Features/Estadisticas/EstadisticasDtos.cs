namespace CompromisosApi.Features.Estadisticas;

public sealed record CumplimientoDto
{
    /// <summary>Agrupación pedida: ministerio, servicio, anio o linea.</summary>
    /// <example>ministerio</example>
    [System.ComponentModel.DataAnnotations.MaxLength(10)]
    public required string AgruparPor { get; init; }

    /// <summary>Año de evaluación por el que se filtraron los programas; null si no se filtró.</summary>
    /// <example>2007</example>
    public int? Anio { get; init; }

    /// <summary>Corte al que se calcularon exigibles, vencidos y porcentajeCumplimiento.</summary>
    /// <example>2013-12-31</example>
    public required DateOnly AlCorte { get; init; }

    /// <summary>El instante pedido en conocidoAl (el registro tal como se conocía entonces); null: el registro actual.</summary>
    /// <example>2010-03-01T15:00:00+00:00</example>
    public DateTimeOffset? ConocidoAl { get; init; }

    /// <summary>
    /// Un grupo por cada ministerio, servicio, año o línea con al menos un programa (que cumpla el filtro anio),
    /// ordenados por su clave (id, año o código). Sin paginar: los grupos son pocos.
    /// </summary>
    public required IReadOnlyList<GrupoCumplimientoDto> Grupos { get; init; }
}

public sealed record GrupoCumplimientoDto
{
    /// <summary>Id del ministerio o del servicio (agruparPor ministerio o servicio); null en las otras agrupaciones.</summary>
    /// <example>1</example>
    public int? Id { get; init; }

    /// <summary>Nombre del ministerio, del servicio o de la línea de evaluación; null al agrupar por año.</summary>
    /// <example>Ministerio de Agricultura</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoNombre)]
    public string? Nombre { get; init; }

    /// <summary>Año de evaluación (agruparPor anio); null en las otras agrupaciones.</summary>
    /// <example>2007</example>
    public int? AnioEvaluacion { get; init; }

    /// <summary>Código de la línea de evaluación (agruparPor linea); null en las otras agrupaciones.</summary>
    /// <example>EPG</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoCodigoLinea)]
    public string? LineaEvaluacion { get; init; }

    /// <summary>Compromisos del grupo por su calificación vigente (hoy), vencidos o no.</summary>
    public required ConteoPorCalificacionDto PorCalificacion { get; init; }

    /// <summary>Compromisos del grupo.</summary>
    /// <example>5</example>
    public required int Total { get; init; }

    /// <summary>
    /// Vencidos al corte: mes de vencimiento igual o anterior al mes de alCorte y ni Cumplido ni Cancelado (la misma
    /// regla que el campo vencido de un compromiso).
    /// </summary>
    /// <example>0</example>
    public required int Vencidos { get; init; }

    /// <summary>Exigibles al corte: compromisos con mes de vencimiento igual o anterior al mes de alCorte, en cualquier calificación.</summary>
    /// <example>5</example>
    public required int Exigibles { get; init; }

    /// <summary>Exigibles al corte cuya calificación vigente es Cumplido (numerador del porcentaje).</summary>
    /// <example>4</example>
    public required int CumplidosExigibles { get; init; }

    /// <summary>Exigibles al corte cuya calificación vigente es Cancelado (se restan del denominador).</summary>
    /// <example>1</example>
    public required int CanceladosExigibles { get; init; }

    /// <summary>Programas del grupo en seguimiento.</summary>
    /// <example>0</example>
    public required int ProgramasEnSeguimiento { get; init; }

    /// <summary>Programas del grupo egresados.</summary>
    /// <example>1</example>
    public required int ProgramasEgresados { get; init; }

    /// <summary>
    /// cumplidosExigibles ÷ (exigibles − canceladosExigibles) × 100, redondeado a un decimal: de los compromisos que
    /// al corte ya debían cumplirse, sin contar los cancelados, qué parte está Cumplida. Un compromiso Cumplido que
    /// vence después del corte no cuenta (no era exigible aún). null cuando el denominador es 0.
    /// </summary>
    /// <example>100.0</example>
    public decimal? PorcentajeCumplimiento { get; init; }
}

/// <summary>Compromisos por calificación vigente.</summary>
public sealed record ConteoPorCalificacionDto
{
    /// <example>0</example>
    public required int Pendiente { get; init; }

    /// <example>4</example>
    public required int Cumplido { get; init; }

    /// <example>0</example>
    public required int ParcialmenteCumplido { get; init; }

    /// <example>0</example>
    public required int NoCumplido { get; init; }

    /// <example>1</example>
    public required int Cancelado { get; init; }
}
