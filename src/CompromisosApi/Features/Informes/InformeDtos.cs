namespace CompromisosApi.Features.Informes;

/// <summary>
/// El Informe de Egreso (o de Seguimiento, si al corte el programa no ha egresado) del Sistema de Cumplimiento de
/// Compromisos: el mismo contenido que las versiones en texto, HTML y PDF, estructurado. Los textos oficiales van
/// verbatim.
/// </summary>
public sealed record InformeDto
{
    /// <summary>
    /// "INFORME DE EGRESO DEL SISTEMA DE CUMPLIMIENTO DE COMPROMISOS" si el programa había egresado al corte; si no,
    /// "INFORME DE SEGUIMIENTO DEL SISTEMA DE CUMPLIMIENTO DE COMPROMISOS".
    /// </summary>
    /// <example>INFORME DE EGRESO DEL SISTEMA DE CUMPLIMIENTO DE COMPROMISOS</example>
    [System.ComponentModel.DataAnnotations.MaxLength(100)]
    public required string Titulo { get; init; }

    /// <summary>Nombre del programa o institución, verbatim ("Programa/Institución").</summary>
    /// <example>Microemprendimiento MYPIME Programa de Desarrollo de Redes Pro Rubro</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoNombrePrograma)]
    public required string Programa { get; init; }

    /// <summary>Nombre del ministerio, tal como está registrado (los formatos impresos lo muestran en mayúsculas).</summary>
    /// <example>Ministerio de Agricultura</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoNombre)]
    public required string Ministerio { get; init; }

    /// <summary>Nombre del servicio, tal como está registrado (los formatos impresos lo muestran en mayúsculas).</summary>
    /// <example>Instituto de Desarrollo Agropecuario</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoNombre)]
    public required string Servicio { get; init; }

    /// <summary>Código del ministerio (su partida en la Ley de Presupuestos); null si no está registrado. Los formatos impresos no lo muestran.</summary>
    /// <example>13</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoCodigoMinisterio)]
    [Patron(CodigosPresupuestarios.PatronPartida)]
    public string? MinisterioCodigo { get; init; }

    /// <summary>Código del servicio (partida.capítulo); null si no está registrado. Los formatos impresos no lo muestran.</summary>
    /// <example>13.03</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoCodigoServicio)]
    [Patron(CodigosPresupuestarios.PatronCapitulo)]
    public string? ServicioCodigo { get; init; }

    /// <summary>Código presupuestario del programa (partida.capítulo.programa); null si no tiene uno propio.</summary>
    /// <example>13.03.01</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoCodigoPrograma)]
    [Patron(CodigosPresupuestarios.PatronPrograma)]
    public string? CodigoPresupuestario { get; init; }

    /// <summary>Año de la evaluación ("Año").</summary>
    /// <example>2007</example>
    public required int AnioEvaluacion { get; init; }

    /// <summary>Código de la línea de evaluación.</summary>
    /// <example>EPG</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoCodigoLinea)]
    public required string LineaEvaluacion { get; init; }

    /// <summary>Categoría de desempeño publicada por DIPRES; null si no está registrada.</summary>
    /// <example>BuenDesempeno</example>
    public CategoriaDesempeno? CategoriaDesempeno { get; init; }

    /// <summary>Calificación del programa al corte, como la imprime el informe: "Egresado" o "En Seguimiento".</summary>
    /// <example>Egresado</example>
    [System.ComponentModel.DataAnnotations.MaxLength(50)]
    public required string Calificacion { get; init; }

    /// <summary>Fecha de egreso si el programa había egresado al corte; si no, null.</summary>
    /// <example>2011-12-31</example>
    public DateOnly? FechaEgreso { get; init; }

    /// <summary>Corte al que se emite el informe (el pedido en alCorte o, por omisión, hoy en Chile).</summary>
    /// <example>2011-12-31</example>
    public required DateOnly AlCorte { get; init; }

    /// <summary>
    /// El instante pedido en conocidoAl: el informe muestra el registro tal como se conocía entonces (y lo imprime en su
    /// encabezado, "Registro conocido al"); null: el registro actual.
    /// </summary>
    /// <example>2010-03-01T15:00:00+00:00</example>
    public DateTimeOffset? ConocidoAl { get; init; }

    /// <summary>Recomendaciones en orden de número, cada una con sus compromisos.</summary>
    public required IReadOnlyList<RecomendacionInformeDto> Recomendaciones { get; init; }
}

public sealed record RecomendacionInformeDto
{
    /// <summary>Número de la recomendación dentro del programa.</summary>
    /// <example>1</example>
    public required int Numero { get; init; }

