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
        var b = new NpgsqlConnectionStringBuilder(cadena) { Timeout = config.GetValue("Database:SegundosParaConectar", 2) };
        // The service sends a few dozen distinct statements, again and again: prepared on each pooled connection,
        // PostgreSQL parses and plans them once (bench/RESULTS.md). A connection string that sets its own value wins.
        if (!cadena.Contains("Auto Prepare", StringComparison.OrdinalIgnoreCase)) b.MaxAutoPrepare = 64;
        return b.ConnectionString;
    }
}
