using System.Net;
using System.Text.Json.Nodes;
using CompromisosApi.Features.Eventos;
using CompromisosApi.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace CompromisosApi.IntegrationTests;

public sealed class TrabajoDeVencidosTests(ApiFactory factory) : PruebaApi(factory)
{
    private async Task<List<JsonObject>> VencidosAsync() =>
        (await Feed.TodosAsync(Cliente)).Where(e => (string)e["type"]! == "compromiso.vencido").ToList();

    [Fact]
    public async Task Emite_un_compromiso_vencido_por_compromiso_una_vez_tambien_con_dos_instancias()
    {
        var p = await Escenario.ProgramaAsync();
        var r = await Escenario.RecomendacionAsync(p);
        var vencido = (int)(await Escenario.CompromisoAsync(r, "2009-12"))["id"]!;
        var futuro = (int)(await Escenario.CompromisoAsync(r, "2099-12"))["id"]!;
        var cumplido = (int)(await Escenario.CompromisoAsync(r, "2010-06"))["id"]!;
        var parcial = (int)(await Escenario.CompromisoAsync(r, "2010-12"))["id"]!;
        await Escenario.CalificarOkAsync(cumplido, "Cumplido", "2010-06-30");
        await Escenario.CalificarOkAsync(parcial, "ParcialmenteCumplido", "2010-12-31");

        // Two instances, three passes at once, then again: each compromiso is told once.
        await using var otra = Factory.WithWebHostBuilder(_ => { });
        var detectores = new[] { Factory.Services.GetRequiredService<DetectorDeVencidos>(), otra.Services.GetRequiredService<DetectorDeVencidos>() };
        var emitidos = await Task.WhenAll(detectores[0].EjecutarAsync(default), detectores[1].EjecutarAsync(default), detectores[1].EjecutarAsync(default));
        Assert.Equal(2, emitidos.Sum() + await detectores[0].EjecutarAsync(default) + await detectores[1].EjecutarAsync(default));

        var eventos = await VencidosAsync();
        Assert.Equal(new[] { vencido, parcial }, eventos.Select(e => (int)e["data"]!["id"]!).Order());
        Assert.All(eventos, EventosTests.AfirmarCloudEvent);
        var primero = eventos.Single(e => (int)e["data"]!["id"]! == vencido);
        Assert.Equal($"compromisos/{vencido}", (string?)primero["subject"]);
        Assert.Equal(p, (int)primero["programaid"]!);
        Assert.Equal("2009-12", (string?)primero["data"]!["fechaVencimiento"]);
        Assert.Equal("Pendiente", (string?)primero["data"]!["calificacion"]);
        Assert.Equal("1.1", (string?)primero["data"]!["numero"]);
        _ = futuro;

        // Qualified afterwards: nothing new. A new overdue compromiso: one more.
        await Escenario.CalificarOkAsync(parcial, "Cumplido", "2011-06-30");
        Assert.Equal(0, await detectores[0].EjecutarAsync(default));
        var nuevo = (int)(await Escenario.CompromisoAsync(r, "2009-06"))["id"]!;
        Assert.Equal(1, await detectores[1].EjecutarAsync(default));
        Assert.Equal(new[] { vencido, parcial, nuevo }, (await VencidosAsync()).Select(e => (int)e["data"]!["id"]!).Order());
    }

    [Fact]
    public async Task El_servicio_programado_detecta_vencidos_y_borra_claves_de_idempotencia_expiradas()
    {
        var (_, _, c) = await Escenario.CompromisoPendienteAsync("2009-12");
        await Feed.EscalarAsync(Factory.ConnectionString, """
            WITH x AS (INSERT INTO claves_idempotencia (sujeto, clave, huella, estado, encabezados, cuerpo, creada_en, expira_en)
                VALUES ('ana', 'vieja', repeat('0', 64), 201, '{}', '', now() - interval '2 days', now() - interval '1 day') RETURNING 1)
            SELECT count(*) FROM x
            """);

        await using var programada = Factory.WithWebHostBuilder(b =>
        {
            b.UseSetting("TareasProgramadas:Habilitado", "true");
            b.UseSetting("TareasProgramadas:Intervalo", "00:00:00.100");
        });
        _ = programada.Server;
        await Feed.EsperarAsync(async () => (await VencidosAsync()).Any(e => (int)e["data"]!["id"]! == c), "compromiso.vencido emitido por el servicio programado", 10);
        await Feed.EsperarAsync(async () => await Feed.EscalarAsync(Factory.ConnectionString, "SELECT count(*) FROM claves_idempotencia") == 0, "claves expiradas borradas", 10);
        Assert.Single(await VencidosAsync());
        Assert.Equal(HttpStatusCode.OK, (await Cliente.GetAsync("/api/v1/eventos")).StatusCode);
    }
}
