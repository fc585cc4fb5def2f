using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CompromisosApi.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace CompromisosApi.IntegrationTests;

/// <summary>The reporting calendar, the rules that tie the record to it, and the work lists per corte.</summary>
public sealed class CortesTests(ApiFactory factory) : PruebaApi(factory)
{
    private static readonly TimeZoneInfo Chile = TimeZoneInfo.FindSystemTimeZoneById("America/Santiago");

    [Fact]
    public async Task El_calendario_da_cada_corte_con_su_plazo()
    {
        var cortes = (await Escenario.LeerAsync("/api/v1/cortes?desde=2009-01-01&hasta=2010-12-31"))["items"]!.AsArray();
        Assert.Equal(
            ["2009-06-30/2009-07-15", "2009-12-31/2010-01-15", "2010-06-30/2010-07-15", "2010-12-31/2011-01-15"],
            cortes.Select(c => $"{c!["fecha"]}/{c["plazoReporte"]}"));
        Assert.Single((await Escenario.LeerAsync("/api/v1/cortes?desde=2009-07-01&hasta=2009-12-31"))["items"]!.AsArray());

        // Without bounds: the current year's (in Chile).
        var hoy = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Chile).DateTime);
        var delAnio = (await Escenario.LeerAsync("/api/v1/cortes"))["items"]!.AsArray();
        Assert.Equal([$"{hoy.Year}-06-30", $"{hoy.Year}-12-31"], delAnio.Select(c => (string)c!["fecha"]!));

        await Problemas.Validacion(await Cliente.GetAsync("/api/v1/cortes?desde=2010-01-01&hasta=2009-12-31"), "hasta");
        await Problemas.Validacion(await Cliente.GetAsync("/api/v1/cortes?desde=2009-02-30"), "desde");
    }

    [Fact]
    public async Task El_corte_actual_es_el_ultimo_hasta_hoy_en_Chile()
    {
        var hoy = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Chile).DateTime);
        var esperado = new[] { new DateOnly(hoy.Year, 12, 31), new DateOnly(hoy.Year, 6, 30), new DateOnly(hoy.Year - 1, 12, 31) }.First(c => c <= hoy);
        var actual = await Escenario.LeerAsync("/api/v1/cortes/actual");
        Assert.Equal(esperado.ToString("yyyy-MM-dd"), (string?)actual["fecha"]);
        Assert.Equal(esperado.AddDays(15).ToString("yyyy-MM-dd"), (string?)actual["plazoReporte"]);
    }

    [Fact]
    public async Task El_calendario_se_configura()
    {
        using var trimestral = Factory.WithWebHostBuilder(b => b
            .UseSetting("Calendario:Cortes:0", "03-31")
            .UseSetting("Calendario:Cortes:1", "09-30")
            .UseSetting("Calendario:DiasPlazoReporte", "10"));
        var cliente = trimestral.CreateClient().Autenticar(Tokens.Crear("ana", ["analista"]));
        var cortes = (await cliente.GetFromJsonAsync<JsonObject>("/api/v1/cortes?desde=2013-01-01&hasta=2013-12-31"))!["items"]!.AsArray();
        Assert.Equal(["2013-03-31/2013-04-10", "2013-09-30/2013-10-10"], cortes.Select(c => $"{c!["fecha"]}/{c["plazoReporte"]}"));

        var (_, _, c) = await Escenario.CompromisoPendienteAsync();
        await Problemas.Validacion(await cliente.PostAsJsonAsync($"/api/v1/compromisos/{c}/calificaciones", new { calificacion = "Cumplido", fecha = "2009-12-31" }), "fecha");
        await Escenario.Esperar(await cliente.PostAsJsonAsync($"/api/v1/compromisos/{c}/calificaciones", new { calificacion = "Cumplido", fecha = "2009-09-30" }), HttpStatusCode.Created);
    }

    [Fact]
    public async Task Reportes_medios_y_calificaciones_van_a_un_corte_del_calendario_salvo_importaciones()
    {
        var (_, _, c) = await Escenario.CompromisoPendienteAsync();
        await Problemas.Validacion(await Escenario.CalificarAsync(c, "NoCumplido", "2010-06-29"), "fecha");
        await Problemas.Validacion(await Cliente.PostAsJsonAsync($"/api/v1/compromisos/{c}/reportes", new { corte = "2010-01-15", texto = "Avance" }), "corte");
        await Problemas.Validacion(await Cliente.PostAsJsonAsync($"/api/v1/compromisos/{c}/medios-verificacion", new { corte = "2010-07-01", titulo = "Acta" }), "corte");
        await Problemas.Validacion(await Cliente.PostAsJsonAsync($"/api/v1/compromisos/{c}/correcciones",
            new { calificacion = "Cumplido", fecha = "2010-03-31", motivo = "Corrección" }), "fecha");
        await Escenario.CalificarOkAsync(c, "NoCumplido", "2010-06-30");

        // A legacy record keeps the dates it had.
        var doc = new JsonObject
        {
            ["ministerio"] = "Ministerio de Economía",
            ["servicio"] = new JsonObject { ["nombre"] = "Servicio de Cooperación Técnica", ["sigla"] = "SERCOTEC" },
            ["programa"] = new JsonObject { ["nombre"] = "Programa antiguo", ["anioEvaluacion"] = 2005, ["lineaEvaluacion"] = "EPG" },
            ["recomendaciones"] = new JsonArray(new JsonObject
            {
                ["numero"] = 1,
                ["texto"] = "Recomendación",
                ["compromisos"] = new JsonArray(new JsonObject
                {
                    ["numero"] = "1.1",
                    ["texto"] = "Compromiso",
                    ["fechaVencimiento"] = "2006-03",
                    ["reportes"] = new JsonArray(new JsonObject { ["corte"] = "2006-03-31", ["texto"] = "Informe trimestral" }),
                    ["mediosVerificacion"] = new JsonArray(new JsonObject { ["corte"] = "2006-03-31", ["titulo"] = "Oficio" }),
                    ["calificaciones"] = new JsonArray(new JsonObject { ["calificacion"] = "Cumplido", ["fecha"] = "2006-04-15" }),
                }),
            }),
        };
        await Escenario.Esperar(await Cliente.PostAsJsonAsync("/api/v1/importaciones", doc), HttpStatusCode.Created);
    }

    /// <summary>
    /// Servicio A, programa PA: c1 due 2009-06, c2 2009-12, c3 2010-06, c4 2009-06 Cumplido at 2009-06-30, c5 2009-12
    /// Cancelado at 2009-12-31 (reported then), c6 2009-12 reported and NoCumplido at 2009-12-31. Servicio B, programa PB:
    /// c7 due 2009-06, never reported; c8 and c9 reported at 2009-12-31 and qualified only at 2010-06-30 (Cumplido and
    /// NoCumplido). At 2010-06-30, c1 and c3 are reported and c1 is qualified ParcialmenteCumplido.
    /// </summary>
    private async Task<Dictionary<string, int>> FixtureAsync()
    {
        var sA = await Escenario.ServicioAsync("Ministerio de Agricultura", "INDAP");
        var sB = await Escenario.ServicioAsync("Ministerio de Educación", "JUNAEB");
        var rA = await Escenario.RecomendacionAsync(await Escenario.ProgramaAsync(sA, "PA"));
        var rB = await Escenario.RecomendacionAsync(await Escenario.ProgramaAsync(sB, "PB"));
        var ids = new Dictionary<string, int> { ["A"] = sA, ["B"] = sB };
        foreach (var (n, r, mes) in new[]
                 {
                     ("c1", rA, "2009-06"), ("c2", rA, "2009-12"), ("c3", rA, "2010-06"), ("c4", rA, "2009-06"), ("c5", rA, "2009-12"),
                     ("c6", rA, "2009-12"), ("c7", rB, "2009-06"), ("c8", rB, "2009-12"), ("c9", rB, "2009-12"),
                 })
        {
            ids[n] = (int)(await Escenario.CompromisoAsync(r, mes))["id"]!;
        }

        async Task Reporte(string n, string corte) =>
            await Escenario.CrearAsync($"/api/v1/compromisos/{ids[n]}/reportes", new { corte, texto = $"Avance de {n}" });

        await Escenario.CalificarOkAsync(ids["c4"], "Cumplido", "2009-06-30");
        await Reporte("c2", "2009-12-31");
        await Reporte("c5", "2009-12-31");
        await Escenario.CalificarOkAsync(ids["c5"], "Cancelado", "2009-12-31");
        await Reporte("c6", "2009-12-31");
        await Escenario.CalificarOkAsync(ids["c6"], "NoCumplido", "2009-12-31");
        await Reporte("c8", "2009-12-31");
        await Reporte("c9", "2009-12-31");
        await Escenario.CalificarOkAsync(ids["c8"], "Cumplido", "2010-06-30");
        await Escenario.CalificarOkAsync(ids["c9"], "NoCumplido", "2010-06-30");
        await Reporte("c1", "2010-06-30");
        await Reporte("c3", "2010-06-30");
        await Escenario.CalificarOkAsync(ids["c1"], "ParcialmenteCumplido", "2010-06-30");
        return ids;
    }

    private async Task<List<int>> IdsAsync(string ruta) =>
        (await Escenario.LeerAsync(ruta))["items"]!.AsArray().Select(c => (int)c!["id"]!).ToList();

    private static List<int> De(Dictionary<string, int> ids, params string[] nombres) => nombres.Select(n => ids[n]).ToList();

    [Fact]
    public async Task Pendientes_de_un_servicio_por_corte()
    {
        var ids = await FixtureAsync();
        var a = ids["A"];

        Assert.Equal(De(ids, "c1"), await IdsAsync($"/api/v1/servicios/{a}/pendientes?corte=2009-06-30"));
        Assert.Equal(De(ids, "c1"), await IdsAsync($"/api/v1/servicios/{a}/pendientes?corte=2009-12-31"));
        Assert.Equal(De(ids, "c2", "c6"), await IdsAsync($"/api/v1/servicios/{a}/pendientes?corte=2010-06-30"));
        Assert.Equal(De(ids, "c7"), await IdsAsync($"/api/v1/servicios/{ids["B"]}/pendientes?corte=2009-12-31"));
        // By default, the current corte: nobody has reported for it yet.
        Assert.Equal(De(ids, "c1", "c2", "c3", "c6"), await IdsAsync($"/api/v1/servicios/{a}/pendientes"));

        var pagina = await Escenario.LeerAsync($"/api/v1/servicios/{a}/pendientes?limit=3");
        Assert.Equal(De(ids, "c1", "c2", "c3"), pagina["items"]!.AsArray().Select(c => (int)c!["id"]!).ToList());
        Assert.Equal(De(ids, "c6"), await IdsAsync($"/api/v1/servicios/{a}/pendientes?limit=3&cursor={pagina["nextCursor"]}"));
        Assert.All(pagina["items"]!.AsArray(), c => Assert.True((bool)c!["vencido"]!));

        await Problemas.Validacion(await Cliente.GetAsync($"/api/v1/servicios/{a}/pendientes?corte=2010-06-29"), "corte");
        await Problemas.AfirmarAsync(await Cliente.GetAsync("/api/v1/servicios/999999/pendientes"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Por_calificar_en_un_corte()
    {
        var ids = await FixtureAsync();

        Assert.Equal(De(ids, "c2"), await IdsAsync("/api/v1/cortes/2009-12-31/por-calificar"));
        Assert.Equal(De(ids, "c3"), await IdsAsync("/api/v1/cortes/2010-06-30/por-calificar"));
        Assert.Empty(await IdsAsync("/api/v1/cortes/2009-06-30/por-calificar"));
        var item = (await ClienteAnonimo().GetFromJsonAsync<JsonObject>("/api/v1/cortes/2009-12-31/por-calificar"))!["items"]![0]!;
        Assert.Equal("2009-12", (string?)item["fechaVencimiento"]);

        // Once qualified at that corte, it leaves the list.
        await Escenario.CalificarOkAsync(ids["c2"], "Cumplido", "2009-12-31");
        Assert.Empty(await IdsAsync("/api/v1/cortes/2009-12-31/por-calificar"));

        await Problemas.AfirmarAsync(await Cliente.GetAsync("/api/v1/cortes/2009-12-30/por-calificar"), HttpStatusCode.NotFound, "urn:compromisos:no-encontrado");
        await Problemas.Validacion(await Cliente.GetAsync("/api/v1/cortes/2009-13-31/por-calificar"), "fecha");
        await Problemas.Validacion(await Cliente.GetAsync("/api/v1/cortes/2009-12-31/por-calificar?limit=0"), "limit");
    }

    [Fact]
    public async Task Las_listas_de_trabajo_son_una_consulta_por_pagina()
    {
        var ids = await FixtureAsync();
        using (var contador = new ContadorDeConsultas(Factory.BaseDeDatos))
        {
            await IdsAsync($"/api/v1/servicios/{ids["A"]}/pendientes?corte=2010-06-30");
            // The servicio's existence, then the page.
            Assert.Equal(2, contador.Consultas);
        }

        using (var contador = new ContadorDeConsultas(Factory.BaseDeDatos))
        {
            await IdsAsync("/api/v1/cortes/2009-12-31/por-calificar");
            Assert.Equal(1, contador.Consultas);
        }
    }

    [Fact]
    public async Task Egreso_propuesto_cuando_todo_esta_cumplido_o_cancelado()
    {
        var vacio = await Escenario.ProgramaAsync(nombre: "Sin compromisos");
        var p = await Escenario.ProgramaAsync(await Escenario.ServicioAsync("Ministerio de Hacienda", "DIPRES"), "Con compromisos");
        var r = await Escenario.RecomendacionAsync(p);
        var c1 = (int)(await Escenario.CompromisoAsync(r, "2009-12"))["id"]!;
        var c2 = (int)(await Escenario.CompromisoAsync(r, "2010-06"))["id"]!;

        Assert.Null((await Escenario.LeerAsync($"/api/v1/programas/{p}"))["egresoPropuesto"]);
        await Escenario.CalificarOkAsync(c1, "Cumplido", "2009-12-31");
        await Escenario.CalificarOkAsync(c2, "ParcialmenteCumplido", "2010-06-30");
        Assert.Null((await Escenario.LeerAsync($"/api/v1/programas/{p}"))["egresoPropuesto"]);
        await Escenario.CalificarOkAsync(c2, "Cancelado", "2010-12-31", "El programa se descontinuó.");

        var (programa, etag) = await Escenario.LeerConEtagAsync($"/api/v1/programas/{p}");
        Assert.Equal("2010-12-31", (string?)programa["egresoPropuesto"]!["fecha"]);
        Assert.Equal("EnSeguimiento", (string?)programa["estado"]);
        var lista = (await Escenario.LeerAsync("/api/v1/programas"))["items"]!.AsArray();
        Assert.Equal("2010-12-31", (string?)lista.Single(x => (int)x!["id"]! == p)!["egresoPropuesto"]!["fecha"]);
        Assert.Null(lista.Single(x => (int)x!["id"]! == vacio)!["egresoPropuesto"]);

        // The egreso takes that date, and then nothing is proposed any more.
        var egreso = await Cliente.PostAsJsonAsync($"/api/v1/programas/{p}/egreso", new { });
        await Escenario.Esperar(egreso, HttpStatusCode.OK);
        var egresado = (await egreso.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("2010-12-31", (string?)egresado["fechaEgreso"]);
        Assert.Null(egresado["egresoPropuesto"]);
        Assert.Null((await Escenario.LeerAsync($"/api/v1/programas/{p}"))["egresoPropuesto"]);
        Assert.NotNull(etag);
    }
}
