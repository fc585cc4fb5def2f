namespace CompromisosApi.Domain;

/// <summary>A commitment answering one recomendación; it carries the calificación state machine.</summary>
public sealed class Compromiso : IRegistradoEn
{
    private Compromiso() { }

    public Compromiso(Recomendacion recomendacion, int secuencia, string texto, DateOnly fechaVencimiento, DateTimeOffset registradoEn, string? tipo = null, bool prioritario = false)
    {
        Tipo = tipo;
        Prioritario = prioritario;
        RegistradoEn = registradoEn;
        RecomendacionId = recomendacion.Id;
        ProgramaId = recomendacion.ProgramaId;
        Secuencia = secuencia;
        Numero = $"{recomendacion.Numero}.{secuencia}";
        Texto = texto;
        FechaVencimiento = PrimerDiaDelMes(fechaVencimiento);
        Calificacion = Calificacion.Pendiente;
    }

    public int Id { get; private set; }
    public int RecomendacionId { get; private set; }

    /// <summary>Denormalised from the recomendación: lists filter and egreso reads by programa.</summary>
    public int ProgramaId { get; private set; }

    public int Secuencia { get; private set; }

    /// <summary>"&lt;recomendación&gt;.&lt;secuencia&gt;", as the record prints it ("1.2").</summary>
    public string Numero { get; private set; } = null!;

    public string Texto { get; private set; } = null!;

    /// <summary>Due month, stored as its first day.</summary>
    public DateOnly FechaVencimiento { get; private set; }

    /// <summary>Code of its type in the catalog (tipos_compromiso); null: not classified.</summary>
    public string? Tipo { get; private set; }

    /// <summary>Flagged as a priority, as GAO and Mexico's ASM flag recommendations.</summary>
    public bool Prioritario { get; private set; }

    /// <summary>The longest numero ("&lt;recomendación&gt;.&lt;n&gt;") the record stores.</summary>
    public const int LargoNumero = 20;

    public Calificacion Calificacion { get; private set; }
    public DateOnly? FechaCalificacion { get; private set; }

    /// <summary>When it entered the record: a reading as known at an earlier instant does not see it.</summary>
    public DateTimeOffset RegistradoEn { get; private set; }

    public uint Version { get; private set; }

    public void Actualizar(string texto, DateOnly fechaVencimiento, string? tipo, bool prioritario)
    {
        Tipo = tipo;
        Prioritario = prioritario;
        Texto = texto;
        FechaVencimiento = PrimerDiaDelMes(fechaVencimiento);
    }

    /// <summary>
    /// Vencido: the due month is on or before the month of the cut-off, so it is due for qualification,
    /// and it is not yet final.
    /// </summary>
    public bool EstaVencido(DateOnly alCorte) => EstaVencido(FechaVencimiento, Calificacion, alCorte);

    public static bool EstaVencido(DateOnly fechaVencimiento, Calificacion calificacion, DateOnly alCorte) =>
        fechaVencimiento <= PrimerDiaDelMes(alCorte) && !calificacion.EsFinal();

    /// <summary>
    /// The calificación in effect at a cut-off: of those dated on or before it, the one registered last (null: still
    /// Pendiente then). Registration order, not fecha, decides because a correction may be dated earlier than the
    /// calificación it replaces and still replaces it, as it replaces the current one (<see cref="Corregir"/>); without
    /// corrections fechas never go back, so the two orders agree. The EF queries (Persistence/AlCorte.cs) and the SQL
    /// function calificacion_al_corte say the same; a reading "as known at an instant" narrows the history first.
    /// </summary>
    public static RegistroCalificacion? CalificacionAlCorte(IEnumerable<RegistroCalificacion> historial, DateOnly alCorte) =>
        historial.Where(k => k.Fecha <= alCorte).MaxBy(k => k.Id);

    /// <summary>
    /// Registers a calificación. Cumplido and Cancelado are final, nothing returns to Pendiente, and the
    /// history moves forward in time. Cancelado needs a reason: the analyst's observación or, as in the seed
    /// (compromiso 1.2, empty observación), the servicio's own reporte for that same cut-off stating it.
    /// </summary>
    public RegistroCalificacion Calificar(
        Calificacion nueva, DateOnly fecha, string? observacion, bool hayReporteEnElCorte, Autoria autoria)
    {
        if (Calificacion.EsFinal())
        {
            throw new ReglaException(
                Reglas.CalificacionFinal,
                "La calificación actual es final",
                $"El compromiso {Numero} está {Calificacion} desde el {FechaCalificacion:dd-MM-yyyy}; Cumplido y Cancelado son finales.");
        }

        if (nueva == Calificacion.Pendiente)
        {
            throw new ReglaException(
                Reglas.SinRetornoAPendiente,
                "Ninguna calificación vuelve a Pendiente",
                "Pendiente es solo el estado inicial de un compromiso; no puede registrarse como calificación.");
        }

        if (FechaCalificacion is { } anterior && fecha < anterior)
        {
            throw new ReglaException(
                Reglas.FechaAnterior,
                "La fecha es anterior a la calificación previa",
                $"La fecha {fecha:dd-MM-yyyy} es anterior a la última calificación del compromiso ({anterior:dd-MM-yyyy}).");
        }

        if (nueva == Calificacion.Cancelado && string.IsNullOrWhiteSpace(observacion) && !hayReporteEnElCorte)
        {
            throw new ReglaException(
                Reglas.CanceladoRequiereMotivo,
                "Cancelado requiere un motivo",
                "Para cancelar un compromiso indique el motivo en la observación, o registre antes el reporte de cumplimiento del mismo corte que lo explica.");
        }

        Calificacion = nueva;
        FechaCalificacion = fecha;
        return new RegistroCalificacion(Id, nueva, fecha, observacion, autoria);
    }

