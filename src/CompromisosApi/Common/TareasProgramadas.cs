using System.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CompromisosApi.Common;

public sealed class OpcionesTareasProgramadas
{
    /// <summary>Whether this instance runs the scheduled tasks (several instances may: each pass is exclusive).</summary>
    public bool Habilitado { get; set; } = true;

    public TimeSpan Intervalo { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>A task run every <see cref="OpcionesTareasProgramadas.Intervalo"/>, registered by the area it belongs to.</summary>
public interface ITareaProgramada
{
    /// <summary>What a pass counts, for the log: "compromisos vencidos notificados".</summary>
    string Cuenta { get; }

    /// <summary>One pass; returns how many things it did (0 when another instance holds the pass).</summary>
    Task<int> EjecutarAsync(CancellationToken ct);
}

/// <summary>
/// The scheduled tasks: each pass runs every registered <see cref="ITareaProgramada"/> in the order they were registered
/// (Program.cs: compromiso.vencido detection, corte.recordatorio reminders, the cleaning of expired idempotency keys).
/// </summary>
public sealed class TareasProgramadas(IEnumerable<ITareaProgramada> tareas, IOptionsMonitor<OpcionesTareasProgramadas> opciones, TimeProvider reloj, Metricas metricas, ILogger<TareasProgramadas> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!opciones.CurrentValue.Habilitado) return;
        await Task.Yield();
        using var temporizador = new PeriodicTimer(opciones.CurrentValue.Intervalo, reloj);
        try
        {
            do
            {
                // Each pass is a trace of its own (it serves no request), and each task's outcome is counted apart:
                // one failing task must not hide that the others ran (the readiness check and the alert read them).
                using var pasada = Observabilidad.Fuente.StartActivity("TareasProgramadas", ActivityKind.Internal, parentContext: default);
                var hechos = new List<string>();
                var total = 0;
                foreach (var tarea in tareas)
                {
                    var nombre = tarea.GetType().Name;
                    try
                    {
                        var n = await tarea.EjecutarAsync(stoppingToken);
                        metricas.Tarea(nombre, ok: true, reloj.GetUtcNow());
                        total += n;
                        hechos.Add($"{n} {tarea.Cuenta}");
                    }
                    catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                    {
                        metricas.Tarea(nombre, ok: false, reloj.GetUtcNow());
                        log.LogWarning(e, "La tarea programada {Tarea} falló; se reintenta en el próximo intervalo.", nombre);
                    }
                }

                if (total > 0) log.LogInformation("Tareas programadas: {Hechos}.", string.Join(", ", hechos));
            }
            while (await temporizador.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}

public static class TareasProgramadasExtensiones
{
    public static IServiceCollection AddTareasProgramadas(this IServiceCollection services, IConfiguration config)
    {
        services.Configure<OpcionesTareasProgramadas>(config.GetSection("TareasProgramadas"));
        return services.AddHostedService<TareasProgramadas>();
    }

    /// <summary>The task as itself (tests run a pass directly) and among the scheduled ones, after those registered before.</summary>
    public static IServiceCollection AddTareaProgramada<T>(this IServiceCollection services) where T : class, ITareaProgramada =>
        services.AddSingleton<T>().AddSingleton<ITareaProgramada>(sp => sp.GetRequiredService<T>());
}

/// <summary>
/// Readiness: Degraded when no pass of some scheduled task has ended well for three intervals (its events are not
/// being emitted). Read from memory, so a probe can't load the database.
/// </summary>
public sealed class SaludDeTareasProgramadas(IEnumerable<ITareaProgramada> tareas, IOptionsMonitor<OpcionesTareasProgramadas> opciones, Metricas metricas, TimeProvider reloj)
    : IHealthCheck
{
    private readonly DateTimeOffset _inicio = reloj.GetUtcNow();

    public Task<HealthCheckResult> CheckHealthAsync(
        HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var o = opciones.CurrentValue;
        if (!o.Habilitado) return Task.FromResult(HealthCheckResult.Healthy("Deshabilitadas en esta instancia."));
        var ahora = reloj.GetUtcNow();
        var plazo = 3 * o.Intervalo;
        var atrasadas = tareas.Select(t => t.GetType().Name)
            .Where(t => (metricas.UltimoExito(t) ?? _inicio) < ahora - plazo)
            .ToList();
        return Task.FromResult(atrasadas.Count == 0
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Degraded($"Sin pasada exitosa en {plazo}: {string.Join(", ", atrasadas)}."));
    }
}
