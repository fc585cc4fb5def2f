using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CompromisosApi.Domain;
using CompromisosApi.Features.Demo;
using CompromisosApi.IntegrationTests.Infrastructure;
using CompromisosApi.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CompromisosApi.IntegrationTests;

/// <summary>
/// Timeliness (issue 18): each compromiso's oportunidad and GET /estadisticas/oportunidad against hand-computed
/// histories, and the tipo and categoriaDesempeno groupings of both statistics. The record of the hand-computed cases,
/// built through the API (dates are cortes; "corr." is an administrator's correction, registered after everything else):
///
/// | c | programa (categoría) | tipo                  | vence   | history                                   | at 2012-12-31                 |
/// |---|----------------------|-----------------------|---------|-------------------------------------------|-------------------------------|
/// | a | P1 (MalDesempeno)    | SistemasDeInformacion | 2010-06 | Cumplido 2010-06-30                       | 2010-06-30, on time, 0        |
/// | b | P1                   | SistemasDeInformacion | 2010-06 | NoCumplido 2010-06-30, Cumplido 2011-12-31 | 2011-12-31, late, 18          |
/// | c | P1                   | —                     | 2010-12 | Cumplido 2011-06-30                       | 2011-06-30, late, 6           |
/// | d | P1                   | Coordinacion          | 2010-06 | ParcialmenteCumplido 2010-12-31           | never met: null; vencido      |
/// | e | P2 (none)            | —                     | 2010-06 | Cancelado 2011-06-30                      | null; cancelado               |
/// | f | P2                   | —                     | 2010-06 | Cumplido 2011-12-31, corr. Cumplido 2010-06-30 | 2010-06-30, on time, 0 (before the corr.: 2011-12-31, 18) |
/// | g | P2                   | Coordinacion          | 2010-12 | Cumplido 2010-12-31, corr. NoCumplido 2010-12-31 | null; vencido (before the corr.: on time) |
/// | h | P2                   | Coordinacion          | 2011-12 | Cumplido 2010-12-31 (ahead of its month)  | 2010-12-31, on time, 0        |
///
/// and P3 (BuenDesempeno) without compromisos.
/// </summary>
public sealed class OportunidadTests(ApiFactory factory) : PruebaApi(factory)
{
    private sealed record Registro(Dictionary<char, int> C, DateTimeOffset AntesDeCorregir);

    private async Task<Registro> RegistroAsync()
    {
        var servicio = await Escenario.ServicioAsync();
        var p1 = await Escenario.RecomendacionAsync(await ProgramaAsync(servicio, "P1", "MalDesempeno"));
        var p2 = await Escenario.RecomendacionAsync(await ProgramaAsync(servicio, "P2", null));
        await ProgramaAsync(servicio, "P3", "BuenDesempeno");
        var c = new Dictionary<char, int>
        {
            ['a'] = await CompromisoAsync(p1, "2010-06", "SistemasDeInformacion"),
            ['b'] = await CompromisoAsync(p1, "2010-06", "SistemasDeInformacion"),
            ['c'] = await CompromisoAsync(p1, "2010-12", null),
            ['d'] = await CompromisoAsync(p1, "2010-06", "Coordinacion"),
            ['e'] = await CompromisoAsync(p2, "2010-06", null),
            ['f'] = await CompromisoAsync(p2, "2010-06", null),
            ['g'] = await CompromisoAsync(p2, "2010-12", "Coordinacion"),
            ['h'] = await CompromisoAsync(p2, "2011-12", "Coordinacion"),
        };
        await Escenario.CalificarOkAsync(c['a'], "Cumplido", "2010-06-30");
        await Escenario.CalificarOkAsync(c['b'], "NoCumplido", "2010-06-30");
        await Escenario.CalificarOkAsync(c['b'], "Cumplido", "2011-12-31");
        await Escenario.CalificarOkAsync(c['c'], "Cumplido", "2011-06-30");
        await Escenario.CalificarOkAsync(c['d'], "ParcialmenteCumplido", "2010-12-31");
        await Escenario.CalificarOkAsync(c['e'], "Cancelado", "2011-06-30", "Se descontinuó.");
        await Escenario.CalificarOkAsync(c['g'], "Cumplido", "2010-12-31");
        await Escenario.CalificarOkAsync(c['h'], "Cumplido", "2010-12-31");
        await Escenario.CalificarOkAsync(c['f'], "Cumplido", "2011-12-31");
        var antes = (DateTimeOffset)(await Escenario.LeerAsync($"/api/v1/compromisos/{c['f']}/calificaciones"))["items"]![0]!["registradaEn"]!;

        await Escenario.Esperar(await Cliente.PostAsJsonAsync($"/api/v1/compromisos/{c['f']}/correcciones",
            new { calificacion = "Cumplido", fecha = "2010-06-30", motivo = "El servicio acreditó el cumplimiento en 2010." }), HttpStatusCode.Created);
        await Escenario.Esperar(await Cliente.PostAsJsonAsync($"/api/v1/compromisos/{c['g']}/correcciones",
            new { calificacion = "NoCumplido", fecha = "2010-12-31", motivo = "El medio de verificación no acreditaba el cumplimiento." }), HttpStatusCode.Created);
        return new(c, antes);
    }

