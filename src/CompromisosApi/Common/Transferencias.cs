using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace CompromisosApi.Common;

/// <summary>Configuration section Transferencias: long responses and uploads (evidence files, CSV/XLSX exports).</summary>
public sealed class OpcionesTransferencias
{
    public const string Seccion = "Transferencias";

    /// <summary>At once from one client address (an office behind one NAT shares it).</summary>
    public int PorDireccion { get; set; } = 8;

    /// <summary>At once in this instance: each holds a socket, a buffer of up to 1 MB and, for exports, a temporary file.</summary>
    public int Total { get; set; } = 64;

    /// <summary>
    /// A response the client reads slower than this (after <see cref="GraciaSegundos"/>) is cut: it holds a slot
    /// that others need. 1 KB/s is far below any real connection, mobile ones included.
    /// </summary>
    public int BytesPorSegundoMinimo { get; set; } = 1024;

    public int GraciaSegundos { get; set; } = 10;

    /// <summary>
    /// Database connections the transfers may use at once (fragment reads, storing an upload, generating an export),
    /// out of the instance's pool: the rest stays for ordinary requests, whatever the transfers do.
    /// </summary>
    public int Conexiones { get; set; } = 4;
}

/// <summary>
/// Slots for long transfers: a download, an upload, an export or an informe takes one for as long as its response lasts, so slow
/// clients can hold only a bounded part of the instance. Beyond its address's share a caller gets 429; beyond the
/// instance's total, 503; both with Retry-After. (None of them holds a database connection while the client reads:
/// the evidence store reads one fragment per query, exports are written to a temporary file first.)
/// </summary>
public sealed class LimiteDeTransferencias : IDisposable
{
    private const int EsperaSegundos = 5;

    private readonly PartitionedRateLimiter<IPAddress> _porDireccion;
    private readonly ConcurrencyLimiter _total;
    private readonly SemaphoreSlim _conexiones;
    private readonly OpcionesTransferencias _opciones;
    private readonly SemaphoreSlim _calculo = new(Environment.ProcessorCount, Environment.ProcessorCount);

    public LimiteDeTransferencias(Microsoft.Extensions.Options.IOptions<OpcionesTransferencias> opciones)
    {
        var o = opciones.Value;
        _porDireccion = PartitionedRateLimiter.Create<IPAddress, IPAddress>(ip => RateLimitPartition.GetConcurrencyLimiter(ip,
            _ => new ConcurrencyLimiterOptions { PermitLimit = o.PorDireccion, QueueLimit = 0 }));
        _total = new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = o.Total, QueueLimit = 0 });
        _conexiones = new SemaphoreSlim(o.Conexiones, o.Conexiones);
        _opciones = o;
    }

    /// <summary>Waits for one of the transfers' database connections; the caller releases it by disposing the result.</summary>
    public async Task<IDisposable> ConexionAsync(CancellationToken ct)
    {
        await _conexiones.WaitAsync(ct);
        return new PermisoDeSemaforo(_conexiones);
    }

    /// <summary>Waits for a core for CPU-bound rendering (the PDF informe): the rest keep serving requests.</summary>
    public async Task<IDisposable> CalculoAsync(CancellationToken ct)
    {
        await _calculo.WaitAsync(ct);
        return new PermisoDeSemaforo(_calculo);
    }

    /// <summary>Takes a slot until the response ends (the lease is disposed with the request), or refuses.</summary>
    public void Tomar(HttpContext http)
    {
        var direccion = http.Connection.RemoteIpAddress ?? IPAddress.None;
        var propio = _porDireccion.AttemptAcquire(direccion);
        if (!propio.IsAcquired)
        {
            propio.Dispose();
            throw new ProblemaHttpException(StatusCodes.Status429TooManyRequests, TiposDeProblema.DemasiadasTransferencias, "Demasiadas transferencias simultáneas",
                "Esta dirección ya tiene el máximo de descargas, cargas, exportaciones o informes en curso; espere a que terminen.") { ReintentarEnSegundos = EsperaSegundos };
        }

        var general = _total.AttemptAcquire();
        if (!general.IsAcquired)
        {
            general.Dispose();
            propio.Dispose();
            throw new ProblemaHttpException(StatusCodes.Status503ServiceUnavailable, TiposDeProblema.ServicioSaturado, "Servicio saturado",
                "El servicio tiene el máximo de descargas, cargas, exportaciones o informes en curso; reintente en unos segundos.") { ReintentarEnSegundos = EsperaSegundos };
        }

        http.Response.RegisterForDispose(general);
        http.Response.RegisterForDispose(propio);
        Vigilar(http);
    }

    /// <summary>
    /// Kestrel's MinResponseDataRate is an average over the whole response, and the megabytes the socket buffers take
    /// at once count as sent: a reader that stalls after them would keep its slot for an hour. So each piece written
    /// must leave within its own time, or the connection is cut. That time must cover how the kernel wakes a writer:
    /// only once half of the send buffer has drained, so the buffer is capped for these connections (autotuning takes
    /// it to 4 MB, 35 minutes at 1 KB/s) and the time is derived from its real size: half of it plus one piece at the
    /// minimum rate, or the grace period if longer. A reader at the minimum rate or faster is never cut. Only where the
    /// connection is a socket of its own (HTTP/1.x on Kestrel's socket transport); elsewhere Kestrel's floor alone applies.
    /// </summary>
    private void Vigilar(HttpContext http)
    {
        if (!HttpProtocol.IsHttp11(http.Request.Protocol) && !HttpProtocol.IsHttp10(http.Request.Protocol)) return;
        if (http.Features.Get<Microsoft.AspNetCore.Connections.Features.IConnectionSocketFeature>()?.Socket is not { } socket) return;
        socket.SendBufferSize = BufferDeEnvio;
        var plazo = Math.Max(_opciones.GraciaSegundos, (socket.SendBufferSize / 2.0 + EscrituraVigilada.Tramo) / _opciones.BytesPorSegundoMinimo);
        http.Response.Body = new EscrituraVigilada(http, TimeSpan.FromSeconds(plazo));
    }

    /// <summary>Linux doubles it (128 KB): about 2.5 MB/s at 50 ms of round trip, 10 s for a 25 MB file; 72 s of silence at 1 KB/s.</summary>
    private const int BufferDeEnvio = 64 * 1024;

    public void Dispose()
    {
        _porDireccion.Dispose();
        _total.Dispose();
        _conexiones.Dispose();
        _calculo.Dispose();
    }
}

