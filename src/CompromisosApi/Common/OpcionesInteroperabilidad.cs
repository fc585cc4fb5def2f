using System.Security.Claims;
using System.Text.RegularExpressions;
using FluentValidation.Results;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Options;

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
