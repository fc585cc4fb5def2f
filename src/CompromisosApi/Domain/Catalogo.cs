namespace CompromisosApi.Domain;

public sealed class Ministerio
{
    private Ministerio() { }

    public Ministerio(string nombre, string? codigo = null)
    {
        Nombre = nombre;
        Codigo = codigo;
    }

    public int Id { get; private set; }
    public string Nombre { get; private set; } = null!;

    /// <summary>Its partida in the Ley de Presupuestos ("13"); null when not recorded (<see cref="CodigosPresupuestarios"/>).</summary>
    public string? Codigo { get; private set; }

    public uint Version { get; private set; }

    /// <summary>Its servicios' codes must still begin with its own (409 otherwise): they are not rewritten.</summary>
    public void Actualizar(string nombre, string? codigo, IEnumerable<string?> codigosDeServicios)
    {
        if (codigo != Codigo) CodigosPresupuestarios.AsegurarHijos(codigo, codigosDeServicios, "El ministerio", Id, "servicios");
        Nombre = nombre;
        Codigo = codigo;
    }
}

public sealed class Servicio
{
    private Servicio() { }

    public Servicio(string nombre, string? sigla, int ministerioId, string? codigo = null)
    {
        Nombre = nombre;
        Sigla = sigla;
        MinisterioId = ministerioId;
        Codigo = codigo;
    }

    public int Id { get; private set; }
    public string Nombre { get; private set; } = null!;
    public string? Sigla { get; private set; }
    public int MinisterioId { get; private set; }

    /// <summary>
    /// Its partida.capítulo ("13.03"), beginning with its ministerio's code when that has one; null when not recorded
    /// (<see cref="CodigosPresupuestarios"/>).
    /// </summary>
    public string? Codigo { get; private set; }

    public uint Version { get; private set; }

    /// <summary>Its programas' codes must still begin with its own (409 otherwise): they are not rewritten.</summary>
    public void Actualizar(string nombre, string? sigla, int ministerioId, string? codigo, IEnumerable<string?> codigosDeProgramas)
    {
        if (codigo != Codigo) CodigosPresupuestarios.AsegurarHijos(codigo, codigosDeProgramas, "El servicio", Id, "programas");
        Nombre = nombre;
        Sigla = sigla;
        MinisterioId = ministerioId;
        Codigo = codigo;
    }
}

/// <summary>
/// <see cref="LineaEvaluacion"/> and <see cref="TipoCompromiso"/> are the same kind of catalog (rows keyed by a code, with a
/// name), so the row and its mapping (Persistence: ComoCatalogo) are written once.
/// </summary>
public abstract class FilaDeCatalogo
{
    protected FilaDeCatalogo() { }

    protected FilaDeCatalogo(string codigo, string nombre)
    {
        Codigo = codigo;
        Nombre = nombre;
    }

    public string Codigo { get; private set; } = null!;
    public string Nombre { get; private set; } = null!;
}

/// <summary>A catalog row, not an enum: DIPRES adds evaluation lines over the years.</summary>
public sealed class LineaEvaluacion : FilaDeCatalogo
{
    private LineaEvaluacion() { }

    public LineaEvaluacion(string codigo, string nombre) : base(codigo, nombre) { }
}

/// <summary>A type of compromiso as DIPRES classifies them (sistemas de información, monitoreo y evaluación …): rows, not code.</summary>
public sealed class TipoCompromiso : FilaDeCatalogo
{
    private TipoCompromiso() { }

    public TipoCompromiso(string codigo, string nombre) : base(codigo, nombre) { }

    /// <summary>
    /// The catalog (the rows the migration seeds; no operation writes it): DIPRES's classification of commitments in its
    /// public statements. Read here by the filters, which may not query the database for it on every list.
    /// </summary>
    public static IReadOnlyList<TipoCompromiso> Catalogo { get; } =
    [
        new("SistemasDeInformacion", "Sistemas de información"),
        new("MonitoreoYEvaluacion", "Monitoreo y evaluación"),
        new("RedisenoSustantivo", "Rediseño sustantivo"),
        new("AjustesDeDiseno", "Ajustes de diseño"),
        new("Coordinacion", "Coordinación"),
        new("GestionInterna", "Gestión interna"),
    ];

    public static bool Existe(string codigo) => Catalogo.Any(t => t.Codigo == codigo);
}
