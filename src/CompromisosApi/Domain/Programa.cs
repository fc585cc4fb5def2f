namespace CompromisosApi.Domain;

public enum EstadoPrograma
{
    EnSeguimiento,
    Egresado,
}

/// <summary>Categoría de desempeño que DIPRES publica de cada programa evaluado (desde 2018); null: no registrada.</summary>
public enum CategoriaDesempeno
{
    BuenDesempeno,
    DesempenoMedio,
    BajoDesempeno,
    MalDesempeno,
    NoAplica,
}

public static class CategoriasDesempeno
{
    /// <summary>The category as DIPRES prints it (the Informe's header, the statistics' group names).</summary>
    public static string Nombre(this CategoriaDesempeno c) => c switch
    {
        CategoriaDesempeno.BuenDesempeno => "Buen Desempeño",
        CategoriaDesempeno.DesempenoMedio => "Desempeño Medio",
        CategoriaDesempeno.BajoDesempeno => "Bajo Desempeño",
        CategoriaDesempeno.MalDesempeno => "Mal Desempeño",
        _ => "No Aplica",
    };
}

/// <summary>The followed unit: one program (or institution) evaluated in one year.</summary>
public sealed class Programa : IRegistradoEn
{
    /// <summary>The member of the 409 of a refused egreso that lists the compromisos still open (id, numero, calificacion).</summary>
    public const string MiembroCompromisosAbiertos = "compromisosAbiertos";

    private Programa() { }

    public Programa(
        string nombre, int servicioId, int anioEvaluacion, string lineaEvaluacion, DateTimeOffset registradoEn, CategoriaDesempeno? categoriaDesempeno = null,
        string? codigoPresupuestario = null)
    {
        CodigoPresupuestario = codigoPresupuestario;
        CategoriaDesempeno = categoriaDesempeno;
        Nombre = nombre;
        RegistradoEn = registradoEn;
        ServicioId = servicioId;
        AnioEvaluacion = anioEvaluacion;
        LineaEvaluacion = lineaEvaluacion;
        Estado = EstadoPrograma.EnSeguimiento;
    }

    public int Id { get; private set; }
    public string Nombre { get; private set; } = null!;
    public int ServicioId { get; private set; }
    public int AnioEvaluacion { get; private set; }
    public string LineaEvaluacion { get; private set; } = null!;
    public EstadoPrograma Estado { get; private set; }

    /// <summary>DIPRES's performance category; null when not recorded (legacy records, the seed).</summary>
    public CategoriaDesempeno? CategoriaDesempeno { get; private set; }
    public DateOnly? FechaEgreso { get; private set; }

    /// <summary>
    /// Its partida.capítulo.programa in the Ley de Presupuestos ("13.03.01"), beginning with its servicio's code when that
    /// has one; null when it has none of its own (an evaluated program is not always a budget programa of its own).
    /// </summary>
    public string? CodigoPresupuestario { get; private set; }

    /// <summary>When it entered the record: a reading as known at an earlier instant does not see it.</summary>
    public DateTimeOffset RegistradoEn { get; private set; }

    public uint Version { get; private set; }

    /// <summary>
    /// Egresado at a cut-off (null: today): it has an egreso, dated on or before it. <paramref name="fechaEgreso"/> is the
    /// egreso's date as the record knows it (<see cref="FechaEgreso"/>; as known at an earlier instant, that of the egreso
    /// or reapertura registered last by then, <see cref="RegistroEgreso"/>): a reapertura undoes the egreso for every
    /// cut-off (the record is being corrected), and a new egreso is dated again. SQL: egresado_al_corte.
    /// </summary>
    public static bool EgresadoAl(DateOnly? fechaEgreso, DateOnly? alCorte) =>
        fechaEgreso is { } f && (alCorte is not { } d || f <= d);

    public bool EgresadoAl(DateOnly alCorte) => EgresadoAl(FechaEgreso, alCorte);

    /// <summary>After egreso the record is closed: every write under the programa is refused.</summary>
    public void AsegurarEnSeguimiento()
    {
        if (Estado == EstadoPrograma.Egresado)
        {
            throw new ReglaException(
                Reglas.ProgramaEgresado,
                "El programa egresó: el registro está cerrado",
                $"El programa {Id} egresó el {FechaEgreso:dd-MM-yyyy}; su registro y sus compromisos son de solo lectura.");
        }
    }

