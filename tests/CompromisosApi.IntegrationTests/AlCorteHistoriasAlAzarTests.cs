using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CompromisosApi.Features.Demo;
using CompromisosApi.IntegrationTests.Infrastructure;
using CsCheck;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit.Abstractions;

namespace CompromisosApi.IntegrationTests;

/// <summary>Random histories read at random cut-offs and instants: every read tells the Informe's story.</summary>
public sealed class AlCorteHistoriasAlAzarTests(ApiFactory factory) : PruebaApi(factory)
{
    /// <summary>
    /// The Informe (JSON and text) as produced at a cut-off, without what only a reading as known at an instant prints
    /// (its conocidoAl), so that one produced then and one read as known then can be compared.
    /// </summary>
    private async Task<string> InformeSinInstanteAsync(int programa, string corte, DateTimeOffset? conocidoAl)
    {
        var ruta = $"/api/v1/programas/{programa}/informe?alCorte={corte}" + (conocidoAl is { } t ? "&conocidoAl=" + Relato.Instante(t) : "");
        var json = (JsonObject)JsonNode.Parse(await Cliente.GetStringAsync(ruta))!;
        Assert.Equal(conocidoAl is null ? null : json["conocidoAl"]?.GetValue<DateTimeOffset>(), conocidoAl);
        json.Remove("conocidoAl");
        var texto = (await Cliente.GetStringAsync(ruta + "&formato=texto")).Split('\n')
            .Where(l => !l.StartsWith("Registro conocido al:", StringComparison.Ordinal));
        return json.ToJsonString() + "\n" + string.Join('\n', texto);
    }

    private static readonly string[] Cortes = ["2009-06-30", "2009-12-31", "2010-06-30", "2010-12-31", "2011-06-30", "2011-12-31"];
    private static readonly string[] Calificaciones = ["ParcialmenteCumplido", "NoCumplido", "Cumplido", "Cancelado"];

    /// <summary>
    /// Random histories (calificaciones, reportes, egreso, reapertura, a correction possibly dated before the
    /// calificación it replaces), read at random cut-offs: every read tells the Informe's story. At points of the
    /// history the Informe of every cut-off is kept as it was produced then; at the end, read as known at each of those
    /// instants, each is the same again (and every other read agrees with it).
    /// </summary>
    [Fact]
    public async Task En_historias_al_azar_cada_lectura_cuenta_lo_que_el_informe()
    {
        var admin = ClienteCon("admin-alcorte", ["administrador"]);
        var casos = int.TryParse(Environment.GetEnvironmentVariable("ALCORTE_CASOS"), out var n) ? n : 12;
        await Gen.Int.SampleAsync(
            async semilla =>
            {
                await Factory.ResetAsync();
                var azar = new Random(semilla);
                var servicio = await Escenario.ServicioAsync();
                var p = await Escenario.ProgramaAsync(servicio);
                var reportes = new List<(int Compromiso, DateOnly Corte)>();
                var compromisos = new List<int>();
                var recuerdos = new List<(DateTimeOffset Instante, List<(int, DateOnly)> Reportes, Dictionary<string, string> Informes)>();

                // Every write before this instant has answered, and none runs until the reads below are done.
                async Task RecordarAsync()
                {
                    var instante = DateTimeOffset.UtcNow;
                    var informes = new Dictionary<string, string>();
                    foreach (var d in Cortes) informes[d] = await InformeSinInstanteAsync(p, d, null);
                    recuerdos.Add((instante, reportes.ToList(), informes));
                }

                for (var rec = 0; rec < 2; rec++)
                {
                    var r = await Escenario.RecomendacionAsync(p);
                    for (var i = azar.Next(1, 3); i > 0; i--)
                    {
                        var vence = new DateOnly(2009, 6, 1).AddMonths(azar.Next(0, 36));
                        var c = (int)(await Escenario.CompromisoAsync(r, vence.ToString("yyyy-MM", CultureInfo.InvariantCulture)))["id"]!;
                        compromisos.Add(c);
                        var corte = azar.Next(0, Cortes.Length);
                        for (var paso = azar.Next(0, 4); paso > 0 && corte < Cortes.Length; paso--, corte += azar.Next(0, 3))
                        {
                            var cal = Calificaciones[azar.Next(Calificaciones.Length)];
                            await Escenario.CalificarOkAsync(c, cal, Cortes[corte], cal == "Cancelado" ? "Sin presupuesto." : null);
                            if (cal is "Cumplido" or "Cancelado") break;
                        }

                        foreach (var corteReporte in Cortes.Where(_ => azar.Next(4) == 0))
                        {
                            await Escenario.CrearAsync($"/api/v1/compromisos/{c}/reportes", new { corte = corteReporte, texto = "Avance." });
                            reportes.Add((c, DateOnly.Parse(corteReporte, CultureInfo.InvariantCulture)));
                        }
                    }
                }

                // Egreso when possible; then, sometimes, a reapertura with a correction and a new egreso.
                await RecordarAsync();
                var egreso = await Cliente.PostAsJsonAsync($"/api/v1/programas/{p}/egreso", new { });
                if (egreso.IsSuccessStatusCode && azar.Next(2) == 0)
                {
                    await RecordarAsync();
                    await Escenario.Esperar(await admin.PostAsJsonAsync($"/api/v1/programas/{p}/reapertura", new { motivo = "Revisión." }), HttpStatusCode.OK);
                    await RecordarAsync();
                    var c = compromisos[azar.Next(compromisos.Count)];
                    await Escenario.Esperar(await admin.PostAsJsonAsync($"/api/v1/compromisos/{c}/correcciones",
                        new { calificacion = Calificaciones[azar.Next(Calificaciones.Length)], fecha = Cortes[azar.Next(Cortes.Length)], motivo = "Error." }), HttpStatusCode.Created);
                    if (azar.Next(2) == 0)
                    {
                        await RecordarAsync();
                        await Cliente.PostAsJsonAsync($"/api/v1/programas/{p}/egreso", new { });
                    }
                }

                foreach (var d in new[] { Cortes[azar.Next(Cortes.Length)], Cortes[azar.Next(Cortes.Length)], "2010-03-15", "2012-12-31" })
                    await Relato.AfirmarAsync(Escenario, Cliente, p, servicio, DateOnly.Parse(d, CultureInfo.InvariantCulture), reportes);

                foreach (var (instante, conocidos, informes) in recuerdos)
                {
                    foreach (var (d, entonces) in informes)
                        Assert.Equal(entonces, await InformeSinInstanteAsync(p, d, instante));
                    var corte = Cortes[azar.Next(Cortes.Length)];
                    await Relato.AfirmarAsync(Escenario, Cliente, p, servicio, DateOnly.Parse(corte, CultureInfo.InvariantCulture), conocidos, instante);
                }
            },
            iter: casos,
            threads: 1);
    }
}
