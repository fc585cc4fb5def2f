using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace CompromisosApi.Common;

public sealed class OpcionesObservabilidad
{
    public const string Seccion = "Observabilidad";

    /// <summary>OpenTelemetry at all (traces, metrics, /metrics). Off only to measure what it costs (bench).</summary>
    public bool Habilitada { get; set; } = true;

    /// <summary>Whether <c>GET /metrics</c> answers (anonymous, outside the contract and the rate limiter).</summary>
    public bool Metricas { get; set; } = true;

    public string RutaMetricas { get; set; } = "/metrics";
}

/// <summary>
/// The service's own metrics, named <c>compromisos_*</c> once exported to Prometheus (a counter gets <c>_total</c>, a
/// unit its suffix: <c>compromisos.evidencia.almacenada</c> in bytes is <c>compromisos_evidencia_almacenada_bytes_total</c>).
/// Counted after the commit (<see cref="CompromisosDbContext"/>'s transaction interceptor), so a rolled-back write
/// counts nothing.
/// </summary>
public sealed class Metricas
{
    public const string Nombre = "CompromisosApi";

    private readonly Counter<long> _calificaciones;
    private readonly Counter<long> _reportes;
    private readonly Counter<long> _evidencia;
    private readonly Counter<long> _eventos;
    private readonly Counter<long> _entregas;
    private readonly Counter<long> _tareas;
    private readonly Counter<long> _rechazos;
    private readonly Counter<long> _trazasDescartadas;
    private double _retrasoBandeja;
    private readonly Dictionary<string, long> _ultimoExito = new(StringComparer.Ordinal);

    public Metricas(IMeterFactory fabrica)
    {
        var m = fabrica.Create(Nombre);
        _calificaciones = m.CreateCounter<long>("compromisos.calificaciones", description: "Calificaciones registradas (incluye correcciones e importaciones), por valor.");
        _reportes = m.CreateCounter<long>("compromisos.reportes", description: "Reportes de cumplimiento registrados.");
        _evidencia = m.CreateCounter<long>("compromisos.evidencia.almacenada", unit: "By", description: "Bytes de evidencia almacenados.");
        _eventos = m.CreateCounter<long>("compromisos.eventos", description: "Eventos escritos en la bandeja de salida, por tipo.");
        _entregas = m.CreateCounter<long>("compromisos.webhooks.entregas", description: "Intentos de entrega de webhooks, por resultado (entregada, fallida).");
        _tareas = m.CreateCounter<long>("compromisos.tareas.ejecuciones", description: "Pasadas de las tareas programadas, por tarea y resultado (ok, error).");
        _rechazos = m.CreateCounter<long>("compromisos.rechazos", description: "Solicitudes rechazadas por límite de uso, por motivo (limite, cuota, transferencias, saturacion).");
        _trazasDescartadas = m.CreateCounter<long>("compromisos.trazas.descartadas", description: "Trazas de transacciones no escritas: el búfer estaba lleno, o un lote no pudo escribirse antes de detener la instancia.");
        m.CreateObservableGauge("compromisos.bandeja.retraso", () => Volatile.Read(ref _retrasoBandeja), unit: "s",
            description: "Antigüedad del evento más antiguo aún no entregado a una suscripción activa (0 si no hay).");
        m.CreateObservableGauge("compromisos.tareas.ultimo_exito", UltimosExitos, unit: "s",
            description: "Instante (segundos Unix) de la última pasada exitosa de cada tarea programada y del relay de webhooks en esta instancia.");
    }

    public void Confirmado(IReadOnlyList<CambioRegistrado> cambios, IEnumerable<string> eventos)
    {
        foreach (var c in cambios)
        {
            if (!c.Creado) continue;
            switch (c.Entidad)
            {
                case nameof(RegistroCalificacion):
                    _calificaciones.Add(1, new KeyValuePair<string, object?>("calificacion", c.Despues[nameof(RegistroCalificacion.Calificacion)]?.ToString()));
                    break;
                case nameof(ReporteCumplimiento):
                    _reportes.Add(1);
                    break;
                case nameof(MedioVerificacion) when c.Despues.GetValueOrDefault(nameof(MedioVerificacion.Tamano)) is long bytes:
                    _evidencia.Add(bytes);
                    break;
            }
        }

        foreach (var tipo in eventos) _eventos.Add(1, new KeyValuePair<string, object?>("tipo", tipo));
    }

    public void Entrega(bool entregada) => _entregas.Add(1, new KeyValuePair<string, object?>("resultado", entregada ? "entregada" : "fallida"));

