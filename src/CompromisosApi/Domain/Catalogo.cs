namespace CompromisosApi.Domain;

public sealed class Ministerio
{
    private Ministerio() { }

    public Ministerio(string nombre) => Nombre = nombre;

    public int Id { get; private set; }
    public string Nombre { get; private set; } = null!;
    public uint Version { get; private set; }

    public void Actualizar(string nombre) => Nombre = nombre;
}

public sealed class Servicio
{
    private Servicio() { }

    public Servicio(string nombre, string? sigla, int ministerioId)
    {
        Nombre = nombre;
        Sigla = sigla;
        MinisterioId = ministerioId;
    }

    public int Id { get; private set; }
    public string Nombre { get; private set; } = null!;
    public string? Sigla { get; private set; }
    public int MinisterioId { get; private set; }
    public uint Version { get; private set; }

    public void Actualizar(string nombre, string? sigla, int ministerioId)
    {
        Nombre = nombre;
        Sigla = sigla;
        MinisterioId = ministerioId;
    }
}

/// <summary>A catalog row, not an enum: DIPRES adds evaluation lines over the years.</summary>
public sealed class LineaEvaluacion
{
    private LineaEvaluacion() { }

    public LineaEvaluacion(string codigo, string nombre)
    {
        Codigo = codigo;
        Nombre = nombre;
    }

    public string Codigo { get; private set; } = null!;
    public string Nombre { get; private set; } = null!;
}

/// <summary>A type of compromiso as DIPRES classifies them (sistemas de información, monitoreo y evaluación …): rows, not code.</summary>
public sealed class TipoCompromiso
{
    private TipoCompromiso() { }

    public TipoCompromiso(string codigo, string nombre)
    {
        Codigo = codigo;
        Nombre = nombre;
    }

    public string Codigo { get; private set; } = null!;
    public string Nombre { get; private set; } = null!;
}
