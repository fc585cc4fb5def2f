using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using CompromisosApi.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CompromisosApi.IntegrationTests;

/// <summary>
/// Issue 17, who is calling and a trace of every transaction: the Red de Interoperabilidad's headers (validated,
/// echoed, the token's RUN winning), one trace row per request whatever its outcome, under load and across a graceful
/// stop, the monthly partitions and their retention, and the administradores' list and daily export.
/// </summary>
public abstract class PruebaDeTrazas(ApiFactory factory) : PruebaApi(factory)
{
    protected const string Organismo = "X-Organismo-Solicitante";
    protected const string Run = "X-Funcionario-Run";
    protected const string Procedimiento = "X-Procedimiento";
    protected const string Transaccion = "X-Transaccion-Id";

    protected static string NuevoId(string prefijo = "t") => $"{prefijo}-{Guid.NewGuid():N}";

    protected static HttpRequestMessage Pedido(HttpMethod metodo, string ruta, IReadOnlyDictionary<string, string>? encabezados = null, object? cuerpo = null)
    {
        var m = new HttpRequestMessage(metodo, ruta);
        if (cuerpo is not null) m.Content = JsonContent.Create(cuerpo);
        foreach (var (k, v) in encabezados ?? new Dictionary<string, string>()) m.Headers.TryAddWithoutValidation(k, v);
        return m;
    }

    /// <summary>The rows of a transaction id, read as the tables' owner (the test's own SQL), once there are <paramref name="esperadas"/>.</summary>
    protected async Task<List<Dictionary<string, object?>>> TrazasAsync(string transaccion, int esperadas = 1)
    {
        List<Dictionary<string, object?>> filas = [];
        await Feed.EsperarAsync(async () => (filas = await LeerAsync(Factory.ConnectionString, transaccion)).Count >= esperadas,
            () => $"{filas.Count} trazas de {transaccion}, se esperaban {esperadas}");
        // Whatever else was buffered has had its time too: a second row would be there by now.
        await Task.Delay(400);
        return await LeerAsync(Factory.ConnectionString, transaccion);
    }

    protected static async Task<List<Dictionary<string, object?>>> LeerAsync(string conexion, string transaccion)
    {
        await using var c = new NpgsqlConnection(conexion);
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT * FROM trazas WHERE transaccion_id = $1 ORDER BY id", c);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = transaccion });
        await using var r = await cmd.ExecuteReaderAsync();
        var filas = new List<Dictionary<string, object?>>();
        while (await r.ReadAsync())
        {
            filas.Add(Enumerable.Range(0, r.FieldCount).ToDictionary(r.GetName, i => r.IsDBNull(i) ? null : r.GetValue(i)));
        }

        return filas;
    }

    protected static async Task<long> ContarAsync(string conexion, string prefijo)
    {
        await using var c = new NpgsqlConnection(conexion);
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT count(*) FROM trazas WHERE transaccion_id LIKE $1 || '%'", c);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = prefijo });
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    protected static string EcoDe(HttpResponseMessage r) => Assert.Single(r.Headers.GetValues(Transaccion));
}
