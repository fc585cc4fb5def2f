namespace CompromisosApi.Persistence;

/// <summary>
/// A row of the service's own machinery (outbox, deliveries, idempotency keys), not of the record: the unit of work
/// does not list it among the record's changes, so it gets no audit entry and no event.
/// </summary>
public interface IFilaTecnica;

/// <summary>
/// One change to the record, written in the same transaction as the change (transactional outbox). Served in order of
/// <see cref="Posicion"/> as a CloudEvent by GET /eventos and delivered to the webhook subscriptions.
/// </summary>
public sealed class EventoSaliente : IFilaTecnica
{
    private EventoSaliente() { }

    public EventoSaliente(long posicion, Guid id, string tipo, string sujeto, int? programaId, DateTimeOffset ocurridoEn, string datos, string? traceparent)
    {
        Posicion = posicion;
        Id = id;
        Tipo = tipo;
        Sujeto = sujeto;
        ProgramaId = programaId;
        OcurridoEn = ocurridoEn;
        Datos = datos;
        Traceparent = traceparent;
    }

    /// <summary>
    /// Commit order: 1, 2, 3 … with no gaps, assigned from a counter row that each writing transaction updates just
    /// before it commits and holds locked until then (see <c>Bandeja</c>).
    /// </summary>
    public long Posicion { get; private set; }

    /// <summary>The CloudEvents id and the webhook-id: stable across retries, for de-duplication.</summary>
    public Guid Id { get; private set; }

    /// <summary>programa.creado, compromiso.calificado, … (<c>TiposDeEvento</c>).</summary>
    public string Tipo { get; private set; } = null!;

    /// <summary>The resource's path under /api/v1, e.g. compromisos/12/calificaciones/40.</summary>
    public string Sujeto { get; private set; } = null!;

    /// <summary>The programa the change belongs to: webhooks keep the order of each programa's events.</summary>
    public int? ProgramaId { get; private set; }

    public DateTimeOffset OcurridoEn { get; private set; }

    /// <summary>JSON: the entity's stored values after the change.</summary>
    public string Datos { get; private set; } = null!;

    /// <summary>W3C traceparent of the request (or scheduled pass) that caused it: its deliveries continue that trace.</summary>
    public string? Traceparent { get; private set; }
}

/// <summary>A compromiso whose compromiso.vencido event was emitted: once per compromiso, whatever the instances.</summary>
public sealed class VencimientoNotificado : IFilaTecnica
{
    private VencimientoNotificado() { }

    public int CompromisoId { get; private set; }
    public DateTimeOffset NotificadoEn { get; private set; }
}

/// <summary>A corte.recordatorio emitted to a servicio for a corte: once per (servicio, corte), whatever the instances.</summary>
public sealed class RecordatorioEnviado : IFilaTecnica
{
    private RecordatorioEnviado() { }

    public int ServicioId { get; private set; }
    public DateOnly Corte { get; private set; }
    public DateTimeOffset EnviadoEn { get; private set; }
}

/// <summary>
/// A programa whose programa.egreso-propuesto event was emitted and that is still egreso-ready. The row is removed when
/// the programa stops being ready (a compromiso reopened or added, the programa egresado or reabierto), so a programa
/// that becomes ready again is told again, once.
/// </summary>
public sealed class EgresoPropuestoNotificado : IFilaTecnica
{
    private EgresoPropuestoNotificado() { }

    public int ProgramaId { get; private set; }
    public DateOnly Fecha { get; private set; }
    public DateTimeOffset NotificadoEn { get; private set; }
}

/// <summary>
/// A stored answer to a POST sent with an Idempotency-Key: replayed to the same caller for the same request while it
/// is kept (Idempotencia:Retencion).
/// </summary>
public sealed class ClaveIdempotencia : IFilaTecnica
{
    private ClaveIdempotencia() { }

    public string Sujeto { get; private set; } = null!;
    public string Clave { get; private set; } = null!;

    /// <summary>SHA-256 (hex) of method, path and body: the same key with another request is refused (422).</summary>
    public string Huella { get; private set; } = null!;

