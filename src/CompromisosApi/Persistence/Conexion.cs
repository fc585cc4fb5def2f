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
        return new NpgsqlConnectionStringBuilder(cadena) { Timeout = config.GetValue("Database:SegundosParaConectar", 2) }.ConnectionString;
    }
}