/// <summary>One place of a semaphore, given back once however many times it is disposed.</summary>
internal sealed class PermisoDeSemaforo(SemaphoreSlim semaforo) : IDisposable
{
    private int _hecho;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _hecho, 1) == 0) semaforo.Release();
    }
}

public static class Transferencias
{
    public static IServiceCollection AddTransferencias(this IServiceCollection services) => services
        .AddSingleton<LimiteDeTransferencias>()
        .AddOptions<OpcionesTransferencias>().BindConfiguration(OpcionesTransferencias.Seccion)
        .Validate(o => o.PorDireccion > 0 && o.Total >= o.PorDireccion && o.BytesPorSegundoMinimo > 0 && o.GraciaSegundos > 0 && o.Conexiones > 0,
            "Transferencias: PorDireccion > 0, Total ≥ PorDireccion, BytesPorSegundoMinimo > 0, GraciaSegundos > 0 y Conexiones > 0.")
        .ValidateOnStart().Services;

    /// <summary>Kestrel's own floor for every response (its default, 240 B/s, lets a reader hold a socket for hours).</summary>
    public static void ConfigurarKestrel(KestrelServerOptions k, IConfiguration config)
    {
        var o = config.GetSection(OpcionesTransferencias.Seccion).Get<OpcionesTransferencias>() ?? new OpcionesTransferencias();
        if (o.BytesPorSegundoMinimo <= 0 || o.GraciaSegundos <= 0)
            throw new InvalidOperationException("Transferencias:BytesPorSegundoMinimo y Transferencias:GraciaSegundos deben ser positivos.");
        k.Limits.MinResponseDataRate = new MinDataRate(o.BytesPorSegundoMinimo, TimeSpan.FromSeconds(o.GraciaSegundos));
    }
}

/// <summary>
/// Passes writes on in pieces of at most 8 KB, each of which must be taken by the client within its time (the grace
/// period, or 8 KB at the minimum rate if longer); otherwise the connection is aborted and the transfer's slot freed.
/// </summary>
internal sealed class EscrituraVigilada(HttpContext http, TimeSpan plazo) : FlujoDeSalida
{
    public const int Tramo = 8 * 1024;
    private readonly Stream _destino = http.Response.Body;

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        for (var i = 0; i < buffer.Length; i += Tramo)
        {
            using var vigilancia = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            vigilancia.CancelAfter(plazo);
            try
            {
                await _destino.WriteAsync(buffer.Slice(i, Math.Min(Tramo, buffer.Length - i)), vigilancia.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                http.Abort();
                throw;
            }
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => _destino.Write(buffer, offset, count);

    public override Task FlushAsync(CancellationToken cancellationToken) => _destino.FlushAsync(cancellationToken);

    public override void Flush() => _destino.Flush();
}
