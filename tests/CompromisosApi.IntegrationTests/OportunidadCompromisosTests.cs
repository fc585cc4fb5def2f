using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CompromisosApi.Features.Demo;
using CompromisosApi.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CompromisosApi.IntegrationTests;

/// <summary>Each compromiso's oportunidad: the seed's, and the hand-computed cases' (<see cref="PruebaDeOportunidad"/>).</summary>
public sealed class OportunidadCompromisosTests(ApiFactory factory) : PruebaDeOportunidad(factory)
{
    /// <summary>The seed (the demo record): four compromisos due Diciembre 2009 and Cumplido 31-12-2009, on time; 1.2 Cancelado.</summary>
    [Fact]
    public async Task La_semilla_cumplio_a_tiempo_cuatro_compromisos_y_cancelo_uno()
    {
        int p;
        await using (var scope = Factory.Services.CreateAsyncScope())
            p = await scope.ServiceProvider.GetRequiredService<DemoSeeder>().CargarAsync(CancellationToken.None);

        string[] esperado =
        [
            "1.1 2009-12-31 true 0", "1.2 null null null", "2.1 2009-12-31 true 0", "3.1 2009-12-31 true 0", "4.1 2009-12-31 true 0",
        ];
        foreach (var consulta in new[] { "", "&alCorte=2009-12-31", "&alCorte=2011-12-31" })
        {
            var lista = (await Escenario.LeerAsync($"/api/v1/compromisos?programaId={p}{consulta}"))["items"]!.AsArray();
            Assert.Equal(esperado, lista.Select(c => $"{c!["numero"]} {Oportunidad(c)}"));
            foreach (var c in lista)
                Assert.Equal(Oportunidad(c!), await OportunidadAsync((int)c!["id"]!, consulta.Length == 0 ? "" : "?" + consulta[1..]));
        }

        // Before its cut-off nothing was met yet.
        var junio = (await Escenario.LeerAsync($"/api/v1/compromisos?programaId={p}&alCorte=2009-06-30"))["items"]!.AsArray();
        Assert.All(junio, c => Assert.Equal("null null null", Oportunidad(c!)));

        // 3.1 carries the demo's correction (same calificación and date): it was met on 31-12-2009 as known before it too.
        var c31 = (int)(await Escenario.LeerAsync($"/api/v1/compromisos?programaId={p}"))["items"]!.AsArray().Single(c => (string?)c!["numero"] == "3.1")!["id"]!;
        var t0 = (string)(await Escenario.LeerAsync($"/api/v1/compromisos/{c31}/calificaciones"))["items"]![0]!["registradaEn"]!;
        Assert.Equal("2009-12-31 true 0", await OportunidadAsync(c31, "?alCorte=2009-12-31&conocidoAl=" + Uri.EscapeDataString(t0)));

        var informe = (await Escenario.LeerAsync($"/api/v1/programas/{p}/informe"))["recomendaciones"]![0]!["compromisos"]!.AsArray();
        Assert.Equal(["2009-12-31 true 0", "null null null"], informe.Select(c => Oportunidad(c!)));

        Assert.Equal("total 5 cumplidos 4 a tiempo 4 100.0 mediana 0.0 cancelados 1 vencidos 0",
            Grupo((await Escenario.LeerAsync("/api/v1/estadisticas/oportunidad?alCorte=2011-12-31"))["grupos"]!.AsArray().Single()!));
        Assert.Equal("total 5 cumplidos 4 a tiempo 4 100.0 mediana 0.0 cancelados 0 vencidos 1",
            Grupo((await Escenario.LeerAsync("/api/v1/estadisticas/oportunidad?alCorte=2009-12-31"))["grupos"]!.AsArray().Single()!));
    }

    [Fact]
    public async Task Cada_compromiso_a_tiempo_tarde_nunca_cancelado_y_corregido()
    {
        var r = await RegistroAsync();
        async Task<string> Todos(string consulta) =>
            string.Join(" | ", await Task.WhenAll(r.C.OrderBy(x => x.Key).Select(async x => $"{x.Key} {await OportunidadAsync(x.Value, consulta)}")));

        var hoy = "a 2010-06-30 true 0 | b 2011-12-31 false 18 | c 2011-06-30 false 6 | d null null null | e null null null | " +
            "f 2010-06-30 true 0 | g null null null | h 2010-12-31 true 0";
        Assert.Equal(hoy, await Todos(""));
        Assert.Equal(hoy, await Todos("?alCorte=2012-12-31"));

        // In the past: b was NoCumplido and c Pendiente at 2010-12-31; f's correction (dated 2010-06-30) already counts
        // there; g's correction, dated 2010-12-31, too.
        Assert.Equal("a 2010-06-30 true 0 | b null null null | c null null null | d null null null | e null null null | " +
            "f 2010-06-30 true 0 | g null null null | h 2010-12-31 true 0", await Todos("?alCorte=2010-12-31"));
        Assert.Equal("a 2010-06-30 true 0 | b null null null | c null null null | d null null null | e null null null | " +
            "f 2010-06-30 true 0 | g null null null | h null null null", await Todos("?alCorte=2010-06-30"));

        // As known before the corrections: f was met late (2011-12-31), g on time.
        var antes = "?conocidoAl=" + Uri.EscapeDataString(r.AntesDeCorregir.ToString("O", CultureInfo.InvariantCulture));
        Assert.Equal("2011-12-31 false 18", await OportunidadAsync(r.C['f'], antes));
        Assert.Equal("2010-12-31 true 0", await OportunidadAsync(r.C['g'], antes));

        // The lists (by programa, by recomendación) carry the same object as the single read.
        var lista = (await Escenario.LeerAsync("/api/v1/compromisos?alCorte=2012-12-31"))["items"]!.AsArray();
        Assert.Equal(hoy, string.Join(" | ", r.C.OrderBy(x => x.Key).Select(x => $"{x.Key} {Oportunidad(lista.Single(c => (int)c!["id"]! == x.Value)!)}")));

        // A new due month changes the answer of a PUT at once: c due 2011-06 is on time.
        var (cuerpo, etag) = await Escenario.LeerConEtagAsync($"/api/v1/compromisos/{r.C['c']}");
        var put = await Cliente.SendAsync(Escenario.Put($"/api/v1/compromisos/{r.C['c']}",
            new { texto = (string)cuerpo["texto"]!, fechaVencimiento = "2011-06" }, etag));
        await Escenario.Esperar(put, HttpStatusCode.OK);
        Assert.Equal("2011-06-30 true 0", Oportunidad((await put.Content.ReadFromJsonAsync<JsonObject>())!));
    }
}
