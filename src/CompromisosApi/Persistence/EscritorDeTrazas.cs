using System.Threading.Channels;
using Npgsql;
using NpgsqlTypes;

namespace CompromisosApi.Persistence;

/// <summary>
/// Buffers each request's trace in memory and writes them in batches with PostgreSQL COPY (binary), off the request's
/// path: a request only puts its trace in a bounded channel (<see cref="OpcionesTrazas.Capacidad"/>). When the channel is
/// full (the database down or far behind for longer than the buffer lasts) the trace is dropped, counted
/// (<c>compromisos_trazas_descartadas_total</c>) and logged, and the request goes on: a trace must never take the
/// service down with it. A batch that fails is retried (backing off to 30 s) and kept until it is written. On a
/// graceful stop the server first finishes the requests in flight (so their traces are in the channel), then this
/// writes everything left, within Apagado:Gracia.
/// </summary>
public sealed partial class EscritorDeTrazas : IRegistroDeTrazas, IHostedService
{
    private const string Copiar = "COPY trazas (ocurrida_en, duracion_ms, metodo, operacion, ruta, recurso_id, organismo_solicitante, " +
        "funcionario_run, procedimiento, transaccion_id, trace_id, sujeto, status, resultado, tipo_problema, proveedor) FROM STDIN (FORMAT BINARY)";

    private readonly Channel<RegistroDeTraza> _canal;
    private readonly NpgsqlDataSource _fuente;
    private readonly OpcionesTrazas _opciones;
    private readonly Metricas _metricas;
    private readonly ILogger<EscritorDeTrazas> _log;
    private readonly CancellationTokenSource _espera = new();
    private readonly CancellationTokenSource _abandonar = new();
    private long _descartadas;
    private long _ultimoAviso;
    private Task? _bucle;

