using Microsoft.Extensions.Options;

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
public sealed class TareasProgramadas(IEnumerable<ITareaProgramada> tareas, IOptionsMonitor<OpcionesTareasProgramadas> opciones, TimeProvider reloj, ILogger<TareasProgramadas> log)
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
                try
                {
                    var hechos = new List<string>();
                    var total = 0;
                    foreach (var tarea in tareas)
                    {
                        var n = await tarea.EjecutarAsync(stoppingToken);
                        total += n;
                        hechos.Add($"{n} {tarea.Cuenta}");
                    }

                    if (total > 0) log.LogInformation("Tareas programadas: {Hechos}.", string.Join(", ", hechos));
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    log.LogWarning(e, "Las tareas programadas fallaron; se reintentan en el próximo intervalo.");
                }
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