    /// <summary>Texto verbatim de la recomendación del panel.</summary>
    /// <example>Analizar cuáles son las características mínimas que los EAC y EI deben tener para participar en el programa.</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoTexto)]
    public required string Texto { get; init; }

    /// <summary>Compromisos que responden a la recomendación, en orden.</summary>
    public required IReadOnlyList<CompromisoInformeDto> Compromisos { get; init; }
}

public sealed record CompromisoInformeDto
{
    /// <summary>Número del compromiso en el programa, "&lt;recomendación&gt;.&lt;n&gt;".</summary>
    /// <example>1.2</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Domain.Compromiso.LargoNumero)]
    public required string Numero { get; init; }

    /// <summary>Número dentro de la recomendación, como lo imprime el informe ("1.", "2.").</summary>
    /// <example>2.</example>
    [System.ComponentModel.DataAnnotations.MaxLength(20)]
    public required string NumeroEnRecomendacion { get; init; }

    /// <summary>Texto verbatim del compromiso.</summary>
    /// <example>Elaborar matriz de marco lógico del nuevo programa revisada y concordada con DIPRES.</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoTexto)]
    public required string Texto { get; init; }

    /// <summary>Mes de vencimiento, yyyy-MM.</summary>
    /// <example>2009-12</example>
    [Mes]
    public required string FechaVencimiento { get; init; }

    /// <summary>Mes de vencimiento como lo imprime el informe.</summary>
    /// <example>Diciembre 2009</example>
    [System.ComponentModel.DataAnnotations.MaxLength(20)]
    public required string FechaVencimientoTexto { get; init; }

    /// <summary>
    /// Cumplimiento informado por el servicio hasta el corte: los textos verbatim de sus reportes con corte igual o
    /// anterior, en orden de corte (y de registro dentro de un mismo corte), separados por una línea en blanco
    /// ("\n\n"). Null si no hay ninguno.
    /// </summary>
    /// <example>Cada tipo de cliente del nuevo instrumento puede permanecer hasta tres años recibiendo el Servicio. Ver actividades en el Marco del Servicio que se adjunta.</example>
    public string? Cumplimiento { get; init; }

    /// <summary>Observación del analista en la calificación vigente al corte (null si no hay o está Pendiente).</summary>
    /// <example>Idem compromiso 1.1.</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoTexto)]
    public string? Observacion { get; init; }

    /// <summary>Calificación vigente al corte: la última con fecha igual o anterior; Pendiente si no hay ninguna.</summary>
    /// <example>Cumplido</example>
    public required Calificacion Calificacion { get; init; }

    /// <summary>La calificación como la imprime el informe ("Cumplido", "Parcialmente Cumplido", "No Cumplido", …).</summary>
    /// <example>Cumplido</example>
    [System.ComponentModel.DataAnnotations.MaxLength(50)]
    public required string CalificacionTexto { get; init; }

    /// <summary>Fecha (corte) de la calificación vigente; null mientras está Pendiente.</summary>
    /// <example>2009-12-31</example>
    public DateOnly? FechaCalificacion { get; init; }

    /// <summary>Oportunidad al corte del informe (la del compromiso leído con el mismo alCorte y conocidoAl).</summary>
    public required OportunidadDto Oportunidad { get; init; }

    /// <summary>Títulos de los medios de verificación presentados para cortes iguales o anteriores, en orden.</summary>
    /// <example>["Documento Marco", "Marco Lógico mejorado"]</example>
    public required IReadOnlyList<string> MediosVerificacion { get; init; }

    /// <summary>
    /// Los mismos medios de verificación, en el mismo orden, con el nombre y el SHA-256 del archivo presentado cuando
    /// el medio tiene uno (los registrados solo con título no lo tienen).
    /// </summary>
    public IReadOnlyList<MedioInformeDto> Medios { get; init; } = [];
}

/// <summary>Un medio de verificación en el informe.</summary>
public sealed record MedioInformeDto
{
    /// <summary>Título del medio.</summary>
    /// <example>Documento Marco</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoTitulo)]
    public required string Titulo { get; init; }

    /// <summary>Nombre del archivo presentado (null si el medio es solo un título).</summary>
    /// <example>documento-marco.pdf</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoNombreArchivo)]
    public string? NombreArchivo { get; init; }

    /// <summary>SHA-256 del archivo en hexadecimal, en minúsculas (null si el medio es solo un título).</summary>
    /// <example>9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08</example>
    [System.ComponentModel.DataAnnotations.MaxLength(64)]
    public string? Sha256 { get; init; }
}
