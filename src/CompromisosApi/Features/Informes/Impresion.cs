using System.Globalization;

namespace CompromisosApi.Features.Informes;

/// <summary>
/// The wording and printed values of the Informe de Egreso, as the seed report prints them. Text, HTML and PDF take
/// them from here so the three say exactly the same.
/// </summary>
public static class Impresion
{
    public const string TituloEgreso = "INFORME DE EGRESO DEL SISTEMA DE CUMPLIMIENTO DE COMPROMISOS";
    public const string TituloSeguimiento = "INFORME DE SEGUIMIENTO DEL SISTEMA DE CUMPLIMIENTO DE COMPROMISOS";
    public const string Egresado = "Egresado";
    public const string EnSeguimiento = "En Seguimiento";

    public const string EtiquetaPrograma = "Programa/Institución:";
    public const string EtiquetaServicio = "Servicio:";
    public const string EtiquetaAnio = "Año:";
    public const string EtiquetaCalificacion = "Calificación:";
    public const string EtiquetaFechaEgreso = "Fecha Egreso:";

    /// <summary>An Informe de Seguimiento has no egreso date; it states its cut-off in the same place and form.</summary>
    public const string EtiquetaFechaCorte = "Fecha Corte:";

    /// <summary>Printed only when conocidoAl was asked for: the instant whose knowledge of the record the informe shows.</summary>
    public const string EtiquetaConocidoAl = "Registro conocido al:";

    public const string EtiquetaVencimiento = "Fecha de Vencimiento:";
    public const string EtiquetaObservacion = "Observación:";
    public const string EtiquetaMedios = "Medios de Verificación:";

    public const string ColumnaRecomendacion = "Recomendación";
    public const string ColumnaCompromiso = "Compromiso";
    public const string ColumnaCumplimiento = "Cumplimiento";

    /// <summary>
    /// Explicit, not the thread's culture: "Dirección" must become "DIRECCIÓN" and "Compañía" "COMPAÑÍA" wherever the
    /// service runs.
    /// </summary>
    public static readonly CultureInfo Chile = CultureInfo.GetCultureInfo("es-CL");

    // Fixed, not from the culture's data: ICU versions differ in case and spelling ("septiembre"/"setiembre").
    private static readonly string[] NombresDeMes =
    [
        "Enero", "Febrero", "Marzo", "Abril", "Mayo", "Junio",
        "Julio", "Agosto", "Septiembre", "Octubre", "Noviembre", "Diciembre",
    ];

    public static string Mayusculas(string texto) => texto.ToUpper(Chile);

    /// <summary>"Diciembre 2009".</summary>
    public static string Mes(DateOnly mes) => $"{NombresDeMes[mes.Month - 1]} {mes.Year.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>"31-12-2011".</summary>
    public static string Fecha(DateOnly fecha) => fecha.ToString("dd-MM-yyyy", CultureInfo.InvariantCulture);

    /// <summary>
    /// "01-03-2010 12:00:00 (hora de Chile, UTC-03:00)", "30-11-2026 09:40:07.487749 (…)": on Chile's clock, with its
    /// offset so it reads unambiguously, and every fractional digit it has, so that asking again for the instant printed
    /// gives the same informe.
    /// </summary>
    public static string Instante(DateTimeOffset instante)
    {
        var chile = Common.Calendario.EnChile(instante);
        var desfase = chile.Offset;
        var signo = desfase < TimeSpan.Zero ? "-" : "+";
        return string.Create(CultureInfo.InvariantCulture, $"{chile:dd-MM-yyyy HH:mm:ss.FFFFFFF} (hora de Chile, UTC{signo}{desfase.Duration():hh\\:mm})");
    }

    public static string Calificacion(Calificacion c) => c switch
    {
        Domain.Calificacion.Pendiente => "Pendiente",
        Domain.Calificacion.Cumplido => "Cumplido",
        Domain.Calificacion.ParcialmenteCumplido => "Parcialmente Cumplido",
        Domain.Calificacion.NoCumplido => "No Cumplido",
        Domain.Calificacion.Cancelado => "Cancelado",
        _ => throw new ArgumentOutOfRangeException(nameof(c), c, null),
    };

    /// <summary>"Cumplido (31-12-2009)"; a Pendiente has no date.</summary>
    public static string CalificacionConFecha(CompromisoInformeDto c) =>
        c.FechaCalificacion is { } f ? $"{c.CalificacionTexto} ({Fecha(f)})" : c.CalificacionTexto;

    /// <summary>"1. Analizar …": the number as printed, then the verbatim text.</summary>
    public static string Numerado(string numero, string texto) => $"{numero} {texto}";

    public static string Numerado(RecomendacionInformeDto r) =>
        Numerado(r.Numero.ToString(CultureInfo.InvariantCulture) + ".", r.Texto);

    /// <summary>
    /// The header lines under the title, in the seed's order and wording. An Informe de Egreso is the same at every cut-off
    /// from its egreso on, so it prints its Fecha Egreso where an Informe de Seguimiento prints its Fecha Corte. The instant
    /// of conocidoAl comes last, and only when it was asked for: without it the header is the seed's.
    /// </summary>
    public const string EtiquetaCategoriaDesempeno = "Categoría de Desempeño:";

    /// <summary>The category as DIPRES prints it.</summary>
    public static string NombreCategoria(Domain.CategoriaDesempeno c) => c.Nombre();

    public static IReadOnlyList<(string? Etiqueta, string Valor)> Encabezado(InformeDto i)
    {
        List<(string?, string)> lineas =
        [
            (EtiquetaPrograma, i.Programa),
            (null, Mayusculas(i.Ministerio)),
            (EtiquetaServicio, Mayusculas(i.Servicio)),
            (EtiquetaAnio, i.AnioEvaluacion.ToString(CultureInfo.InvariantCulture)),
            (EtiquetaCalificacion, i.Calificacion),
        ];
        // Only when recorded: the seed's header (no category) stays the seed's.
        if (i.CategoriaDesempeno is { } categoria) lineas.Add((EtiquetaCategoriaDesempeno, NombreCategoria(categoria)));
        lineas.Add(i.FechaEgreso is { } egreso ? (EtiquetaFechaEgreso, Fecha(egreso)) : (EtiquetaFechaCorte, Fecha(i.AlCorte)));
        if (i.ConocidoAl is { } conocido) lineas.Add((EtiquetaConocidoAl, Instante(conocido)));
        return lineas;
    }

    /// <summary>
    /// One printed row per compromiso, with its recomendación repeated as the seed does. A recomendación without
    /// compromisos still gets a row, with the other two cells empty, so no recomendación is left out.
    /// </summary>
    public static IEnumerable<(RecomendacionInformeDto Recomendacion, CompromisoInformeDto? Compromiso)> Filas(InformeDto i) =>
        i.Recomendaciones.SelectMany(r => r.Compromisos.Count == 0
            ? [(r, (CompromisoInformeDto?)null)]
            : r.Compromisos.Select(c => (r, (CompromisoInformeDto?)c)));

    /// <summary>"Etiqueta: valor", or the bare label when the value is empty (the seed's "Observación: Calificación: …").</summary>
    public static string ConEtiqueta(string etiqueta, string? valor) =>
        string.IsNullOrEmpty(valor) ? etiqueta : $"{etiqueta} {valor}";
}