    public int Estado { get; private set; }

    /// <summary>JSON object with the answer's Location, ETag and Content-Type.</summary>
    public string Encabezados { get; private set; } = null!;

    public byte[] Cuerpo { get; private set; } = [];
    public DateTimeOffset CreadaEn { get; private set; }
    public DateTimeOffset ExpiraEn { get; private set; }
}

public enum EstadoSuscripcion
{
    Activa,
    Suspendida,
    Eliminada,
}

/// <summary>A webhook subscription: the events of the given types are POSTed, signed, to its URL.</summary>
public sealed class Suscripcion
{
    private Suscripcion() { }

    public Suscripcion(string url, string[] tipos, string secreto, long posicionInicial, Autoria autoria)
    {
        Url = url;
        Tipos = tipos;
        Secreto = secreto;
        PosicionDespachada = posicionInicial;
        Estado = EstadoSuscripcion.Activa;
        CreadaEn = autoria.En;
        CreadaPor = autoria.Por;
    }

    public int Id { get; private set; }
    public string Url { get; private set; } = null!;
    public string[] Tipos { get; private set; } = [];

    /// <summary>Standard Webhooks secret (whsec_…): shown once, at creation; never in the audit trail.</summary>
    public string Secreto { get; private set; } = null!;

    public EstadoSuscripcion Estado { get; private set; }
    public DateTimeOffset CreadaEn { get; private set; }
    public string CreadaPor { get; private set; } = null!;

    /// <summary>Events up to this position have been turned into deliveries for this subscription.</summary>
    public long PosicionDespachada { get; private set; }

    public int FallasConsecutivas { get; private set; }
    public DateTimeOffset? FallandoDesde { get; private set; }
    public string? UltimoError { get; private set; }
    public DateTimeOffset? UltimaEntregaEn { get; private set; }
    public DateTimeOffset? SuspendidaEn { get; private set; }
    public DateTimeOffset? EliminadaEn { get; private set; }
    public uint Version { get; private set; }

    public void Eliminar(DateTimeOffset en)
    {
        Estado = EstadoSuscripcion.Eliminada;
        EliminadaEn = en;
    }

    /// <summary>A suspended subscription resumes where it stopped: nothing committed meanwhile is lost.</summary>
    public void Reactivar()
    {
        if (Estado != EstadoSuscripcion.Suspendida)
        {
            throw new ReglaException("suscripcion-no-suspendida", "La suscripción no está suspendida",
                $"La suscripción {Id} está {Estado}: solo se reactiva una suscripción suspendida.");
        }

        Estado = EstadoSuscripcion.Activa;
        FallasConsecutivas = 0;
        FallandoDesde = null;
        SuspendidaEn = null;
    }
}

public enum EstadoEntrega
{
    Pendiente,
    Entregada,
}

/// <summary>One event to deliver to one subscription, retried until the receiver answers 2xx.</summary>
public sealed class Entrega : IFilaTecnica
{
    private Entrega() { }

    public long Id { get; private set; }
    public int SuscripcionId { get; private set; }
    public long EventoPosicion { get; private set; }
    public int? ProgramaId { get; private set; }
    public EstadoEntrega Estado { get; private set; }
    public int Intentos { get; private set; }
    public DateTimeOffset ProximoIntentoEn { get; private set; }
    public DateTimeOffset? PrimerFalloEn { get; private set; }
    public int? UltimoStatus { get; private set; }
    public string? UltimoError { get; private set; }
    public DateTimeOffset? EntregadaEn { get; private set; }

    public void Entregada(DateTimeOffset en, int status)
    {
        Intentos++;
        Estado = EstadoEntrega.Entregada;
        EntregadaEn = en;
        UltimoStatus = status;
        UltimoError = null;
    }

    public void Fallo(DateTimeOffset en, int? status, string error, TimeSpan espera)
    {
        Intentos++;
        PrimerFalloEn ??= en;
        UltimoStatus = status;
        UltimoError = error.Length > 1000 ? error[..1000] : error;
        ProximoIntentoEn = en + espera;
    }
}