    public void RetrasoBandeja(TimeSpan retraso) => Volatile.Write(ref _retrasoBandeja, Math.Max(0, retraso.TotalSeconds));

    /// <summary>The name the webhook relay's passes are recorded under (<see cref="Latido"/>).</summary>
    public const string Relay = "RelayDeWebhooks";

    public void Tarea(string tarea, bool ok, DateTimeOffset ahora)
    {
        _tareas.Add(1, new KeyValuePair<string, object?>("tarea", tarea), new KeyValuePair<string, object?>("resultado", ok ? "ok" : "error"));
        if (ok) Latido(tarea, ahora);
    }

    /// <summary>A background worker finished a pass well (read by the readiness check and the last-success gauge).</summary>
    public void Latido(string trabajo, DateTimeOffset ahora)
    {
        lock (_ultimoExito) _ultimoExito[trabajo] = ahora.ToUnixTimeMilliseconds();
    }

    public DateTimeOffset? UltimoExito(string trabajo)
    {
        lock (_ultimoExito) return _ultimoExito.TryGetValue(trabajo, out var ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
    }

    /// <summary>Traces not written: the buffer was full, or a batch could not be written before the instance stopped.</summary>
    public void TrazasDescartadas(long n) => _trazasDescartadas.Add(n);

    public void Rechazo(string? tipoDeProblema)
    {
        var motivo = tipoDeProblema switch
        {
            TiposDeProblema.DemasiadasSolicitudes => "limite",
            TiposDeProblema.CuotaExcedida => "cuota",
            TiposDeProblema.DemasiadasTransferencias => "transferencias",
            TiposDeProblema.ServicioSaturado => "saturacion",
            _ => null,
        };
        if (motivo is not null) _rechazos.Add(1, new KeyValuePair<string, object?>("motivo", motivo));
    }

    private IEnumerable<Measurement<long>> UltimosExitos()
    {
        lock (_ultimoExito)
        {
            return _ultimoExito.Select(kv => new Measurement<long>(kv.Value / 1000, new KeyValuePair<string, object?>("tarea", kv.Key))).ToList();
        }
    }
}

public static class Observabilidad
{
    /// <summary>The service's own spans (webhook deliveries, scheduled passes).</summary>
    public static readonly ActivitySource Fuente = new(Metricas.Nombre);

    /// <summary>
    /// The W3C trace id of the request: the caller's when it sent a <c>traceparent</c>, so a servicio's support ticket
    /// can be followed into our logs, the audit trail and the events it caused. ASP.NET Core starts the request's
    /// activity (and honours the incoming traceparent) whenever logging is on, sampled or not.
    /// </summary>
    /// <summary>A W3C trace id in hex (the request identifier it falls back to is shorter).</summary>
    public const int LargoTraceId = 32;

    /// <summary>A W3C traceparent, version 00: 2 + 1 + 32 + 1 + 16 + 1 + 2 characters.</summary>
    public const int LargoTraceparent = 55;

    public static string IdDeTraza(HttpContext http) =>
        Activity.Current is { } a && a.TraceId != default ? a.TraceId.ToHexString() : http.TraceIdentifier;

    /// <summary>The current <c>traceparent</c> (W3C), for what a request leaves behind to be done later (events).</summary>
    public static string? TraceparentActual() => Activity.Current is { IdFormat: ActivityIdFormat.W3C } a ? a.Id : null;

    /// <summary>Every problem+json, wherever written: the trace id, and the refusals counted.</summary>
    public static void Completar(HttpContext http, ProblemDetails problema)
    {
        problema.Extensions[MiembrosDeProblema.TraceId] = IdDeTraza(http);
        if (http.Features.Get<SolicitudInteroperable>() is { } solicitud) solicitud.TipoProblema = problema.Type;
        http.RequestServices.GetService<Metricas>()?.Rechazo(problema.Type);
    }

