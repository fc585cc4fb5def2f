using System.Diagnostics.Metrics;
using CompromisosApi.Common;
using CompromisosApi.Features.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace CompromisosApi.UnitTests;

/// <summary>Readiness degrades when the background work stops completing passes, and only then (issue 16).</summary>
public sealed class SaludDeFondoTests
{
    private sealed class Reloj(DateTimeOffset ahora) : TimeProvider
    {
        public DateTimeOffset Ahora { get; set; } = ahora;
        public override DateTimeOffset GetUtcNow() => Ahora;
    }

    private sealed class Tarea : ITareaProgramada
    {
        public string Cuenta => "cosas";
        public Task<int> EjecutarAsync(CancellationToken ct) => Task.FromResult(0);
    }

    private static Metricas NuevasMetricas() =>
        new(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>());

    private sealed class Fijas<T>(T valor) : IOptionsMonitor<T>
    {
        public T CurrentValue => valor;
        public T Get(string? name) => valor;
        public IDisposable? OnChange(Action<T, string?> listener) => null;
    }

    private static IOptionsMonitor<T> Monitor<T>(T valor) => new Fijas<T>(valor);

    private static async Task<HealthStatus> Estado(IHealthCheck c) => (await c.CheckHealthAsync(new HealthCheckContext())).Status;

    [Fact]
    public async Task Las_tareas_programadas_se_degradan_tras_tres_intervalos_sin_una_pasada_exitosa()
    {
        var reloj = new Reloj(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
        var metricas = NuevasMetricas();
        var salud = new SaludDeTareasProgramadas([new Tarea()], Monitor(new OpcionesTareasProgramadas { Intervalo = TimeSpan.FromHours(1) }), metricas, reloj);

        Assert.Equal(HealthStatus.Healthy, await Estado(salud));
        reloj.Ahora += TimeSpan.FromHours(3) + TimeSpan.FromSeconds(1);
        Assert.Equal(HealthStatus.Degraded, await Estado(salud));
        metricas.Tarea(nameof(Tarea), ok: false, reloj.Ahora);
        Assert.Equal(HealthStatus.Degraded, await Estado(salud));
        metricas.Tarea(nameof(Tarea), ok: true, reloj.Ahora);
        Assert.Equal(HealthStatus.Healthy, await Estado(salud));

        var deshabilitadas = new SaludDeTareasProgramadas([new Tarea()], Monitor(new OpcionesTareasProgramadas { Habilitado = false }), NuevasMetricas(), reloj);
        reloj.Ahora += TimeSpan.FromDays(1);
        Assert.Equal(HealthStatus.Healthy, await Estado(deshabilitadas));
    }

    [Fact]
    public async Task El_relay_se_degrada_cuando_deja_de_completar_pasadas()
    {
        var reloj = new Reloj(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
        var metricas = NuevasMetricas();
        var opciones = new OpcionesWebhooks { Intervalo = TimeSpan.FromSeconds(1), TiempoMaximo = TimeSpan.FromSeconds(10) };
        var salud = new SaludDelRelay(Monitor(opciones), metricas, reloj);

        reloj.Ahora += TimeSpan.FromSeconds(60);
        Assert.Equal(HealthStatus.Healthy, await Estado(salud));
        metricas.Latido(Metricas.Relay, reloj.Ahora);
        reloj.Ahora += TimeSpan.FromSeconds(71);
        Assert.Equal(HealthStatus.Degraded, await Estado(salud));
        metricas.Latido(Metricas.Relay, reloj.Ahora);
        Assert.Equal(HealthStatus.Healthy, await Estado(salud));
    }
}
