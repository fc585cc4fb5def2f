using System.ComponentModel.DataAnnotations;

namespace CompromisosApi.Features.Trazas;

/// <summary>How a transaction ended: exito (status below 400) or error.</summary>
#pragma warning disable CA1707, IDE1006 // The contract's values, as the norm names the result class.
public enum ResultadoTraza
{
    exito,
    error,
}
#pragma warning restore CA1707, IDE1006

/// <summary>La traza de una transacción: quién llamó, qué operación, cuándo y con qué resultado (nunca el cuerpo).</summary>
public sealed record TrazaDto
{
    /// <example>1042</example>
    public required long Id { get; init; }

    /// <summary>Instante (UTC) en que llegó la solicitud.</summary>
    public required DateTimeOffset OcurridaEn { get; init; }

    /// <summary>Milisegundos hasta la respuesta.</summary>
    /// <example>12</example>
    public required int DuracionMs { get; init; }

    /// <example>GET</example>
    [MaxLength(20)]
    public required string Metodo { get; init; }

    /// <summary>operationId de la operación del contrato (null si la ruta no corresponde a ninguna).</summary>
    /// <example>ObtenerPrograma</example>
    [MaxLength(100)]
    public string? Operacion { get; init; }

    /// <summary>Plantilla de la ruta, sin valores.</summary>
    /// <example>/api/v1/programas/{id}</example>
    [MaxLength(300)]
    public string? Ruta { get; init; }

    /// <summary>Los valores de los parámetros de la ruta, en su orden, separados por /.</summary>
    /// <example>7</example>
    [MaxLength(Interoperabilidad.LargoRecurso)]
    public string? RecursoId { get; init; }

    /// <summary>Código del organismo solicitante (encabezado X-Organismo-Solicitante).</summary>
    /// <example>13.01</example>
    [MaxLength(Interoperabilidad.LargoOrganismo)]
    public string? OrganismoSolicitante { get; init; }

    /// <summary>RUN del funcionario responsable: el del token (claim run) si lo trae; si no, el del encabezado X-Funcionario-Run.</summary>
    /// <example>12345678-5</example>
    [MaxLength(Interoperabilidad.LargoRun)]
    public string? FuncionarioRun { get; init; }

    /// <summary>Código del procedimiento o trámite (encabezado X-Procedimiento).</summary>
    /// <example>SEGUIMIENTO-COMPROMISOS</example>
    [MaxLength(Interoperabilidad.LargoProcedimiento)]
    public string? Procedimiento { get; init; }

    /// <summary>Id de la transacción en la red (el de X-Transaccion-Id, o el generado por el servicio y devuelto en la respuesta).</summary>
    /// <example>0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b</example>
    [MaxLength(Interoperabilidad.LargoTransaccion)]
    public required string TransaccionId { get; init; }

    /// <summary>Trace id W3C de la solicitud (el del traceparent recibido, si vino).</summary>
    /// <example>4bf92f3577b34da6a3ce929d0e0e4736</example>
    [MaxLength(32)]
    public string? TraceId { get; init; }

    /// <summary>Sujeto (sub) del token; null en solicitudes anónimas.</summary>
    /// <example>8f1c0c2e-analista</example>
    [MaxLength(Interoperabilidad.LargoSujeto)]
    public string? Sujeto { get; init; }

    /// <summary>Código de estado HTTP de la respuesta.</summary>
    /// <example>200</example>
    public required int Status { get; init; }

    public required ResultadoTraza Resultado { get; init; }

    /// <summary>type del problem+json de la respuesta, si fue un error.</summary>
    /// <example>urn:compromisos:no-encontrado</example>
    [MaxLength(200)]
    public string? TipoProblema { get; init; }

    /// <summary>Código del organismo proveedor (este servicio; Interoperabilidad:Trazas:CodigoProveedor).</summary>
    /// <example>08.02</example>
    [MaxLength(Interoperabilidad.LargoOrganismo)]
    public required string Proveedor { get; init; }

    internal static TrazaDto Desde(Traza t) => new()
    {
        Id = t.Id,
        OcurridaEn = t.OcurridaEn,
        DuracionMs = t.DuracionMs,
        Metodo = t.Metodo,
        Operacion = t.Operacion,
        Ruta = t.Ruta,
        RecursoId = t.RecursoId,
        OrganismoSolicitante = t.OrganismoSolicitante,
        FuncionarioRun = t.FuncionarioRun,
        Procedimiento = t.Procedimiento,
        TransaccionId = t.TransaccionId,
        TraceId = t.TraceId,
        Sujeto = t.Sujeto,
        Status = t.Status,
        Resultado = t.Resultado == Traza.Exito ? ResultadoTraza.exito : ResultadoTraza.error,
        TipoProblema = t.TipoProblema,
        Proveedor = t.Proveedor,
    };
}
