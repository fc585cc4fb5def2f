using Npgsql;

namespace CompromisosApi.Persistence;

public static class Conexion
{
    /// <summary>
    /// With PostgreSQL down a request must fail fast (503 with Retry-After) rather than hold a thread for Npgsql's
    /// default 15 s: the connect timeout is <c>Database:SegundosParaConectar</c> (default 2).
    /// </summary>
    public static string Preparar(IConfiguration config)
    {
        var cadena = config.GetConnectionString("Compromisos")
            ?? throw new InvalidOperationException("Falta la cadena de conexión ConnectionStrings:Compromisos.");
        // Not Max Auto Prepare: it made simple reads ~15 % faster, but after a statement failed at bind (a NUL character
        // from the fuzz test) the connection answered the next request with the previous one's rows (Npgsql
        // "unexpected backend message DataRow", cf. npgsql/npgsql#6391). bench/RESULTS.md has the measurements.
        var b = new NpgsqlConnectionStringBuilder(cadena) { Timeout = config.GetValue("Database:SegundosParaConectar", 2) };
        // Every request leases a pooled connection, and by default Npgsql resets it with DISCARD ALL: one more statement
        // for PostgreSQL per request. The service keeps no session state (its advisory locks are all transaction-level,
        // and a connection goes back to the pool with its transaction ended), so the reset is skipped unless the
        // connection string asks for it (bench/RESULTS.md).
        if (!cadena.Contains("Reset On Close", StringComparison.OrdinalIgnoreCase)) b.NoResetOnClose = true;
        return b.ConnectionString;
    }
}
