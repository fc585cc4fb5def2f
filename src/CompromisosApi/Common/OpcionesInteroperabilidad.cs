using System.Security.Claims;
using FluentValidation.Results;

namespace CompromisosApi.Common;

/// <summary>
/// Configuration section Interoperabilidad: the Red de Interoperabilidad del Estado's headers (who is calling) and the
/// trace of every transaction (Decreto 12 de 2023, Art. 9).
/// </summary>
public sealed class OpcionesInteroperabilidad
{
    public const string Seccion = "Interoperabilidad";

    public OpcionesEncabezados Encabezados { get; set; } = new();

    /// <summary>The token claim that carries the official's RUN (ClaveÚnica's OpenID Connect identity); it wins over the header.</summary>
    public string ClaimRun { get; set; } = "run";

    public OpcionesTrazas Trazas { get; set; } = new();

    public OpcionesCatalogo Catalogo { get; set; } = new();
}

/// <summary>
/// What the network's service catalog asks of this service (D12 Arts. 8 and 10), declared by whoever operates it and
/// published in the contract's info (contact and x-catalogo), from which api-spec/catalogo-servicio.json is generated.
/// </summary>
public sealed class OpcionesCatalogo
{
    /// <summary>The code the catalog knows the service by; the provider's code is <see cref="OpcionesTrazas.CodigoProveedor"/>.</summary>
    public string Codigo { get; set; } = "DIPRES-COMPROMISOS-V1";

    public string Nombre { get; set; } = "Registro de compromisos institucionales de programas evaluados";

    public string Descripcion { get; set; } =
        "Registro oficial de las recomendaciones de las evaluaciones de programas públicos de DIPRES, de los compromisos " +
        "institucionales acordados con cada servicio, de sus reportes de avance, medios de verificación y calificaciones " +
        "en cada corte, y del egreso de cada programa (Informe de Egreso).";

    /// <summary>The official who answers for the service: a position and unit (the person changes; the position stays).</summary>
    public string Responsable { get; set; } = "Jefatura de la División de Control de Gestión Pública, Dirección de Presupuestos";

    public string? CorreoResponsable { get; set; }

    public string Disponibilidad { get; set; } = "99,5 % mensual, excluidas las ventanas de mantención avisadas con 5 días hábiles";

    public string Horario { get; set; } = "24 horas, todos los días; soporte en días hábiles de 9:00 a 18:00 (hora de Chile continental)";

    public string TiempoDeRespuesta { get; set; } =
        "p99 ≤ 100 ms en lecturas y ≤ 500 ms en escrituras, hasta las transacciones por segundo declaradas";
}

/// <summary>The names of the headers the network's node passes on (these are the defaults).</summary>
public sealed class OpcionesEncabezados
{
    public string OrganismoSolicitante { get; set; } = "X-Organismo-Solicitante";
    public string FuncionarioRun { get; set; } = "X-Funcionario-Run";
    public string Procedimiento { get; set; } = "X-Procedimiento";
    public string TransaccionId { get; set; } = "X-Transaccion-Id";

    public IEnumerable<string> Todos() => [OrganismoSolicitante, FuncionarioRun, Procedimiento, TransaccionId];
}

public sealed class OpcionesTrazas
{
    /// <summary>Off only to measure what the trace costs (bench): the headers are still validated and echoed.</summary>
    public bool Habilitada { get; set; } = true;

    /// <summary>
    /// This provider's code in every trace: DIPRES as the Ley de Presupuestos identifies it (partida 08, Ministerio de
    /// Hacienda; capítulo 02, Dirección de Presupuestos).
    /// </summary>
    public string CodigoProveedor { get; set; } = "08.02";

    /// <summary>Traces held in memory waiting to be written; beyond it a trace is dropped and counted (never the request).</summary>
    public int Capacidad { get; set; } = 50_000;

    /// <summary>At most this many traces per COPY.</summary>
    public int Lote { get; set; } = 2_000;

    /// <summary>After a batch smaller than <see cref="Lote"/>, the writer waits this long for more.</summary>
    public TimeSpan Intervalo { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Whole months kept; older monthly partitions are dropped. Never under 12 (refused at start).</summary>
    public int MesesDeRetencion { get; set; } = 24;

    /// <summary>Monthly partitions created ahead of the current month.</summary>
    public int MesesAdelantados { get; set; } = 2;

    public const int RetencionMinima = 12;
}

/// <summary>
/// What the network said about a request (each value only when it was valid), its transaction id (the caller's, or
/// one generated here) and what the trace needs from the pipeline: the problem type of an error answer.
/// </summary>
public sealed class SolicitudInteroperable
{
    public required string TransaccionId { get; init; }
    public string? OrganismoSolicitante { get; init; }
    public string? FuncionarioRun { get; init; }
    public string? Procedimiento { get; init; }

    /// <summary>Headers present but not valid: the request is answered 400 naming them (<see cref="Interoperabilidad.UseEncabezadosDeInteroperabilidad"/>).</summary>
    public List<ValidationFailure>? Errores { get; init; }

    /// <summary>The RFC 9457 type of the problem+json answered, if any (set where every problem is completed).</summary>
    public string? TipoProblema { get; set; }
}

/// <summary>The trace of one request as the pipeline saw it, handed to the writer (never the body, never the query).</summary>
public sealed record RegistroDeTraza(
    DateTimeOffset OcurridaEn,
    int DuracionMs,
    string Metodo,
    string? Operacion,
    string? Ruta,
    string? RecursoId,
    string? OrganismoSolicitante,
    string? FuncionarioRun,
    string? Procedimiento,
    string TransaccionId,
    string? TraceId,
    string? Sujeto,
    int Status,
    string? TipoProblema);

/// <summary>Where the pipeline hands each request's trace (Persistence: buffered and written in batches).</summary>
public interface IRegistroDeTrazas
{
    void Registrar(RegistroDeTraza traza);
}
