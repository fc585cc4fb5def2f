using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CompromisosApi.Features.Webhooks;

/// <summary>Runs the relay in the background while Webhooks:Habilitado (by default on every instance).</summary>
public sealed class ServicioDeWebhooks(RelayDeWebhooks relay, IOptionsMonitor<OpcionesWebhooks> opciones, TimeProvider reloj, Metricas metricas, ILogger<ServicioDeWebhooks> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!opciones.CurrentValue.Habilitado) return;
        await Task.Yield();
        var fallasSeguidas = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            var intentos = 0;
            var espera = opciones.CurrentValue.Intervalo;
            try
            {
                intentos = await relay.PasadaAsync(stoppingToken);
                metricas.Latido(Metricas.Relay, reloj.GetUtcNow());
                if (fallasSeguidas > 0) log.LogInformation("El relay de webhooks se recuperó tras {Fallas} pasadas fallidas.", fallasSeguidas);
                fallasSeguidas = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // With the database down every pass fails: the first failure with its stack, then one short line per
                // wait, and the waits double up to 30 s (not two error lines a second per instance).
                if (fallasSeguidas++ == 0) log.LogWarning(e, "La pasada del relay de webhooks falló; se reintenta.");
                else log.LogWarning("La pasada del relay de webhooks sigue fallando ({Fallas} seguidas): {Error}", fallasSeguidas, e.Message);
                espera = TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(30).Ticks, espera.Ticks << Math.Min(fallasSeguidas, 10)));
            }

            if (intentos > 0) continue;
            try
            {
                await Task.Delay(espera, reloj, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}

/// <summary>
/// Readiness: Degraded when the relay has not completed a pass for ten intervals (at least a minute): webhooks are not
/// going out from this instance. Read from memory, so a probe can't load the database.
/// </summary>
public sealed class SaludDelRelay(IOptionsMonitor<OpcionesWebhooks> opciones, Metricas metricas, TimeProvider reloj) : IHealthCheck
{
    private readonly DateTimeOffset _inicio = reloj.GetUtcNow();

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var o = opciones.CurrentValue;
        if (!o.Habilitado) return Task.FromResult(HealthCheckResult.Healthy("Deshabilitado en esta instancia."));
        var plazo = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMinutes(1).Ticks, 10 * o.Intervalo.Ticks)) + o.TiempoMaximo;
        var ultima = metricas.UltimoExito(Metricas.Relay) ?? _inicio;
        return Task.FromResult(ultima >= reloj.GetUtcNow() - plazo
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Degraded($"El relay de webhooks no completa una pasada desde {ultima:O}."));
    }
}
