using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using CompromisosApi.Features.Demo;
using CompromisosApi.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CompromisosApi.IntegrationTests;

/// <summary>GET /estadisticas/oportunidad and the tipo and categoriaDesempeno groupings of both statistics.</summary>
public sealed class OportunidadEstadisticasTests(ApiFactory factory) : PruebaDeOportunidad(factory)
{
    [Fact]
    public async Task Estadisticas_de_oportunidad_por_tipo_categoria_y_ministerio()
    {
        var r = await RegistroAsync();

        Assert.Equal(
        [
            "Coordinacion Coordinación | total 3 cumplidos 1 a tiempo 1 100.0 mediana 0.0 cancelados 0 vencidos 2",
            "SistemasDeInformacion Sistemas de información | total 2 cumplidos 2 a tiempo 1 50.0 mediana 9.0 cancelados 0 vencidos 0",
            "null Sin clasificar | total 3 cumplidos 2 a tiempo 1 50.0 mediana 3.0 cancelados 1 vencidos 0",
        ], await GruposAsync("agruparPor=tipo&alCorte=2012-12-31"));

        Assert.Equal(
        [
            "BuenDesempeno Buen Desempeño | total 0 cumplidos 0 a tiempo 0 null mediana null cancelados 0 vencidos 0",
            "MalDesempeno Mal Desempeño | total 4 cumplidos 3 a tiempo 1 33.3 mediana 6.0 cancelados 0 vencidos 1",
            "null No registrada | total 4 cumplidos 2 a tiempo 2 100.0 mediana 0.0 cancelados 1 vencidos 1",
        ], await GruposAsync("agruparPor=categoriaDesempeno&alCorte=2012-12-31"));

        Assert.Equal(["null Ministerio de Agricultura | total 8 cumplidos 5 a tiempo 3 60.0 mediana 0.0 cancelados 1 vencidos 2"],
            await GruposAsync("alCorte=2012-12-31"));
        // Without alCorte: the current record, vencidos today (every due month has passed), the same figures.
        Assert.Equal(["null Ministerio de Agricultura | total 8 cumplidos 5 a tiempo 3 60.0 mediana 0.0 cancelados 1 vencidos 2"],
            await GruposAsync("agruparPor=ministerio"));
        // In the past: a, f and h met, on time; b, c, d, e and g vencidos.
        Assert.Equal(["null Ministerio de Agricultura | total 8 cumplidos 3 a tiempo 3 100.0 mediana 0.0 cancelados 0 vencidos 5"],
            await GruposAsync("agruparPor=ministerio&alCorte=2010-12-31"));
        // As known before the corrections: a 0, b 18, c 6, f 18, g 0, h 0 → median (0 + 6) / 2; only d vencido.
        var antes = Uri.EscapeDataString(r.AntesDeCorregir.ToString("O", CultureInfo.InvariantCulture));
        Assert.Equal(["null Ministerio de Agricultura | total 8 cumplidos 6 a tiempo 3 50.0 mediana 3.0 cancelados 1 vencidos 1"],
            await GruposAsync("agruparPor=ministerio&conocidoAl=" + antes));

        var cuerpo = await Escenario.LeerAsync("/api/v1/estadisticas/oportunidad?agruparPor=anio&anio=2008&alCorte=2012-12-31");
        Assert.Equal("anio", (string?)cuerpo["agruparPor"]);
        Assert.Equal(2008, (int)cuerpo["anio"]!);
        Assert.Equal("2012-12-31", (string?)cuerpo["alCorte"]);
        Assert.Equal(2008, (int)cuerpo["grupos"]![0]!["anioEvaluacion"]!);
        Assert.Empty((await Escenario.LeerAsync("/api/v1/estadisticas/oportunidad?anio=2007"))["grupos"]!.AsArray());

        var mala = await Cliente.GetAsync("/api/v1/estadisticas/oportunidad?agruparPor=prioridad");
        Assert.Equal(HttpStatusCode.BadRequest, mala.StatusCode);
    }

    /// <summary>The new groupings of GET /estadisticas/cumplimiento, on the same record, at 2012-12-31.</summary>
    [Fact]
    public async Task Cumplimiento_por_tipo_y_por_categoria_de_desempeno()
    {
        await RegistroAsync();

        static string Linea(JsonNode g)
        {
            var c = g["porCalificacion"]!;
            return $"{(string?)g["tipo"] ?? (string?)g["categoriaDesempeno"] ?? "null"} {g["nombre"]} | {c["pendiente"]} {c["cumplido"]} " +
                $"{c["parcialmenteCumplido"]} {c["noCumplido"]} {c["cancelado"]} | total {g["total"]} vencidos {g["vencidos"]} exigibles {g["exigibles"]} " +
                $"| seguimiento {g["programasEnSeguimiento"]} egresados {g["programasEgresados"]} | {g["porcentajeCumplimiento"]?.ToJsonString() ?? "null"}";
        }

        async Task<List<string>> Lineas(string agruparPor) =>
            (await Escenario.LeerAsync($"/api/v1/estadisticas/cumplimiento?agruparPor={agruparPor}&alCorte=2012-12-31"))["grupos"]!.AsArray()
                .Select(g => Linea(g!)).ToList();

        // Coordinacion: d Parcialmente, g NoCumplido, h Cumplido (due 2011-12, exigible). Sistemas: a, b Cumplido.
        // Sin clasificar: c, f Cumplido, e Cancelado. A programa counts in each tipo it has compromisos of; P3 in none.
        Assert.Equal(
        [
            "Coordinacion Coordinación | 0 1 1 1 0 | total 3 vencidos 2 exigibles 3 | seguimiento 2 egresados 0 | 33.3",
            "SistemasDeInformacion Sistemas de información | 0 2 0 0 0 | total 2 vencidos 0 exigibles 2 | seguimiento 1 egresados 0 | 100.0",
            "null Sin clasificar | 0 2 0 0 1 | total 3 vencidos 0 exigibles 3 | seguimiento 2 egresados 0 | 100.0",
        ], await Lineas("tipo"));

        Assert.Equal(
        [
            "BuenDesempeno Buen Desempeño | 0 0 0 0 0 | total 0 vencidos 0 exigibles 0 | seguimiento 1 egresados 0 | null",
            "MalDesempeno Mal Desempeño | 0 3 1 0 0 | total 4 vencidos 1 exigibles 4 | seguimiento 1 egresados 0 | 75.0",
            "null No registrada | 0 2 0 1 1 | total 4 vencidos 1 exigibles 4 | seguimiento 1 egresados 0 | 66.7",
        ], await Lineas("categoriaDesempeno"));
    }
}