    private async Task<int> ProgramaAsync(int servicioId, string nombre, string? categoria) =>
        (int)(await Escenario.CrearAsync("/api/v1/programas",
            new { nombre, servicioId, anioEvaluacion = 2008, lineaEvaluacion = "EPG", categoriaDesempeno = categoria }))["id"]!;

    private async Task<int> CompromisoAsync(int recomendacionId, string vence, string? tipo) =>
        (int)(await Escenario.CrearAsync($"/api/v1/recomendaciones/{recomendacionId}/compromisos",
            new { texto = "Compromiso " + vence, fechaVencimiento = vence, tipo }))["id"]!;

    private static string Oportunidad(JsonNode compromiso)
    {
        var o = compromiso["oportunidad"]!;
        return $"{(string?)o["cumplidoEn"] ?? "null"} {o["aTiempo"]?.ToJsonString() ?? "null"} {o["mesesDeAtraso"]?.ToJsonString() ?? "null"}";
    }

    private async Task<string> OportunidadAsync(int id, string consulta = "") => Oportunidad(await Escenario.LeerAsync($"/api/v1/compromisos/{id}{consulta}"));

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

    private static string Grupo(JsonNode g) =>
        $"total {g["total"]} cumplidos {g["cumplidos"]} a tiempo {g["cumplidosATiempo"]} {g["porcentajeATiempo"]?.ToJsonString() ?? "null"} " +
        $"mediana {g["medianaMesesDeAtraso"]?.ToJsonString() ?? "null"} cancelados {g["cancelados"]} vencidos {g["vencidosSinCumplir"]}";

    private async Task<List<string>> GruposAsync(string consulta) =>
        (await Escenario.LeerAsync("/api/v1/estadisticas/oportunidad?" + consulta))["grupos"]!.AsArray()
            .Select(g => $"{(string?)g!["tipo"] ?? (string?)g["categoriaDesempeno"] ?? "null"} {g["nombre"]} | {Grupo(g)}").ToList();

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