    /// <summary>
    /// An administrator's correction of a calificación, final ones included: it is appended to the history with its
    /// reason (nothing is overwritten) and becomes the current calificación. Still never back to Pendiente.
    /// </summary>
    public RegistroCalificacion Corregir(Calificacion nueva, DateOnly fecha, string? observacion, string motivo, Autoria autoria)
    {
        if (nueva == Calificacion.Pendiente)
        {
            throw new ReglaException(
                Reglas.SinRetornoAPendiente,
                "Ninguna calificación vuelve a Pendiente",
                "Pendiente es solo el estado inicial de un compromiso; tampoco una corrección puede volver a él.");
        }

        Calificacion = nueva;
        FechaCalificacion = fecha;
        return new RegistroCalificacion(Id, nueva, fecha, observacion, autoria, motivo);
    }

    public static DateOnly PrimerDiaDelMes(DateOnly d) => new(d.Year, d.Month, 1);
}

/// <summary>One calificación in a compromiso's history, kept forever.</summary>
public sealed class RegistroCalificacion : IHijoDeCompromiso
{
    private RegistroCalificacion() { }

    public RegistroCalificacion(
        int compromisoId, Calificacion calificacion, DateOnly fecha, string? observacion, Autoria autoria, string? motivoCorreccion = null)
    {
        MotivoCorreccion = motivoCorreccion;
        CompromisoId = compromisoId;
        Calificacion = calificacion;
        Fecha = fecha;
        Observacion = observacion;
        RegistradaEn = autoria.En;
        RegistradaPor = autoria.Por;
    }

    public long Id { get; private set; }
    public int CompromisoId { get; private set; }
    public Calificacion Calificacion { get; private set; }

    /// <summary>The cut-off the calificación applies to.</summary>
    public DateOnly Fecha { get; private set; }

    public string? Observacion { get; private set; }
    public DateTimeOffset RegistradaEn { get; private set; }
    public string RegistradaPor { get; private set; } = null!;

    /// <summary>Set only on an administrator's correction: why the history was corrected.</summary>
    public string? MotivoCorreccion { get; private set; }
}

/// <summary>
/// What the servicio registers for a compromiso at a cut-off, signed by who registered it: a reporte de cumplimiento
/// or a medio de verificación.
/// </summary>
public abstract class RegistroDeCorte : IHijoDeCompromiso, IRegistradoEn
{
    protected RegistroDeCorte() { }

    protected RegistroDeCorte(int compromisoId, DateOnly corte, Autoria autoria)
    {
        CompromisoId = compromisoId;
        Corte = corte;
        RegistradoEn = autoria.En;
        RegistradoPor = autoria.Por;
    }

    public long Id { get; private set; }
    public int CompromisoId { get; private set; }
    public DateOnly Corte { get; private set; }
    public DateTimeOffset RegistradoEn { get; private set; }
    public string RegistradoPor { get; private set; } = null!;
}

/// <summary>The servicio's progress text for a compromiso at one cut-off.</summary>
public sealed class ReporteCumplimiento : RegistroDeCorte
{
    private ReporteCumplimiento() { }

    public ReporteCumplimiento(int compromisoId, DateOnly corte, string texto, Autoria autoria) : base(compromisoId, corte, autoria) =>
        Texto = texto;

    public string Texto { get; private set; } = null!;
}

/// <summary>
/// Evidence for a compromiso: a title, and since uploads exist, the file itself (name, media type, size, SHA-256,
/// who uploaded it and when). Legacy records only keep the title, so every file field is null for them.
/// </summary>
public sealed class MedioVerificacion : RegistroDeCorte
{
    private MedioVerificacion() { }

    public MedioVerificacion(int compromisoId, string titulo, DateOnly corte, Autoria autoria) : base(compromisoId, corte, autoria) =>
        Titulo = titulo;

    public MedioVerificacion(int compromisoId, string titulo, DateOnly corte, ArchivoDeEvidencia archivo, Autoria autoria)
        : this(compromisoId, titulo, corte, autoria)
    {
        NombreArchivo = archivo.NombreArchivo;
        Tipo = archivo.Tipo;
        Tamano = archivo.Tamano;
        Sha256 = archivo.Sha256;
        SubidoPor = autoria.Por;
        SubidoEn = autoria.En;
    }

    public string Titulo { get; private set; } = null!;

    /// <summary>The file's name as uploaded (no path).</summary>
    public string? NombreArchivo { get; private set; }

    /// <summary>Media type found from the content (magic bytes), never from the name or the declared type.</summary>
    public string? Tipo { get; private set; }

    /// <summary>Bytes.</summary>
    public long? Tamano { get; private set; }

    /// <summary>Lower-case hex SHA-256 of the content: the key of the stored content and the download's ETag.</summary>
    public string? Sha256 { get; private set; }

    public string? SubidoPor { get; private set; }
    public DateTimeOffset? SubidoEn { get; private set; }
}

/// <summary>A file's identity: what the record keeps of an uploaded file (its content lives in the evidence store).</summary>
public sealed record ArchivoDeEvidencia(string NombreArchivo, string Tipo, long Tamano, string Sha256);

/// <summary>Who registered a piece of the record, and when: calificaciones, reportes and medios carry it.</summary>
public sealed record Autoria(string Por, DateTimeOffset En);

/// <summary>
/// A row of the record that keeps the instant it was registered (its transaction time): a reading as known at an
/// earlier instant does not see it.
/// </summary>
public interface IRegistradoEn
{
    DateTimeOffset RegistradoEn { get; }
}

/// <summary>A row a compromiso accumulates over its follow-up: a calificación, a reporte, a medio de verificación.</summary>
public interface IHijoDeCompromiso
{
    long Id { get; }
    int CompromisoId { get; }
}
