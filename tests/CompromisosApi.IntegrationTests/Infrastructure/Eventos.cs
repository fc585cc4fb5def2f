using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Npgsql;
using StandardWebhooks;

namespace CompromisosApi.IntegrationTests.Infrastructure;

/// <summary>Reads the event feed the way a polling system does.</summary>
public static class Feed
{
    public sealed record Pagina(List<JsonObject> Items, string NextCursor, bool HayMas);

    public static async Task<Pagina> LeerAsync(HttpClient cliente, string? desde = null, int limit = 200)
    {
        var r = await cliente.GetAsync($"/api/v1/eventos?limit={limit}" + (desde is null ? "" : "&desde=" + Uri.EscapeDataString(desde)));
        await Escenario.Esperar(r, HttpStatusCode.OK);
        var cuerpo = (await r.Content.ReadFromJsonAsync<JsonObject>())!;
        return new(cuerpo["items"]!.AsArray().Select(x => x!.AsObject()).ToList(), (string)cuerpo["nextCursor"]!, (bool)cuerpo["hayMas"]!);
    }

    /// <summary>Every event after <paramref name="desde"/>, page by page.</summary>
    public static async Task<List<JsonObject>> TodosAsync(HttpClient cliente, string? desde = null, int limit = 200)
    {
        var todos = new List<JsonObject>();
        while (true)
        {
            var p = await LeerAsync(cliente, desde, limit);
            todos.AddRange(p.Items);
            desde = p.NextCursor;
            if (!p.HayMas) return todos;
        }
    }

    /// <summary>Polls until the condition holds (bounded; no fixed sleeps).</summary>
    public static Task EsperarAsync(Func<Task<bool>> condicion, string que, int segundos = 20) =>
        EsperarAsync(condicion, () => que, segundos);

    /// <summary>The same, with what to say built only on failure (a process's log, say).</summary>
    public static async Task EsperarAsync(Func<Task<bool>> condicion, Func<string> que, int segundos = 20)
    {
        var limite = DateTime.UtcNow.AddSeconds(segundos);
        while (!await condicion())
        {
            if (DateTime.UtcNow > limite) throw new Xunit.Sdk.XunitException($"No ocurrió en {segundos} s: {que()}");
            await Task.Delay(25);
        }
    }

    public static async Task<long> EscalarAsync(string conexion, string sql)
    {
        await using var c = new NpgsqlConnection(conexion);
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, c);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>
/// A webhook receiver on 127.0.0.1 (HttpListener): answers each attempt with the status the test chooses, checks every
/// signature with the StandardWebhooks library, and processes each webhook-id once (de-duplication, as a receiver
/// of an at-least-once sender must).
/// </summary>
public sealed class ReceptorDeWebhooks : IAsyncDisposable
{
    public sealed record Intento(int Numero, string Id, string Cuerpo, string? ContentType, int Status, bool FirmaValida, string? Traceparent);

    private readonly HttpListener _listener = new();
    private readonly Task _bucle;
    private int _numero;
    private readonly ConcurrentDictionary<string, byte> _vistos = new();

    public ReceptorDeWebhooks(Func<int, int> status, TimeSpan? demora = null)
    {
        Status = status;
        Demora = demora ?? TimeSpan.Zero;
        for (var i = 0; ; i++)
        {
            Puerto = Puertos.Libre();
            _listener.Prefixes.Clear();
            _listener.Prefixes.Add($"http://127.0.0.1:{Puerto}/");
            try
            {
                _listener.Start();
                break;
            }
            catch (HttpListenerException) when (i < 5)
            {
            }
        }

        _bucle = Task.Run(AtenderAsync);
    }

    public int Puerto { get; }
    public string Url => $"http://127.0.0.1:{Puerto}/webhooks";
    public Func<int, int> Status { get; set; }
    public TimeSpan Demora { get; }
    public string? Secreto { get; set; }
    public ConcurrentQueue<Intento> Intentos { get; } = new();

    /// <summary>The events processed, once each, in the order they were processed.</summary>
    public ConcurrentQueue<JsonObject> Procesados { get; } = new();

    private async Task AtenderAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext ctx;
            try
            {
                ctx = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => AtenderUnoAsync(ctx));
        }
    }

    private async Task AtenderUnoAsync(HttpListenerContext ctx)
    {
        string cuerpo;
        using (var lector = new StreamReader(ctx.Request.InputStream, Encoding.UTF8)) cuerpo = await lector.ReadToEndAsync();
        var encabezados = new HeaderDictionary();
        foreach (var nombre in ctx.Request.Headers.AllKeys) encabezados[nombre!] = ctx.Request.Headers[nombre];
        var valida = false;
        try
        {
            new StandardWebhook(Secreto!).Verify(cuerpo, encabezados);
            valida = true;
        }
        catch (Exception)
        {
        }

        var numero = Interlocked.Increment(ref _numero);
        var status = Status(numero);
        var id = ctx.Request.Headers["webhook-id"] ?? "";
        if (Demora > TimeSpan.Zero) await Task.Delay(Demora);
        // Processed only on success, and only once per webhook-id.
        Intentos.Enqueue(new Intento(numero, id, cuerpo, ctx.Request.ContentType, status, valida, ctx.Request.Headers["traceparent"]));
        if (status is >= 200 and < 300 && valida && _vistos.TryAdd(id, 0)) Procesados.Enqueue(JsonNode.Parse(cuerpo)!.AsObject());
        ctx.Response.StatusCode = status;
        ctx.Response.Close();
    }


    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _bucle;
    }
}
