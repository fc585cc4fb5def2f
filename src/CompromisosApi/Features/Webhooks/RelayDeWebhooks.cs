using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using CompromisosApi.Features.Eventos;
using StandardWebhooks;

namespace CompromisosApi.Features.Webhooks;

/// <summary>
/// Delivers the outbox to the webhook subscriptions. All its state is in PostgreSQL, so any number of instances can
/// run it on one database, and a restart loses nothing.
/// <para>
/// <b>Dispatch.</b> Under an advisory lock (one instance at a time), each active subscription's events past its
/// <c>posicion_despachada</c> become <c>entregas</c> rows, unique per (subscription, event), and the position moves on
/// in the same transaction. Positions are dense and committed in order (<see cref="Bandeja"/>), so nothing is skipped.
/// </para>
/// <para>
/// <b>Delivery.</b> A worker takes, with <c>FOR UPDATE SKIP LOCKED</c>, the oldest due delivery that is the head of its
/// (subscription, programa) queue — no older pending delivery of the same programa exists — and keeps it locked while it
/// POSTs it, then records the outcome and commits. Another worker or instance skips the locked row and can't take the
/// next one of that programa (the head is still pending), so each event is sent by one worker at a time and the
/// events of a programa go in order; a failing delivery holds back the later ones of its programa only. The HTTP call
/// runs inside the transaction on purpose: if the instance dies, PostgreSQL drops the lock with the connection and
/// another takes the delivery (at least once; webhook-id is the event id, for the receiver to de-duplicate).
/// </para>
/// </summary>
public sealed class RelayDeWebhooks : IDisposable
{
    private const int LoteDespacho = 1000;
    private const int EntregasPorTrabajador = 100;

    private readonly IServiceScopeFactory _scopes;
    private readonly IOptionsMonitor<OpcionesWebhooks> _opciones;
    private readonly IOptionsMonitor<OpcionesEventos> _eventos;
    private readonly TimeProvider _reloj;
    private readonly ILogger<RelayDeWebhooks> _log;
    private readonly HttpClient _http;
    private readonly Metricas _metricas;

