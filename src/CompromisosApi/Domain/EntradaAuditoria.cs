namespace CompromisosApi.Domain;

/// <summary>
/// One successful write, appended in the same transaction as the write itself: who, when, what, and the principal
/// entity before and after. PostgreSQL refuses to update or delete these rows (a trigger), whoever asks.
/// </summary>
public sealed class EntradaAuditoria
{
    private EntradaAuditoria() { }

    public EntradaAuditoria(
        DateTimeOffset ocurridaEn, string actorSujeto, string? actorNombre, string[] actorRoles, int? actorServicioId,
        string operacion, string entidad, string entidadId, string? antes, string despues, string? otrosCambios,
        string? requestId, string? traceId, string? direccionCliente, string? motivo)
    {
        Motivo = motivo;
        OcurridaEn = ocurridaEn;
        ActorSujeto = actorSujeto;
        ActorNombre = actorNombre;
        ActorRoles = actorRoles;
        ActorServicioId = actorServicioId;
        Operacion = operacion;
        Entidad = entidad;
        EntidadId = entidadId;
        Antes = antes;
        Despues = despues;
        OtrosCambios = otrosCambios;
        RequestId = requestId;
        TraceId = traceId;
        DireccionCliente = direccionCliente;
    }

    public long Id { get; private set; }
    public DateTimeOffset OcurridaEn { get; private set; }
    public string ActorSujeto { get; private set; } = null!;
    public string? ActorNombre { get; private set; }
    public string[] ActorRoles { get; private set; } = [];
    public int? ActorServicioId { get; private set; }

    /// <summary>The use case, e.g. CalificarCompromiso.</summary>
    public string Operacion { get; private set; } = null!;

    public string Entidad { get; private set; } = null!;
    public string EntidadId { get; private set; } = null!;

    /// <summary>JSON of the principal entity's stored values before the write; null when it was created.</summary>
    public string? Antes { get; private set; }

    public string Despues { get; private set; } = null!;

    /// <summary>JSON list of the other rows the same write created or changed (e.g. the calificación record).</summary>
    public string? OtrosCambios { get; private set; }

    /// <summary>The reason an administrator stated for a correction.</summary>
    public string? Motivo { get; private set; }

    public string? RequestId { get; private set; }

    /// <summary>W3C trace id of the request (the caller's, when it sent a traceparent).</summary>
    public string? TraceId { get; private set; }

    public string? DireccionCliente { get; private set; }
}
