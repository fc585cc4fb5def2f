using Microsoft.Extensions.Options;
using Npgsql;

namespace CompromisosApi.Features.Estadisticas;

public sealed class OpcionesConsolidacionDeEstadisticas
{
    public const string Seccion = "Estadisticas:Consolidacion";

    /// <summary>Whether this instance folds (several may: one folds at a time, the others skip that pass).</summary>
    public bool Habilitada { get; set; } = true;

    /// <summary>
    /// How often. The statistics read the steps not folded yet too, so this bounds how many they add up per request,
    /// not whether an answer is up to date (it always is).
    /// </summary>
    public TimeSpan Intervalo { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>
/// Folds the statistics' steps, appended by the record's triggers, into their totals (estadisticas_consolidar(lote),
/// Persistence/Sql/estadisticas.sql), so that a statistics request reads few of them whatever the write rate. Its passes
/// are counted as a task's (compromisos_tareas_ejecuciones_total, tarea ConsolidacionDeEstadisticas).
/// </summary>
public sealed class ConsolidacionDeEstadisticas(NpgsqlDataSource fuente, IOptions<OpcionesConsolidacionDeEstadisticas> opciones,
    TimeProvider reloj, Metricas metricas, ILogger<ConsolidacionDeEstadisticas> log) : BackgroundService
{
    /// <summary>Steps folded per transaction: a backlog (a bulk load) drains in short ones.</summary>
    public const int Lote = 20_000;

    /// <summary>One pass: batches until fewer than <see cref="Lote"/> are left; returns the steps folded (0 when another instance was folding).</summary>
    public async Task<int> ConsolidarAsync(CancellationToken ct)
    {
        await using var comando = fuente.CreateCommand("SELECT estadisticas_consolidar($1)");
        comando.Parameters.Add(new NpgsqlParameter<int> { TypedValue = Lote });
        var total = 0;
        int plegados;
        do
        {
            plegados = (int)(await comando.ExecuteScalarAsync(ct))!;
            total += plegados;
        }
        while (plegados == Lote);
        return total;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!opciones.Value.Habilitada) return;
        await Task.Yield();
        using var temporizador = new PeriodicTimer(opciones.Value.Intervalo, reloj);
        var fallasSeguidas = 0;
        try
        {
            while (await temporizador.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await ConsolidarAsync(stoppingToken);
                    metricas.Tarea(nameof(ConsolidacionDeEstadisticas), ok: true, reloj.GetUtcNow());
                    if (fallasSeguidas > 0) log.LogInformation("La consolidación de estadísticas se recuperó tras {Fallas} pasadas fallidas.", fallasSeguidas);
                    fallasSeguidas = 0;
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    metricas.Tarea(nameof(ConsolidacionDeEstadisticas), ok: false, reloj.GetUtcNow());
                    // With the database down every pass (one a second) fails: the stack once, then one short line each.
                    if (fallasSeguidas++ == 0) log.LogWarning(e, "La consolidación de estadísticas falló; se reintenta en el próximo intervalo.");
                    else log.LogWarning("La consolidación de estadísticas sigue fallando ({Fallas} seguidas): {Error}", fallasSeguidas, e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
