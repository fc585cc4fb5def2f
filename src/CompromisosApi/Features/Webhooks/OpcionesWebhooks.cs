namespace CompromisosApi.Features.Webhooks;

public sealed class OpcionesWebhooks
{
    /// <summary>Whether this instance runs the relay that delivers webhooks (several instances may).</summary>
    public bool Habilitado { get; set; } = true;

    /// <summary>Pause between the relay's passes when it found nothing to deliver.</summary>
    public TimeSpan Intervalo { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>First wait after a failed delivery; it doubles on each failure (with jitter) up to EsperaMaxima.</summary>
    public TimeSpan EsperaInicial { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan EsperaMaxima { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Time the receiver has to answer one delivery.</summary>
    public TimeSpan TiempoMaximo { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Deliveries in flight at once per instance (each to a different subscription and programa).</summary>
    public int EntregasEnParalelo { get; set; } = 4;

    /// <summary>A subscription is suspended after this many failed deliveries in a row …</summary>
    public int FallasParaSuspender { get; set; } = 20;

    /// <summary>… or when it has been failing for this long.</summary>
    public TimeSpan SuspenderTras { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Hosts, addresses or networks (CIDR) that may receive webhooks although they are not public.</summary>
    public List<string> PermitirDestinos { get; set; } = [];
}
