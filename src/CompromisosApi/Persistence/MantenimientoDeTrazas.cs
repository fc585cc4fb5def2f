using Npgsql;

namespace CompromisosApi.Persistence;

/// <summary>
/// The trace's monthly partitions: created <see cref="OpcionesTrazas.MesesAdelantados"/> ahead, and the months older than
/// <see cref="OpcionesTrazas.MesesDeRetencion"/> dropped whole (no row-by-row DELETE). The runtime role owns no table, so
/// both run as functions of the tables' owner (SECURITY DEFINER, <c>Persistence/Sql/trazas.sql</c>) that the database
/// itself holds to their bounds: the retention can't go under 12 months whoever asks.
/// </summary>
public sealed class MantenimientoDeTrazas(NpgsqlDataSource fuente, IOptions<OpcionesInteroperabilidad> opciones) : ITareaProgramada
{
    public string Cuenta => "particiones de trazas creadas o eliminadas";

    public async Task<int> EjecutarAsync(CancellationToken ct)
    {
        var o = opciones.Value.Trazas;
        await using var conexion = await fuente.OpenConnectionAsync(ct);
        var creadas = await AsegurarAsync(conexion, o.MesesAdelantados, ct);
        await using var purgar = new NpgsqlCommand("SELECT trazas_purgar($1)", conexion);
        purgar.Parameters.Add(new NpgsqlParameter<int> { TypedValue = o.MesesDeRetencion });
        return creadas + (int)(await purgar.ExecuteScalarAsync(ct))!;
    }

    internal static async Task<int> AsegurarAsync(NpgsqlConnection conexion, int mesesAdelantados, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT trazas_asegurar_particiones($1)", conexion);
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = mesesAdelantados });
        return (int)(await cmd.ExecuteScalarAsync(ct))!;
    }
}