    /// <summary>
    /// cumplidoEn by the domain rule (Oportunidad.CumplidoAlCorte), the EF reads (AlCorte.ComoEstaban, the mapped SQL
    /// function) and the SQL function cumplido_al_corte, on histories only corrections or legacy imports produce, read at a
    /// cut-off and as known after each step; and meses_de_atraso against Oportunidad.MesesDeAtrasoDe.
    /// </summary>
    [Fact]
    public async Task La_regla_la_consulta_y_la_funcion_sql_dicen_lo_mismo()
    {
        // (history in registration order, cut-off or null for the current record, expected cumplidoEn)
        (string, string?, string?)[] casos =
        [
            ("", null, null),
            ("Cumplido@2009-12-31", null, "2009-12-31"),
            ("Cumplido@2009-12-31", "2009-06-30", null),
            ("NoCumplido@2009-12-31 Cumplido@2010-12-31", "2010-12-31", "2010-12-31"),
            ("NoCumplido@2009-12-31 Cumplido@2010-12-31", "2010-06-30", null),
            ("Cumplido@2011-12-31 Cumplido@2010-06-30", null, "2010-06-30"),
            ("Cumplido@2011-12-31 Cumplido@2010-06-30", "2010-06-30", "2010-06-30"),
            ("Cumplido@2009-12-31 NoCumplido@2009-12-31", null, null),
            ("Cumplido@2009-12-31 NoCumplido@2010-06-30 Cumplido@2010-12-31", "2010-06-30", null),
            ("Cumplido@2009-12-31 NoCumplido@2010-06-30 Cumplido@2010-12-31", "2010-12-31", "2009-12-31"),
            ("Cumplido@2009-12-31 Cancelado@2011-12-31", null, null),
            ("Cumplido@2009-12-31 Cancelado@2011-12-31", "2010-12-31", "2009-12-31"),
            ("Cumplido@2010-12-31 NoCumplido@2009-12-31", "2010-12-31", null),
            ("NoCumplido@2009-12-31 Cumplido@2010-12-31 Cumplido@2009-06-30", "2009-12-31", "2009-06-30"),
            ("NoCumplido@2009-12-31 Cumplido@2010-12-31 Cumplido@2009-06-30", null, "2009-06-30"),
        ];
        var (_, r, _) = await Escenario.CompromisoPendienteAsync("2009-12");
        await using var conexion = new NpgsqlConnection(Factory.ConnectionString);
        await conexion.OpenAsync();
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CompromisosDbContext>();
        var origen = DateTimeOffset.UtcNow.AddHours(1);
        foreach (var (historial, corte, esperado) in casos)
        {
            var id = (int)(await Escenario.CompromisoAsync(r, "2009-12"))["id"]!;
            var pasos = await HistoriaDirecta.EscribirAsync(conexion, id, historial, origen);

            var d = corte is null ? (DateOnly?)null : DateOnly.Parse(corte, CultureInfo.InvariantCulture);
            var filas = await db.Calificaciones.AsNoTracking().Where(k => k.CompromisoId == id).ToListAsync();
            foreach (var t in Enumerable.Range(0, pasos).Select(i => (DateTimeOffset?)origen.AddHours(i).AddMinutes(30)).Append(null))
            {
                var caso = $"[{historial}] al {corte} conocido al {t:O}";
                var conocidas = filas.Where(k => t is null || k.RegistradaEn <= t).ToList();
                var regla = Domain.Oportunidad.CumplidoAlCorte(conocidas, d ?? DateOnly.MaxValue);
                if (t is null) Assert.True(Fecha(regla) == esperado, $"regla {caso}: {Fecha(regla)}");

                // The current record (no cut-off, nothing narrowed) is the stored calificación: written straight into the
                // table here, so it is only compared when a cut-off or an instant is asked.
                if (d is not null || t is not null)
                {
                    var consulta = await db.Compromisos.AsNoTracking().Where(c => c.Id == id).ComoEstaban(db, new Momento(d, t)).SingleAsync();
                    Assert.True(regla == consulta.CumplidoEn, $"consulta {caso}: {Fecha(consulta.CumplidoEn)}, regla {Fecha(regla)}");
                }

                await using var funcion = new NpgsqlCommand("SELECT cumplido_al_corte($1, $2, $3)", conexion)
                {
                    Parameters =
                    {
                        new() { Value = id },
                        new() { Value = (object?)d ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Date },
                        new() { Value = (object?)t ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz },
                    },
                };
                var sql = await funcion.ExecuteScalarAsync() is DateOnly f ? f : (DateOnly?)null;
                Assert.True(regla == sql, $"sql {caso}: {Fecha(sql)}, regla {Fecha(regla)}");
            }
        }

        (string Vence, string? Cumplido, int? Meses)[] meses =
            [("2009-12", "2009-12-31", 0), ("2009-12", "2009-06-30", 0), ("2009-12", "2010-01-31", 1), ("2010-06", "2011-12-31", 18), ("2009-12", null, null)];
        foreach (var (vence, cumplido, esperado) in meses)
        {
            var fv = DateOnly.ParseExact(vence + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture);
            var ce = cumplido is null ? (DateOnly?)null : DateOnly.Parse(cumplido, CultureInfo.InvariantCulture);
            Assert.Equal(esperado, Domain.Oportunidad.MesesDeAtrasoDe(fv, ce));
            Assert.Equal(esperado is null ? null : esperado == 0, Domain.Oportunidad.De(fv, ce).ATiempo);
            await using var sql = new NpgsqlCommand("SELECT meses_de_atraso($1, $2)", conexion)
            {
                Parameters = { new() { Value = fv }, new() { Value = (object?)ce ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Date } },
            };
            Assert.Equal(esperado, await sql.ExecuteScalarAsync() is int m ? m : null);
        }

        static string? Fecha(DateOnly? f) => f?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }
}
