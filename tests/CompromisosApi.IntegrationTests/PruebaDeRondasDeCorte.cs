using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CompromisosApi.IntegrationTests.Infrastructure;

namespace CompromisosApi.IntegrationTests;

/// <summary>
/// A whole cut-off in one request (issue 18): POST /cortes/{fecha}/calificaciones and /cortes/{fecha}/reportes, all or
/// nothing, every item held to the single operation's rules, each failing item listed with its own problem.
/// </summary>
public abstract class PruebaDeRondasDeCorte(ApiFactory factory) : PruebaApi(factory)
{
    protected const string Corte = "2009-12-31";
    protected const string Rechazada = "urn:compromisos:ronda-rechazada";

    protected static Task<HttpResponseMessage> CalificarCorteAsync(HttpClient c, object[] calificaciones, string corte = Corte, string? clave = null) =>
        c.SendAsync(Post($"/api/v1/cortes/{corte}/calificaciones", new { calificaciones }, clave));

    protected static Task<HttpResponseMessage> ReportarCorteAsync(HttpClient c, object[] reportes, string corte = Corte, string? clave = null) =>
        c.SendAsync(Post($"/api/v1/cortes/{corte}/reportes", new { reportes }, clave));

    private static HttpRequestMessage Post(string ruta, object cuerpo, string? clave)
    {
        var m = new HttpRequestMessage(HttpMethod.Post, ruta) { Content = JsonContent.Create(cuerpo, options: Escenario.Json) };
        if (clave is not null) m.Headers.TryAddWithoutValidation("Idempotency-Key", clave);
        return m;
    }

    protected static object Cal(int compromisoId, string calificacion, string? observacion = null) => new { compromisoId, calificacion, observacion };

    protected static object Rep(int compromisoId, string texto) => new { compromisoId, texto };

    private int? _servicio;
    private int _programas;
    private int _ultimoPrograma;

    protected async Task<List<int>> CompromisosAsync(int cantidad, int? servicioId = null, int anio = 2007)
    {
        servicioId ??= _servicio ??= await Escenario.ServicioAsync("Ministerio de las rondas", "Servicio de las rondas");
        _ultimoPrograma = await Escenario.ProgramaAsync(servicioId, $"Programa {++_programas}", anio);
        var r = await Escenario.RecomendacionAsync(_ultimoPrograma);
        var ids = new List<int>();
        for (var i = 0; i < cantidad; i++) ids.Add((int)(await Escenario.CompromisoAsync(r))["id"]!);
        return ids;
    }

    /// <summary>A compromiso Cumplido of a programa that egresó.</summary>
    protected async Task<int> CompromisoEgresadoAsync()
    {
        var id = (await CompromisosAsync(1))[0];
        await Escenario.CalificarOkAsync(id, "Cumplido", "2009-06-30");
        await Escenario.Esperar(await Cliente.PostAsJsonAsync($"/api/v1/programas/{_ultimoPrograma}/egreso", new { }), HttpStatusCode.OK);
        return id;
    }

    protected Task<long> ContarAsync(string sql) => Feed.EscalarAsync(Factory.ConnectionString, sql);

    protected static async Task<JsonObject> CuerpoAsync(HttpResponseMessage r) => (await r.Content.ReadFromJsonAsync<JsonObject>())!;

    /// <summary>The round's refusal: its status, and per failing item (in order) its index, compromiso, status and type.</summary>
    protected static async Task<JsonObject> AfirmarRechazoAsync(HttpResponseMessage r, HttpStatusCode status, string lista, params (int Indice, int CompromisoId, int Status, string Tipo)[] esperados)
    {
        var p = await Problemas.AfirmarAsync(r, status, Rechazada);
        var items = p["items"]!.AsArray().Select(x => x!.AsObject()).ToList();
        Assert.Equal(esperados.Length, items.Count);
        for (var k = 0; k < esperados.Length; k++)
        {
            var (indice, compromisoId, estado, tipo) = esperados[k];
            Assert.Equal(indice, (int)items[k]["indice"]!);
            Assert.Equal($"{lista}[{indice}]", (string?)items[k]["ruta"]);
            Assert.Equal(compromisoId, (int)items[k]["compromisoId"]!);
            Assert.Equal(estado, (int)items[k]["status"]!);
            Assert.Equal(tipo, (string?)items[k]["type"]);
            Assert.False(string.IsNullOrWhiteSpace((string?)items[k]["title"]));
            Assert.False(string.IsNullOrWhiteSpace((string?)items[k]["detail"]));
        }

        return p;
    }

    /// <summary>The audit trail survives the reset between tests (it is append-only): a test reads what came after its start.</summary>
    protected Task<long> UltimaAuditoriaAsync() => ContarAsync("SELECT coalesce(max(id), 0) FROM auditoria");

    protected async Task<List<(string Operacion, string Entidad, string EntidadId)>> AuditoriaDesdeAsync(long id)
    {
        await using var c = new Npgsql.NpgsqlConnection(Factory.ConnectionString);
        await c.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand($"SELECT operacion, entidad, entidad_id FROM auditoria WHERE id > {id} ORDER BY id", c);
        await using var lector = await cmd.ExecuteReaderAsync();
        var filas = new List<(string, string, string)>();
        while (await lector.ReadAsync()) filas.Add((lector.GetString(0), lector.GetString(1), lector.GetString(2)));
        return filas;
    }
}
