namespace CompromisosApi.Domain;

/// <summary>
/// A rule of the record was broken. <see cref="Regla"/> is a stable code that clients can switch on;
/// it becomes the problem's type (urn:compromisos:regla:&lt;regla&gt;) and the answer is 409.
/// </summary>
public class ReglaException(string regla, string titulo, string detalle) : Exception(detalle)
{
    public string Regla { get; } = regla;
    public string Titulo { get; } = titulo;
    public IDictionary<string, object?> Extensiones { get; } = new Dictionary<string, object?>();
}

public static class Reglas
{
    public const string ProgramaEgresado = "programa-egresado";
    public const string ProgramaNoEgresado = "programa-no-egresado";
    public const string CalificacionFinal = "calificacion-final";
    public const string SinRetornoAPendiente = "sin-retorno-a-pendiente";
    public const string FechaAnterior = "fecha-calificacion-anterior";
    public const string CanceladoRequiereMotivo = "cancelado-requiere-motivo";
    public const string CompromisosAbiertos = "egreso-con-compromisos-abiertos";
    public const string ProgramaSinCompromisos = "egreso-sin-compromisos";
    public const string FechaEgresoAnterior = "fecha-egreso-anterior";
    public const string Duplicado = "registro-duplicado";
    public const string EscrituraConcurrente = "escritura-concurrente";
    public const string CodigoConDependientes = "codigo-con-dependientes";
}
