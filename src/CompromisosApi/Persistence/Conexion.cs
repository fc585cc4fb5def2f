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