    public static WebApplicationBuilder AddObservabilidad(this WebApplicationBuilder builder)
    {
        var config = builder.Configuration;
        builder.Services.Configure<OpcionesObservabilidad>(config.GetSection(OpcionesObservabilidad.Seccion));
        var opciones = config.GetSection(OpcionesObservabilidad.Seccion).Get<OpcionesObservabilidad>() ?? new();
        builder.Services.AddSingleton<Metricas>();
        ConfigurarRegistros(builder);
        if (!opciones.Habilitada) return builder;

        var exporta = !string.IsNullOrWhiteSpace(config["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var otel = builder.Services.AddOpenTelemetry()
            // OTEL_SERVICE_NAME names the service when set (one name per agency or deployment); else CompromisosApi.
            .ConfigureResource(r => r.AddService(config["OTEL_SERVICE_NAME"] is { Length: > 0 } nombre ? nombre : Metricas.Nombre));
        if (exporta)
        {
            otel.WithTracing(t => t
                .AddSource(Metricas.Nombre)
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !EsTecnica(http.Request.Path, opciones))
                .AddHttpClientInstrumentation()
                .AddNpgsql());
        }
        else
        {
            // Spans nobody exports cost ~10 % of a simple read (measured against Observabilidad:Habilitada=false):
            // without an exporter only the service's own passes and deliveries get activities, so that they still
            // start their own traces and hand them on. Requests keep the activity ASP.NET Core starts for its logs:
            // the caller's trace id reaches problem+json, the audit trail and the events all the same.
            _ = ActividadesPropias.Value;
        }

        otel.WithMetrics(m =>
            {
                m.AddMeter(Metricas.Nombre)
                    .AddMeter(MedidoresDeAspNetCore)
                    .AddHttpClientInstrumentation()
                    .AddNpgsqlInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddProcessInstrumentation();
                foreach (var instrumento in Omitidos) m.AddView(instrumento, MetricStreamConfiguration.Drop);
                // Gauges whose semantic-convention names end in ".count" read as counters' _count series in
                // Prometheus; promtool rejects them. Renamed here, and only here.
                foreach (var (nombre, nuevo) in Renombradas) m.AddView(nombre, nuevo);
                if (opciones.Metricas) m.AddPrometheusExporter();
            });
        // Exported only where an operator points it (the standard variables; OTEL_SERVICE_NAME names the service).
        if (exporta) otel.UseOtlpExporter();
        return builder;
    }

    private static void ConfigurarRegistros(WebApplicationBuilder builder)
    {
        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        if (!builder.Environment.IsDevelopment())
        {
            // One JSON object per line for the log collector; the scopes carry the trace, the route and the subject.
            builder.Logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }
    }

    /// <summary>One listener per process for the service's own source (deliveries, scheduled passes).</summary>
    private static readonly Lazy<ActivityListener> ActividadesPropias = new(() =>
    {
        var oyente = new ActivityListener
        {
            ShouldListenTo = fuente => fuente.Name == Metricas.Nombre,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(oyente);
        return oyente;
    });

    /// <summary>
    /// ASP.NET Core's meters an operator reads: request durations by route, connections, unhandled exceptions. Not
    /// routing's, rate limiting's, authentication's or the memory pool's (AddAspNetCoreInstrumentation takes them all):
    /// each records several measurements on every request, and what they would tell is counted cheaper elsewhere
    /// (compromisos_rechazos_total for the limits' refusals).
    /// </summary>
    private static readonly string[] MedidoresDeAspNetCore =
        ["Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Diagnostics"];

    /// <summary>
    /// Instruments updated on every request or database command that no question of the operator needs: the
    /// requests in flight (two updates a request; the duration histogram counts them), and Npgsql's per-command byte
    /// counters, commands executing and prepared ratio (command durations and pool usage are kept). Dropped by a view,
    /// they are never enabled, so nothing is measured (the E1 benchmark's A/B measures what metrics cost).
    /// </summary>
    private static readonly string[] Omitidos =
    [
        "http.server.active_requests",
        "db.client.operation.npgsql.bytes_read",
        "db.client.operation.npgsql.bytes_written",
        "db.client.operation.npgsql.executing",
        "db.client.operation.npgsql.prepared_ratio",
    ];

    private static readonly (string, string)[] Renombradas =
    [
        ("db.client.connection.count", "db.client.connection.usage"),
        ("dotnet.assembly.count", "dotnet.assemblies.loaded"),
        ("dotnet.process.cpu.count", "dotnet.process.cpus"),
        ("dotnet.timer.count", "dotnet.timers"),
        ("process.thread.count", "process.threads"),
        ("process.unix.file_descriptor.count", "process.unix.file_descriptors"),
    ];

    /// <summary>/metrics and the health probes: polled every few seconds, they are not traffic worth a span.</summary>
    private static bool EsTecnica(PathString ruta, OpcionesObservabilidad o) =>
        ruta.StartsWithSegments(o.RutaMetricas) || ruta.StartsWithSegments("/health");

    public static WebApplication MapObservabilidad(this WebApplication app)
    {
        var opciones = app.Configuration.GetSection(OpcionesObservabilidad.Seccion).Get<OpcionesObservabilidad>() ?? new();
        if (opciones.Habilitada && opciones.Metricas)
        {
            app.MapPrometheusScrapingEndpoint(opciones.RutaMetricas).AllowAnonymous().DisableRateLimiting().ExcludeFromDescription();
        }

        return app;
    }
}
