using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace CompromisosApi.Persistence;

/// <summary>
/// Readiness is public (load balancers call it without a token) and exempt from the rate limit, so it must not be a
/// way to load the database: one probe (<c>SELECT 1</c>) at a time, and its answer reused for
/// <c>Salud:SegundosEntreSondeos</c> (default 2). Any number of callers cost at most one query per interval.
/// </summary>
public sealed class SaludDeBaseDeDatos(NpgsqlDataSource fuente, IConfiguration config, TimeProvider reloj) : IHealthCheck, IDisposable
{
    private readonly TimeSpan _vigencia = config.GetValue("Salud:SegundosEntreSondeos", 2.0) is var s and >= 0 and <= 60
        ? TimeSpan.FromSeconds(s)
        : throw new InvalidOperationException("Salud:SegundosEntreSondeos debe estar entre 0 y 60.");
    private readonly SemaphoreSlim _uno = new(1, 1);
    private (HealthCheckResult Resultado, DateTimeOffset En)? _ultimo;
    private int _sondeos;

    /// <summary>Probes made so far (the readiness test counts them).</summary>
    public int Sondeos => Volatile.Read(ref _sondeos);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (Vigente() is { } r) return r;
        await _uno.WaitAsync(cancellationToken);
        try
        {
            // Whoever waited for the probe in flight takes its answer.
            if (Vigente() is { } otro) return otro;
            Interlocked.Increment(ref _sondeos);
            var resultado = await SondearAsync(cancellationToken);
            _ultimo = (resultado, reloj.GetUtcNow());
            return resultado;
        }
        finally
        {
            _uno.Release();
        }
    }

    private HealthCheckResult? Vigente() =>
        _ultimo is { } u && reloj.GetUtcNow() - u.En < _vigencia ? u.Resultado : null;

    private async Task<HealthCheckResult> SondearAsync(CancellationToken ct)
    {
        try
        {
            await using var conexion = await fuente.OpenConnectionAsync(ct);
            await using var consulta = new NpgsqlCommand("SELECT 1", conexion);
            await consulta.ExecuteScalarAsync(ct);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("PostgreSQL no responde.");
        }
    }

    public void Dispose() => _uno.Dispose();
}
