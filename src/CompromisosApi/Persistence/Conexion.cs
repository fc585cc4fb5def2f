using System.Data.Common;
using Npgsql;

namespace CompromisosApi.Persistence;

/// <summary>
/// The service's one connection pool: EF Core and the evidence store lease from the same <see cref="NpgsqlDataSource"/>,
/// so its Maximum Pool Size is all this instance can ever open, and <see cref="PresupuestoDeConexiones"/> can check
/// at start that the instances together fit in PostgreSQL's max_connections.
/// </summary>
public static class Conexion
{
    /// <summary>
    /// Npgsql's default (100) is PostgreSQL's default max_connections: one instance could take every connection.
    /// </summary>
    public const int MaximoPorDefecto = 40;

    /// <summary>
    /// Named, so that the pool's metrics (db_client_connection_* on the anonymous /metrics) are labelled "compromisos"
    /// and not by the connection string, whose host, port, role and database an outsider need not read.
    /// </summary>
    public static NpgsqlDataSource CrearFuente(IConfiguration config) =>
        new NpgsqlDataSourceBuilder(Preparar(config)) { Name = "compromisos" }.Build();

    /// <summary>
    /// With PostgreSQL down a request must fail fast (503 with Retry-After) rather than hold a thread for Npgsql's
    /// default 15 s: the connect timeout is <c>Database:SegundosParaConectar</c> (default 2). Settings the connection
    /// string names explicitly are kept.
    /// </summary>
    public static string Preparar(IConfiguration config)
    {
        var cadena = config.GetConnectionString("Compromisos")
            ?? throw new InvalidOperationException("Falta la cadena de conexión ConnectionStrings:Compromisos.");
        // Not Max Auto Prepare: it made simple reads ~15 % faster, but after a statement failed at bind (a NUL character
        // from the fuzz test) the connection answered the next request with the previous one's rows (Npgsql
        // "unexpected backend message DataRow", cf. npgsql/npgsql#6391). bench/RESULTS.md has the measurements.
        var b = new NpgsqlConnectionStringBuilder(cadena) { Timeout = config.GetValue("Database:SegundosParaConectar", 2) };
        var nombradas = Nombradas(cadena);
        // Every request leases a pooled connection, and by default Npgsql resets it with DISCARD ALL: one more statement
        // for PostgreSQL per request. The service keeps no session state (its advisory locks are all transaction-level,
        // and a connection goes back to the pool with its transaction ended), so the reset is skipped unless the
        // connection string asks for it (bench/RESULTS.md).
        if (!nombradas.Contains("resetonclose")) b.NoResetOnClose = true;
        if (!nombradas.Contains("maxpoolsize") && !nombradas.Contains("maximumpoolsize")) b.MaxPoolSize = MaximoPorDefecto;
        // A burst leaves idle connections behind; Npgsql's default keeps them open for 5 minutes, holding PostgreSQL
        // backends other instances may need. Closed after 10 s idle instead (sampled every 2 s).
        if (!nombradas.Contains("connectionidlelifetime"))
        {
            b.ConnectionIdleLifetime = 10;
            if (!nombradas.Contains("connectionpruninginterval")) b.ConnectionPruningInterval = 2;
        }

        // Operators find the service's backends in pg_stat_activity by name.
        if (!nombradas.Contains("applicationname")) b.ApplicationName = "compromisos-api";
        return b.ConnectionString;
    }

    /// <summary>The keywords the connection string sets itself, lower case and without spaces (Npgsql's own spelling rule).</summary>
    private static HashSet<string> Nombradas(string cadena)
    {
        var crudo = new DbConnectionStringBuilder { ConnectionString = cadena };
        return crudo.Keys.Cast<string>().Select(k => k.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant()).ToHashSet();
    }
}

/// <summary>
/// Write transactions in progress, bounded to a part of the pool. A writer holds its connection for the whole
/// transaction, including while it waits for the outbox counter that orders writers' commits (<see cref="Bandeja"/>):
/// at a cut-off's burst, writers queued there took every pooled connection, and reads, which need one for a few
/// milliseconds, waited for one until the connect timeout and were answered 503 (bench/RESULTS.md). Past the limit a
/// writer waits here, holding no connection, so reads always find one; past <see cref="EsperaSegundos"/> it is
/// answered 503 with Retry-After, nothing written. <c>Database:ConexionesDeEscritura</c>, by default half of what the
/// pool leaves after the transfers' connections (Transferencias:Conexiones).
/// </summary>
public sealed class LimiteDeEscrituras : IDisposable
{
    /// <summary>As long as a statement may wait for PostgreSQL (Npgsql's command timeout).</summary>
    public const int EsperaSegundos = 30;

    private readonly SemaphoreSlim _permisos;

    public LimiteDeEscrituras(NpgsqlDataSource fuente, IConfiguration config, Microsoft.Extensions.Options.IOptions<Common.OpcionesTransferencias> transferencias)
    {
        var pool = new NpgsqlConnectionStringBuilder(fuente.ConnectionString).MaxPoolSize;
        Permisos = config.GetValue<int?>("Database:ConexionesDeEscritura") ?? Math.Max(1, (pool - transferencias.Value.Conexiones) / 2);
        if (Permisos < 1 || Permisos + transferencias.Value.Conexiones >= pool)
        {
            throw new InvalidOperationException(
                $"Database:ConexionesDeEscritura ({Permisos}) debe ser al menos 1 y, con Transferencias:Conexiones ({transferencias.Value.Conexiones}), " +
                $"menor que Maximum Pool Size ({pool}): el resto del pool es de las lecturas.");
        }

        _permisos = new SemaphoreSlim(Permisos, Permisos);
    }

    public int Permisos { get; }

    /// <summary>Waits for a write transaction's turn; disposing the result gives it back (after the transaction ends).</summary>
    public async Task<IDisposable> TomarAsync(CancellationToken ct)
    {
        if (!await _permisos.WaitAsync(TimeSpan.FromSeconds(EsperaSegundos), ct))
        {
            throw new Common.ProblemaHttpException(StatusCodes.Status503ServiceUnavailable, Common.TiposDeProblema.ServicioSaturado, "Servicio saturado",
                "El servicio tiene el máximo de escrituras en curso; nada se escribió. Reintente en unos segundos.") { ReintentarEnSegundos = 5 };
        }

        return new Common.PermisoDeSemaforo(_permisos);
    }

    public void Dispose() => _permisos.Dispose();
}