    /// <summary>
    /// An administrator's correction of a closed record: the programa returns to follow-up so its record can be
    /// corrected, and egresses again afterwards. The reason travels with the request into the audit trail.
    /// </summary>
    public RegistroEgreso Reabrir(string motivo, Autoria autoria)
    {
        if (Estado != EstadoPrograma.Egresado)
        {
            throw new ReglaException(Reglas.ProgramaNoEgresado, "El programa no está egresado", $"El programa {Id} sigue en seguimiento: no hay egreso que reabrir.");
        }

        Estado = EstadoPrograma.EnSeguimiento;
        FechaEgreso = null;
        return new RegistroEgreso(Id, null, motivo, autoria);
    }

    public void Actualizar(string nombre, int servicioId, int anioEvaluacion, string lineaEvaluacion, CategoriaDesempeno? categoriaDesempeno, string? codigoPresupuestario)
    {
        AsegurarEnSeguimiento();
        CodigoPresupuestario = codigoPresupuestario;
        CategoriaDesempeno = categoriaDesempeno;
        Nombre = nombre;
        ServicioId = servicioId;
        AnioEvaluacion = anioEvaluacion;
        LineaEvaluacion = lineaEvaluacion;
    }

    /// <summary>
    /// A programa egresses only when every compromiso is Cumplido or Cancelado. The date defaults to the
    /// latest calificación of the programa (the seed: last Cancelado 31-12-2011, Fecha Egreso 31-12-2011).
    /// </summary>
    public RegistroEgreso Egresar(IReadOnlyCollection<Compromiso> compromisos, DateOnly? fecha, Autoria autoria)
    {
        AsegurarEnSeguimiento();
        if (compromisos.Count == 0)
        {
            throw new ReglaException(
                Reglas.ProgramaSinCompromisos,
                "El programa no tiene compromisos",
                "Un programa sin compromisos no puede egresar: no hay cumplimiento que acreditar.");
        }

        var abiertos = compromisos.Where(c => !c.Calificacion.EsFinal()).OrderBy(c => c.Id).ToList();
        if (abiertos.Count > 0)
        {
            var ex = new ReglaException(
                Reglas.CompromisosAbiertos,
                "El programa tiene compromisos abiertos",
                $"Solo egresa un programa cuyos compromisos están todos Cumplidos o Cancelados; {abiertos.Count} siguen abiertos.");
            ex.Extensiones[MiembroCompromisosAbiertos] = abiertos
                .Select(c => new { id = c.Id, numero = c.Numero, calificacion = c.Calificacion.ToString() })
                .ToList();
            throw ex;
        }

        // Every compromiso is final, so each one has a fecha de calificación.
        var ultima = compromisos.Max(c => c.FechaCalificacion!.Value);
        if (fecha is { } f && f < ultima)
        {
            throw new ReglaException(
                Reglas.FechaEgresoAnterior,
                "La fecha de egreso es anterior a la última calificación",
                $"La fecha de egreso {f:dd-MM-yyyy} es anterior a la última calificación del programa ({ultima:dd-MM-yyyy}).");
        }

        Estado = EstadoPrograma.Egresado;
        FechaEgreso = fecha ?? ultima;
        return new RegistroEgreso(Id, FechaEgreso, null, autoria);
    }
}

public sealed class Recomendacion
{
    private Recomendacion() { }

    public Recomendacion(int programaId, int numero, string texto, DateTimeOffset registradaEn)
    {
        ProgramaId = programaId;
        RegistradaEn = registradaEn;
        Numero = numero;
        Texto = texto;
    }

    public int Id { get; private set; }
    public int ProgramaId { get; private set; }

    /// <summary>1..n in order of creation within the programa; never reused.</summary>
    public int Numero { get; private set; }

    public string Texto { get; private set; } = null!;

    /// <summary>When it entered the record: a reading as known at an earlier instant does not see it.</summary>
    public DateTimeOffset RegistradaEn { get; private set; }

    public uint Version { get; private set; }

    public void Actualizar(string texto) => Texto = texto;
}

/// <summary>
/// A programa's egreso or reapertura, kept forever in registration order: the estado as known at any instant is the
/// one the last of them registered by then left (none: in follow-up).
/// </summary>
public sealed class RegistroEgreso
{
    private RegistroEgreso() { }

    public RegistroEgreso(int programaId, DateOnly? fechaEgreso, string? motivoReapertura, Autoria autoria)
    {
        ProgramaId = programaId;
        FechaEgreso = fechaEgreso;
        MotivoReapertura = motivoReapertura;
        RegistradoEn = autoria.En;
        RegistradoPor = autoria.Por;
    }

    public long Id { get; private set; }
    public int ProgramaId { get; private set; }

    /// <summary>The egreso's date; null on a reapertura.</summary>
    public DateOnly? FechaEgreso { get; private set; }

    public string? MotivoReapertura { get; private set; }
    public DateTimeOffset RegistradoEn { get; private set; }
    public string RegistradoPor { get; private set; } = null!;
}
