using CompromisosApi.Features.Compromisos;

namespace CompromisosApi.Features.Importaciones;

/// <summary>
/// One programa's whole record as DIPRES archived it: catalog names, the programa, its recomendaciones and
/// compromisos with their history (reportes, medios de verificación, calificaciones) and, if it left follow-up,
/// its fecha de egreso. Texts are stored verbatim.
/// </summary>
public sealed record DocumentoImportacion : Mediator.ICommand<ResultadoImportacion>
{
    /// <summary>Nombre del ministerio; si ya existe uno con ese nombre exacto, se usa.</summary>
    /// <example>Ministerio de Agricultura</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoNombre)]
    [NoEnBlanco]
    public required string Ministerio { get; init; }

    /// <summary>
    /// Código del ministerio: su partida en la Ley de Presupuestos ("13"). Se fija al crearlo; si el ministerio ya existe
    /// con otro código, 400 (la importación no cambia el catálogo: un ministerio existente sin código lo recibe con PUT).
    /// </summary>
    /// <example>13</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoCodigoMinisterio)]
    [Patron(CodigosPresupuestarios.PatronPartida)]
    // Absent members are left out of the document's fingerprint, so records imported before them import again unchanged.
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? MinisterioCodigo { get; init; }

    public required ServicioImportado Servicio { get; init; }

    public required ProgramaImportado Programa { get; init; }

    /// <summary>En orden: la primera es la número 1.</summary>
    public required List<RecomendacionImportada> Recomendaciones { get; init; }

    /// <summary>Si el programa egresó, su fecha de egreso (no anterior a su última calificación).</summary>
    /// <example>2011-12-31</example>
    public DateOnly? FechaEgreso { get; init; }
}

public sealed record ServicioImportado
{
    /// <summary>Nombre del servicio; si el ministerio ya tiene uno con ese nombre exacto, se usa.</summary>
    /// <example>Instituto de Desarrollo Agropecuario</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoNombre)]
    [NoEnBlanco]
    public required string Nombre { get; init; }

    /// <example>INDAP</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoSigla)]
    public string? Sigla { get; init; }

    /// <summary>
    /// Partida.capítulo en la Ley de Presupuestos ("13.03"), que comienza con el código del ministerio. Se fija al crear el
    /// servicio; si ya existe con otro código, 400.
    /// </summary>
    /// <example>13.03</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoCodigoServicio)]
    [Patron(CodigosPresupuestarios.PatronCapitulo)]
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Codigo { get; init; }
}

public sealed record ProgramaImportado
{
    /// <example>Microemprendimiento MYPIME Programa de Desarrollo de Redes Pro Rubro</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoNombrePrograma)]
    [NoEnBlanco]
    public required string Nombre { get; init; }

    /// <example>2007</example>
    [System.ComponentModel.DataAnnotations.Range(Validacion.PrimerAnioEvaluacion, Meses.AnioMaximo)]
    public required int AnioEvaluacion { get; init; }

    /// <example>EPG</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoCodigoLinea)]
    [NoEnBlanco]
    public required string LineaEvaluacion { get; init; }

    /// <summary>Categoría de desempeño publicada por DIPRES; null u omitida: no registrada (los registros antiguos).</summary>
    /// <example>BuenDesempeno</example>
    // Left out of the document's fingerprint when absent, so a record imported before the category existed imports again unchanged.
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public CategoriaDesempeno? CategoriaDesempeno { get; init; }

    /// <summary>Partida.capítulo.programa en la Ley de Presupuestos ("13.03.01"), que comienza con el código del servicio; null u omitido: sin código.</summary>
    /// <example>13.03.01</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoCodigoPrograma)]
    [Patron(CodigosPresupuestarios.PatronPrograma)]
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? CodigoPresupuestario { get; init; }
}

public sealed record RecomendacionImportada
{
    /// <summary>Número impreso en el registro; debe ser su posición (1, 2, 3 …).</summary>
    /// <example>1</example>
    public required int Numero { get; init; }

    /// <example>Analizar cuáles son las características mínimas que los EAC y EI deben tener para participar en el programa.</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoTexto)]
    [NoEnBlanco]
    public required string Texto { get; init; }

    public required List<CompromisoImportado> Compromisos { get; init; }
}

public sealed record CompromisoImportado : IDatosCompromiso
{
    /// <summary>"&lt;recomendación&gt;.&lt;n&gt;" en orden (1.1, 1.2 …), como lo imprime el registro.</summary>
    /// <example>1.2</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Domain.Compromiso.LargoNumero)]
    [NoEnBlanco]
    public required string Numero { get; init; }

    /// <example>Elaborar matriz de marco lógico del nuevo programa revisada y concordada con DIPRES.</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoTexto)]
    [NoEnBlanco]
    public required string Texto { get; init; }

    /// <summary>Mes de vencimiento, yyyy-MM.</summary>
    /// <example>2009-12</example>
    [System.ComponentModel.DataAnnotations.MaxLength(7)]
    [Mes]
    public required string FechaVencimiento { get; init; }

    /// <summary>Código del tipo de compromiso (catálogo GET /api/v1/tipos-compromiso); null u omitido: sin clasificar.</summary>
    /// <example>SistemasDeInformacion</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoCodigoTipo)]
    // Absent members are left out of the document's fingerprint, so records imported before them import again unchanged.
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Tipo { get; init; }

    /// <summary>Prioritario; null u omitido: false.</summary>
    /// <example>false</example>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public bool? Prioritario { get; init; }

    /// <summary>Reportes de cumplimiento, en orden.</summary>
    public List<ReporteImportado> Reportes { get; init; } = [];

    public List<MedioImportado> MediosVerificacion { get; init; } = [];

    /// <summary>Historial de calificaciones, en orden; se aplican con las reglas de siempre.</summary>
    public List<CalificacionImportada> Calificaciones { get; init; } = [];
}

public sealed record ReporteImportado
{
    /// <example>2011-12-31</example>
    public required DateOnly Corte { get; init; }

    /// <example>Durante los años 2010 y 2011 el Programa de Asociatividad no ha funcionado.</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoCumplimiento)]
    [NoEnBlanco]
    public required string Texto { get; init; }
}

public sealed record MedioImportado
{
    /// <example>Marco Lógico mejorado</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoTitulo)]
    [NoEnBlanco]
    public required string Titulo { get; init; }

    /// <example>2011-12-31</example>
    public required DateOnly Corte { get; init; }
}

public sealed record CalificacionImportada
{
    /// <example>Cancelado</example>
    public required Calificacion Calificacion { get; init; }

    /// <example>2011-12-31</example>
    public required DateOnly Fecha { get; init; }

    /// <example>Idem compromiso 1.1.</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoTexto)]
    public string? Observacion { get; init; }
}

/// <summary>What an import stored (or, replayed, had stored).</summary>
public sealed record ResultadoImportacion
{
    /// <example>1</example>
    public required int ProgramaId { get; init; }

    /// <summary>false cuando el mismo documento ya se había importado: no se escribió nada.</summary>
    /// <example>true</example>
    public required bool Creado { get; init; }

    /// <example>4</example>
    public required int Recomendaciones { get; init; }

    /// <example>5</example>
    public required int Compromisos { get; init; }

    /// <example>5</example>
    public required int Calificaciones { get; init; }

    /// <example>5</example>
    public required int Reportes { get; init; }

    /// <example>4</example>
    public required int MediosVerificacion { get; init; }

    /// <example>Egresado</example>
    public required EstadoPrograma Estado { get; init; }
}