    public RelayDeWebhooks(
        IServiceScopeFactory scopes, PoliticaDeDestinos politica, IOptionsMonitor<OpcionesWebhooks> opciones, IOptionsMonitor<OpcionesEventos> eventos,
        TimeProvider reloj, Metricas metricas, ILogger<RelayDeWebhooks> log)
    {
        _metricas = metricas;
        _scopes = scopes;
        _opciones = opciones;
        _eventos = eventos;
        _reloj = reloj;
        _log = log;
        var handler = new SocketsHttpHandler
        {
            // No proxy and no redirects: the connection goes to the address checked here, and nowhere else.
            UseProxy = false,
            AllowAutoRedirect = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectCallback = async (contexto, ct) =>
            {
                var direcciones = await politica.DireccionesPermitidasAsync(contexto.DnsEndPoint.Host.Trim('[', ']'), ct);
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(direcciones, contexto.DnsEndPoint.Port, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("CompromisosApi-Webhooks/1.0");
    }

    public void Dispose() => _http.Dispose();

    /// <summary>One pass: dispatch, then deliver what is due. Returns the number of delivery attempts made.</summary>
    public async Task<int> PasadaAsync(CancellationToken ct)
    {
        await DespacharAsync(ct);
        var trabajadores = Enumerable.Range(0, Math.Max(1, _opciones.CurrentValue.EntregasEnParalelo)).Select(_ => TrabajarAsync(ct));
        var intentos = (await Task.WhenAll(trabajadores)).Sum();
        await MedirRetrasoAsync(ct);
        return intentos;
    }

    /// <summary>
    /// The outbox lag an operator alerts on: the age of the oldest event some active subscription still waits for,
    /// pending delivery or not yet dispatched (0 when none). One small query per pass, on the indexes the relay uses.
    /// </summary>
    private async Task MedirRetrasoAsync(CancellationToken ct)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CompromisosDbContext>();
        var ahora = _reloj.GetUtcNow();
        var masAntiguo = (await db.Database.SqlQuery<DateTimeOffset?>($"""
            SELECT least(
                (SELECT min(e.ocurrido_en) FROM entregas en
                   JOIN suscripciones s ON s.id = en.suscripcion_id AND s.estado = 'Activa'
                   JOIN eventos e ON e.posicion = en.evento_posicion
                 WHERE en.estado = 'Pendiente'),
                (SELECT min(p.ocurrido_en) FROM suscripciones s
                   CROSS JOIN LATERAL (SELECT e.ocurrido_en FROM eventos e
                                       WHERE e.posicion > s.posicion_despachada AND e.tipo = ANY (s.tipos)
                                       ORDER BY e.posicion LIMIT 1) p
                 WHERE s.estado = 'Activa')) AS "Value"
            """).ToListAsync(ct)).Single();
        _metricas.RetrasoBandeja(masAntiguo is { } t ? ahora - t : TimeSpan.Zero);
    }

    private async Task<int> TrabajarAsync(CancellationToken ct)
    {
        // A delivery once taken is finished, even when the instance is stopping: cut mid-way, the receiver may have had
        // it while its row stays pending, and another instance would send it again. Stopping only takes no new one;
        // the receiver's own time limit (TiempoMaximo) bounds the wait, within the host's grace period.
        var n = 0;
        while (n < EntregasPorTrabajador && !ct.IsCancellationRequested && await EntregarSiguienteAsync(CancellationToken.None)) n++;
        return n;
    }

    private async Task DespacharAsync(CancellationToken ct)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CompromisosDbContext>();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (!await Bloqueos.IntentarAsync(db, Bloqueos.Despacho, ct)) return;

        var hasta = (await db.Database.SqlQuery<long>($"SELECT coalesce(max(posicion), 0) AS \"Value\" FROM eventos").ToListAsync(ct)).Single();
        var ahora = _reloj.GetUtcNow();
        // One statement, so the deliveries and the position read the same subscriptions: as two, a reactivation
        // committed between them let the UPDATE move past events the INSERT had skipped (lost forever). The chosen
        // rows are locked, so a concurrent state change waits for this commit.
        await db.Database.ExecuteSqlAsync($"""
            WITH elegidas AS (
                SELECT id, tipos, posicion_despachada AS desde, least({hasta}, posicion_despachada + {LoteDespacho}) AS hasta
                FROM suscripciones
                WHERE estado = 'Activa' AND posicion_despachada < {hasta}
                FOR UPDATE
            ), nuevas AS (
                INSERT INTO entregas (suscripcion_id, evento_posicion, programa_id, estado, intentos, proximo_intento_en)
                SELECT el.id, e.posicion, e.programa_id, 'Pendiente', 0, {ahora}
                FROM elegidas el
                JOIN eventos e ON e.posicion > el.desde AND e.posicion <= el.hasta AND e.tipo = ANY (el.tipos)
                ORDER BY el.id, e.posicion
                ON CONFLICT (suscripcion_id, evento_posicion) DO NOTHING
            )
            UPDATE suscripciones s SET posicion_despachada = el.hasta
            FROM elegidas el
            WHERE s.id = el.id
            """, ct);
        await tx.CommitAsync(ct);
    }

    private async Task<bool> EntregarSiguienteAsync(CancellationToken ct)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CompromisosDbContext>();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var ahora = _reloj.GetUtcNow();
        var entrega = (await db.Entregas.FromSql($"""
            SELECT en.* FROM entregas en
            JOIN suscripciones s ON s.id = en.suscripcion_id
            WHERE en.estado = 'Pendiente' AND s.estado = 'Activa' AND en.proximo_intento_en <= {ahora}
              AND NOT EXISTS (
                SELECT 1 FROM entregas previa
                WHERE previa.suscripcion_id = en.suscripcion_id AND previa.programa_id IS NOT DISTINCT FROM en.programa_id
                  AND previa.evento_posicion < en.evento_posicion AND previa.estado = 'Pendiente')
            ORDER BY en.evento_posicion
            LIMIT 1
            FOR UPDATE OF en SKIP LOCKED
            """).ToListAsync(ct)).SingleOrDefault();
        if (entrega is null) return false;

        var evento = await db.Eventos.AsNoTracking().SingleAsync(e => e.Posicion == entrega.EventoPosicion, ct);
        var suscripcion = await db.Suscripciones.AsNoTracking().SingleAsync(s => s.Id == entrega.SuscripcionId, ct);
        var (status, error) = await EnviarAsync(suscripcion, evento, ct);
        _metricas.Entrega(error is null);
        var opciones = _opciones.CurrentValue;
        ahora = _reloj.GetUtcNow();
        if (error is null)
        {
            entrega.Entregada(ahora, status!.Value);
            await db.Database.ExecuteSqlAsync($"""
                UPDATE suscripciones SET fallas_consecutivas = 0, fallando_desde = NULL, ultimo_error = NULL, ultima_entrega_en = {ahora}
                WHERE id = {suscripcion.Id}
                """, ct);
        }
        else
        {
            entrega.Fallo(ahora, status, error, Espera(entrega.Intentos + 1, opciones));
            var primerFallo = entrega.PrimerFalloEn!.Value;
            _log.LogInformation("Entrega del evento {Evento} a la suscripción {Suscripcion} falló (intento {Intento}): {Error}",
                evento.Id, suscripcion.Id, entrega.Intentos, error);
            // Suspended after N failures in a row, or when failing for too long (the subscription, or this delivery).
            await db.Database.ExecuteSqlAsync($"""
                UPDATE suscripciones SET
                    fallas_consecutivas = fallas_consecutivas + 1,
                    fallando_desde = coalesce(fallando_desde, {ahora}),
                    ultimo_error = {entrega.UltimoError},
                    estado = CASE WHEN estado = 'Activa' AND (fallas_consecutivas + 1 >= {opciones.FallasParaSuspender}
                        OR {ahora} - coalesce(fallando_desde, {ahora}) >= {opciones.SuspenderTras} OR {ahora} - {primerFallo} >= {opciones.SuspenderTras})
                        THEN 'Suspendida' ELSE estado END,
                    suspendida_en = CASE WHEN estado = 'Activa' AND (fallas_consecutivas + 1 >= {opciones.FallasParaSuspender}
                        OR {ahora} - coalesce(fallando_desde, {ahora}) >= {opciones.SuspenderTras} OR {ahora} - {primerFallo} >= {opciones.SuspenderTras})
                        THEN {ahora} ELSE suspendida_en END
                WHERE id = {suscripcion.Id}
                """, ct);
        }

        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>Exponential backoff with "equal jitter": half the doubled wait, plus a random share of the other half.</summary>
    internal static TimeSpan Espera(int intento, OpcionesWebhooks o)
    {
        var tope = Math.Min(o.EsperaMaxima.TotalMilliseconds, o.EsperaInicial.TotalMilliseconds * Math.Pow(2, Math.Min(intento - 1, 30)));
        return TimeSpan.FromMilliseconds(tope / 2 + Random.Shared.NextDouble() * tope / 2);
    }

    /// <summary>POSTs the CloudEvent signed per Standard Webhooks; a 2xx answer is a delivery, anything else a failure.</summary>
    private async Task<(int? Status, string? Error)> EnviarAsync(Suscripcion suscripcion, EventoSaliente evento, CancellationToken ct)
    {
        var cuerpo = JsonSerializer.Serialize(CloudEvent.Desde(evento, _eventos.CurrentValue.Fuente), JsonSerializerOptions.Web);
        var id = evento.Id.ToString();
        var momento = _reloj.GetUtcNow();
        // The delivery continues the trace of the request that caused the event: the receiver gets its traceparent
        // (a child span of ours when this instance traces it; the event's own when the caller asked not to sample).
        ActivityContext.TryParse(evento.Traceparent, null, isRemote: true, out var causa);
        using var actividad = Observabilidad.Fuente.StartActivity($"webhook {evento.Tipo}", ActivityKind.Producer, causa);
        using var pedido = new HttpRequestMessage(HttpMethod.Post, suscripcion.Url)
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(cuerpo)),
        };
        var traceparent = actividad?.Id ?? evento.Traceparent;
        if (traceparent is not null) pedido.Headers.TryAddWithoutValidation("traceparent", traceparent);
        pedido.Content.Headers.ContentType = new MediaTypeHeaderValue("application/cloudevents+json") { CharSet = "utf-8" };
        pedido.Headers.Add("webhook-id", id);
        pedido.Headers.Add("webhook-timestamp", momento.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        pedido.Headers.Add("webhook-signature", new StandardWebhook(suscripcion.Secreto).Sign(id, momento, cuerpo));

        using var limite = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limite.CancelAfter(_opciones.CurrentValue.TiempoMaximo);
        try
        {
            using var respuesta = await _http.SendAsync(pedido, HttpCompletionOption.ResponseHeadersRead, limite.Token);
            var status = (int)respuesta.StatusCode;
            return respuesta.IsSuccessStatusCode ? (status, null) : (status, $"El receptor respondió {status}.");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return (null, $"El receptor no respondió en {_opciones.CurrentValue.TiempoMaximo.TotalSeconds:0.#} s.");
        }
        catch (HttpRequestException e)
        {
            return (null, "No se pudo conectar con el receptor: " + e.Message);
        }
    }
}