    public EscritorDeTrazas(NpgsqlDataSource fuente, IOptions<OpcionesInteroperabilidad> opciones, Metricas metricas, ILogger<EscritorDeTrazas> log)
    {
        _fuente = fuente;
        _opciones = opciones.Value.Trazas;
        _metricas = metricas;
        _log = log;
        _canal = Channel.CreateBounded<RegistroDeTraza>(new BoundedChannelOptions(_opciones.Capacidad)
        {
            SingleReader = true,
            // TryWrite answers false when full, rather than blocking or silently dropping.
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>Traces written since start (for the tests and the log).</summary>
    public long Escritas => Interlocked.Read(ref _escritas);

    private long _escritas;

    public void Registrar(RegistroDeTraza traza)
    {
        if (_canal.Writer.TryWrite(traza)) return;
        Interlocked.Increment(ref _descartadas);
        _metricas.TrazasDescartadas(1);
        // One line a minute at most: a full buffer under load would otherwise flood the log.
        var ahora = Environment.TickCount64;
        var ultimo = Interlocked.Read(ref _ultimoAviso);
        if (ahora - ultimo > 60_000 && Interlocked.CompareExchange(ref _ultimoAviso, ahora, ultimo) == ultimo)
            BuferLleno(_log, _opciones.Capacidad, Interlocked.Read(ref _descartadas));
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _bucle = Task.Run(BucleAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>
    /// After the server has drained (hosted services stop in reverse order, the server first): no more traces come,
    /// so the channel is closed and everything in it written. If the grace period runs out first, what is left is
    /// counted as lost and logged.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _canal.Writer.TryComplete();
        await _espera.CancelAsync();
        if (_bucle is null) return;
        try
        {
            await _bucle.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            await _abandonar.CancelAsync();
            await _bucle;
        }
    }

    private async Task BucleAsync()
    {
        await AsegurarParticionesAsync(CancellationToken.None);
        var lote = new List<RegistroDeTraza>(_opciones.Lote);
        var lector = _canal.Reader;
        while (await lector.WaitToReadAsync())
        {
            while (lote.Count < _opciones.Lote && lector.TryRead(out var t)) lote.Add(t);
            var lleno = lote.Count == _opciones.Lote;
            await EscribirAsync(lote);
            lote.Clear();
            if (lleno || _espera.IsCancellationRequested) continue;
            try
            {
                await Task.Delay(_opciones.Intervalo, _espera.Token);
            }
            catch (OperationCanceledException)
            {
                // Stopping: write what is left at once.
            }
        }
    }

    /// <summary>Until it is written, or the stop's grace period is over.</summary>
    private async Task EscribirAsync(List<RegistroDeTraza> lote)
    {
        var espera = TimeSpan.FromMilliseconds(500);
        for (var intento = 1; ; intento++)
        {
            try
            {
                await CopiarAsync(lote, _abandonar.Token);
                Interlocked.Add(ref _escritas, lote.Count);
                if (intento > 1) Recuperado(_log, lote.Count, intento);
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.CheckViolation && intento == 1)
            {
                // "no partition of relation found for row": a month without its partition yet (the clock ran ahead of
                // the scheduled task). Created, then the batch again.
                await AsegurarParticionesAsync(_abandonar.Token);
            }
            catch (PostgresException e) when (e.SqlState.StartsWith("22", StringComparison.Ordinal))
            {
                // A value PostgreSQL refuses would be refused forever: the batch is lost, said and counted.
                Descartado(_log, e, lote.Count);
                _metricas.TrazasDescartadas(lote.Count);
                return;
            }
            catch (Exception e) when (!_abandonar.IsCancellationRequested)
            {
                if (intento == 1) Reintento(_log, e, lote.Count);
                try
                {
                    await Task.Delay(espera, _abandonar.Token);
                }
                catch (OperationCanceledException)
                {
                }

                espera = TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(30).Ticks, espera.Ticks * 2));
            }
            catch (Exception e)
            {
                Perdidas(_log, e, lote.Count + _canal.Reader.Count);
                _metricas.TrazasDescartadas(lote.Count);
                return;
            }
        }
    }

    private async Task CopiarAsync(List<RegistroDeTraza> lote, CancellationToken ct)
    {
        await using var conexion = await _fuente.OpenConnectionAsync(ct);
        await using var copia = await conexion.BeginBinaryImportAsync(Copiar, ct);
        var proveedor = _opciones.CodigoProveedor;
        foreach (var t in lote)
        {
            await copia.StartRowAsync(ct);
            await copia.WriteAsync(t.OcurridaEn.ToUniversalTime(), NpgsqlDbType.TimestampTz, ct);
            await copia.WriteAsync(t.DuracionMs, NpgsqlDbType.Integer, ct);
            await copia.WriteAsync(t.Metodo, NpgsqlDbType.Varchar, ct);
            await Texto(copia, t.Operacion, ct);
            await Texto(copia, t.Ruta, ct);
            await Texto(copia, t.RecursoId, ct);
            await Texto(copia, t.OrganismoSolicitante, ct);
            await Texto(copia, t.FuncionarioRun, ct);
            await Texto(copia, t.Procedimiento, ct);
            await copia.WriteAsync(t.TransaccionId, NpgsqlDbType.Varchar, ct);
            await Texto(copia, t.TraceId, ct);
            await Texto(copia, t.Sujeto, ct);
            await copia.WriteAsync((short)t.Status, NpgsqlDbType.Smallint, ct);
            await copia.WriteAsync(t.Status < 400 ? Traza.Exito : Traza.Error, NpgsqlDbType.Varchar, ct);
            await Texto(copia, t.TipoProblema, ct);
            await copia.WriteAsync(proveedor, NpgsqlDbType.Varchar, ct);
        }

        await copia.CompleteAsync(ct);
    }

    private static Task Texto(NpgsqlBinaryImporter copia, string? valor, CancellationToken ct) =>
        valor is null ? copia.WriteNullAsync(ct) : copia.WriteAsync(valor, NpgsqlDbType.Varchar, ct);

    private async Task AsegurarParticionesAsync(CancellationToken ct)
    {
        try
        {
            await using var conexion = await _fuente.OpenConnectionAsync(ct);
            await MantenimientoDeTrazas.AsegurarAsync(conexion, _opciones.MesesAdelantados, ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            // The database may be down at start: the scheduled task and the next failed batch try again.
            SinParticiones(_log, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "El búfer de trazas ({Capacidad}) está lleno: las trazas nuevas se descartan ({Descartadas} desde el inicio). ¿La base de datos responde?")]
    private static partial void BuferLleno(ILogger log, int capacidad, long descartadas);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No se pudo escribir un lote de {Filas} trazas; se reintenta.")]
    private static partial void Reintento(ILogger log, Exception e, int filas);

    [LoggerMessage(Level = LogLevel.Information, Message = "Lote de {Filas} trazas escrito al intento {Intento}.")]
    private static partial void Recuperado(ILogger log, int filas, int intento);

    [LoggerMessage(Level = LogLevel.Error, Message = "Un lote de {Filas} trazas tiene un valor que PostgreSQL no admite y se descartó.")]
    private static partial void Descartado(ILogger log, Exception e, int filas);

    [LoggerMessage(Level = LogLevel.Error, Message = "La instancia se detuvo sin poder escribir {Filas} trazas (Apagado:Gracia agotado).")]
    private static partial void Perdidas(ILogger log, Exception e, int filas);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No se pudieron crear las particiones mensuales de las trazas; se reintenta más tarde.")]
    private static partial void SinParticiones(ILogger log, Exception e);
}
