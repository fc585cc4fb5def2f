namespace CompromisosApi.Features.Estadisticas;

/// <summary>What either statistic answers besides its groups: the question, as it was understood.</summary>
public abstract record EstadisticaDto
{
    /// <summary>Agrupación pedida: ministerio, servicio, anio, linea, tipo o categoriaDesempeno.</summary>
    /// <example>ministerio</example>
    [System.ComponentModel.DataAnnotations.MaxLength(20)]
    public required string AgruparPor { get; init; }

    /// <summary>Año de evaluación por el que se filtraron los programas; null si no se filtró.</summary>
    /// <example>2007</example>
    public int? Anio { get; init; }

    /// <summary>Corte al que se calcularon las cifras (alCorte, o hoy en Chile).</summary>
    /// <example>2013-12-31</example>
    public required DateOnly AlCorte { get; init; }

    /// <summary>El instante pedido en conocidoAl (el registro tal como se conocía entonces); null: el registro actual.</summary>
    /// <example>2010-03-01T15:00:00+00:00</example>
    public DateTimeOffset? ConocidoAl { get; init; }
}

public sealed record CumplimientoDto : EstadisticaDto
{
    /// <summary>
    /// Un grupo por cada ministerio, servicio, año, línea, tipo o categoría con al menos un programa (que cumpla el filtro
    /// anio; con tipo, al menos un compromiso), ordenados por su clave (id, año o código; el grupo null al final). Sin paginar: los grupos son pocos.
    /// </summary>
    public required IReadOnlyList<GrupoCumplimientoDto> Grupos { get; init; }
}

/// <summary>The key of a group of either statistic: which fields are set depends on agruparPor.</summary>
public abstract record GrupoEstadistico
{
    protected GrupoEstadistico(ClaveDeGrupo clave)
    {
        Id = clave.Id;
        Nombre = clave.Nombre;
        AnioEvaluacion = clave.AnioEvaluacion;
        LineaEvaluacion = clave.LineaEvaluacion;
        Tipo = clave.Tipo;
        CategoriaDesempeno = clave.CategoriaDesempeno;
    }

    /// <summary>Id del ministerio o del servicio (agruparPor ministerio o servicio); null en las otras agrupaciones.</summary>
    /// <example>1</example>
    public int? Id { get; init; }

    /// <summary>
    /// Nombre del ministerio, del servicio, de la línea de evaluación, del tipo de compromiso ("Sin clasificar" para los
    /// compromisos sin tipo) o de la categoría de desempeño ("No registrada" para los programas sin categoría); null al agrupar por año.
    /// </summary>
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

    /// <summary>Código del tipo de compromiso (agruparPor tipo; null en el grupo "Sin clasificar" y en las otras agrupaciones).</summary>
    /// <example>SistemasDeInformacion</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoCodigoTipo)]
    public string? Tipo { get; init; }

    /// <summary>Categoría de desempeño del programa (agruparPor categoriaDesempeno; null en el grupo "No registrada" y en las otras agrupaciones).</summary>
    /// <example>MalDesempeno</example>
    public CategoriaDesempeno? CategoriaDesempeno { get; init; }
}

public sealed record GrupoCumplimientoDto : GrupoEstadistico
{
    public GrupoCumplimientoDto(ClaveDeGrupo clave) : base(clave) { }

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

public sealed record OportunidadPorGrupoDto : EstadisticaDto
{
    /// <summary>
    /// Un grupo por cada ministerio, servicio, año, línea, tipo o categoría con al menos un programa (que cumpla el filtro
    /// anio; con tipo, al menos un compromiso), ordenados por su clave (id, año o código; el grupo null al final). Sin paginar.
    /// </summary>
    public required IReadOnlyList<GrupoOportunidadDto> Grupos { get; init; }
}

/// <summary>Timeliness of a group's compromisos at the cut-off, from each one's oportunidad (see the Oportunidad schema).</summary>
public sealed record GrupoOportunidadDto : GrupoEstadistico
{
    public GrupoOportunidadDto(ClaveDeGrupo clave) : base(clave) { }

    /// <summary>Compromisos del grupo.</summary>
    /// <example>5</example>
    public required int Total { get; init; }

    /// <summary>Compromisos Cumplidos al corte (los que tienen oportunidad.cumplidoEn).</summary>
    /// <example>4</example>
    public required int Cumplidos { get; init; }

    /// <summary>De los cumplidos, los cumplidos a tiempo (oportunidad.aTiempo: cumplidoEn igual o anterior al último día del mes de vencimiento).</summary>
    /// <example>4</example>
    public required int CumplidosATiempo { get; init; }

    /// <summary>cumplidosATiempo ÷ cumplidos × 100, redondeado a un decimal; null si cumplidos es 0.</summary>
    /// <example>100.0</example>
    public decimal? PorcentajeATiempo { get; init; }

    /// <summary>
    /// Mediana de oportunidad.mesesDeAtraso de los cumplidos (los cumplidos a tiempo cuentan con 0), interpolada entre los dos
    /// valores centrales cuando son pares (percentile_cont 0.5), redondeada a un decimal; null si cumplidos es 0.
    /// </summary>
    /// <example>0.0</example>
    public decimal? MedianaMesesDeAtraso { get; init; }

    /// <summary>Compromisos cuya calificación al corte es Cancelado.</summary>
    /// <example>1</example>
    public required int Cancelados { get; init; }

    /// <summary>Vencidos al corte: mes de vencimiento igual o anterior al mes de alCorte y ni Cumplido ni Cancelado (el campo vencido).</summary>
    /// <example>0</example>
    public required int VencidosSinCumplir { get; init; }
}
