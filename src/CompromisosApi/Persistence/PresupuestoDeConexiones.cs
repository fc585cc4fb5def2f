using Npgsql;

namespace CompromisosApi.Persistence;

/// <summary>
/// At start, the pools of every instance plus a reserve (administrators, migrations, monitoring, replication) must fit
/// in what PostgreSQL accepts: a configuration that can't hold stops the service at once, rather than showing up as
/// refused connections in the middle of a cut-off's burst.
/// </summary>
public static class PresupuestoDeConexiones
{
    public static async Task VerificarAsync(IServiceProvider servicios, CancellationToken ct)
    {
        var fuente = servicios.GetRequiredService<NpgsqlDataSource>();
        var config = servicios.GetRequiredService<IConfiguration>();
        var log = servicios.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(PresupuestoDeConexiones));
        var porInstancia = new NpgsqlConnectionStringBuilder(fuente.ConnectionString).MaxPoolSize;
        var instancias = config.GetValue("Database:Instancias", 1);
        var reserva = config.GetValue("Database:ConexionesDeReserva", 10);
        if (instancias < 1 || reserva < 0) throw new InvalidOperationException("Database:Instancias debe ser al menos 1 y Database:ConexionesDeReserva no negativo.");
        var deTransferencias = servicios.GetRequiredService<Microsoft.Extensions.Options.IOptions<Common.OpcionesTransferencias>>().Value.Conexiones;
        if (deTransferencias >= porInstancia)
        {
            throw new InvalidOperationException(
                $"Transferencias:Conexiones ({deTransferencias}) debe ser menor que Maximum Pool Size ({porInstancia}): el resto del pool es de las solicitudes ordinarias.");
        }

        // Checks its own share of the pool (Database:ConexionesDeEscritura) now, not at the first write.
        servicios.GetRequiredService<LimiteDeEscrituras>();

        int maximo, reservadas;
        try
        {
            await using var conexion = await fuente.OpenConnectionAsync(ct);
            await using var consulta = new NpgsqlCommand(
                "SELECT current_setting('max_connections')::int, current_setting('superuser_reserved_connections')::int " +
                "+ coalesce(current_setting('reserved_connections', true)::int, 0)", conexion);
            await using var lector = await consulta.ExecuteReaderAsync(ct);
            await lector.ReadAsync(ct);
            (maximo, reservadas) = (lector.GetInt32(0), lector.GetInt32(1));
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            // The service starts without its database and recovers when it comes back (503 meanwhile).
            log.LogWarning("No se pudo verificar el presupuesto de conexiones: PostgreSQL no responde ({Error}).", e.Message);
            return;
        }

        var disponibles = maximo - reservadas;
        var necesarias = porInstancia * instancias + reserva;
        if (necesarias > disponibles)
        {
            throw new InvalidOperationException(
                $"Las conexiones no caben en PostgreSQL: {instancias} instancia(s) × Maximum Pool Size {porInstancia} + reserva {reserva} = {necesarias}, " +
                $"pero max_connections {maximo} − {reservadas} reservadas deja {disponibles}. Baje Maximum Pool Size en la cadena de conexión, " +
                "ajuste Database:Instancias o Database:ConexionesDeReserva, o suba max_connections.");
        }

        log.LogInformation(
            "Conexiones: {Instancias} instancia(s) × {PorInstancia} + reserva {Reserva} = {Necesarias} de {Disponibles} disponibles (max_connections {Maximo}).",
            instancias, porInstancia, reserva, necesarias, disponibles, maximo);
    }
}
