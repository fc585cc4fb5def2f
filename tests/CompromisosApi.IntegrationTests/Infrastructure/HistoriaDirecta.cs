using Npgsql;

namespace CompromisosApi.IntegrationTests.Infrastructure;

/// <summary>
/// A history of calificaciones written straight into the table, so that its instants can be chosen and it can hold what
/// only corrections or legacy imports produce: "Cumplido@2009-12-31 NoCumplido@2009-12-31", in registration order, step i
/// registered at <c>origen</c> + i hours. The compromiso's stored calificación is left as it was.
/// </summary>
public static class HistoriaDirecta
{
    /// <summary>Writes the history; returns how many steps it had.</summary>
    public static async Task<int> EscribirAsync(NpgsqlConnection conexion, int compromisoId, string historial, DateTimeOffset origen)
    {
        var pasos = historial.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < pasos.Length; i++)
        {
            var (cal, fecha) = (pasos[i].Split('@')[0], pasos[i].Split('@')[1]);
            await using var insert = new NpgsqlCommand(
                "INSERT INTO calificaciones (compromiso_id, calificacion, fecha, registrada_en, registrada_por) VALUES ($1, $2, $3::date, $4, 'prueba')", conexion)
            {
                Parameters = { new() { Value = compromisoId }, new() { Value = cal }, new() { Value = fecha }, new() { Value = origen.AddHours(i) } },
            };
            await insert.ExecuteNonQueryAsync();
        }

        return pasos.Length;
    }
}
