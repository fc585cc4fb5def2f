using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CompromisosApi.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace CompromisosApi.IntegrationTests;

/// <summary>
/// A whole cut-off in one request (issue 18): POST /cortes/{fecha}/calificaciones and /cortes/{fecha}/reportes, all or
/// nothing, every item held to the single operation's rules, each failing item listed with its own problem.
/// </summary>
public sealed class RondasDeCorteTests(ApiFactory factory) : PruebaApi(factory)
{
    private const string Corte = "2009-12-31";
    private const string Rechazada = "urn:compromisos:ronda-rechazada";

    private static Task<HttpResponseMessage> CalificarCorteAsync(HttpClient c, object[] calificaciones, string corte = Corte, string? clave = null) =>
        c.SendAsync(Post($"/api/v1/cortes/{corte}/calificaciones", new { calificaciones }, clave));

    private static Task<HttpResponseMessage> ReportarCorteAsync(HttpClient c, object[] reportes, string corte = Corte, string? clave = null) =>
        c.SendAsync(Post($"/api/v1/cortes/{corte}/reportes", new { reportes }, clave));

    private static HttpRequestMessage Post(string ruta, object cuerpo, string? clave)
    {
        var m = new HttpRequestMessage(HttpMethod.Post, ruta) { Content = JsonContent.Create(cuerpo, options: Escenario.Json) };
        if (clave is not null) m.Headers.TryAddWithoutValidation("Idempotency-Key", clave);
        return m;
    }

    private static object Cal(int compromisoId, string calificacion, string? observacion = null) => new { compromisoId, calificacion, observacion };

    private static object Rep(int compromisoId, string texto) => new { compromisoId, texto };

    private int? _servicio;
    private int _programas;
    private int _ultimoPrograma;

    private async Task<List<int>> CompromisosAsync(int cantidad, int? servicioId = null, int anio = 2007)
    {
        servicioId ??= _servicio ??= await Escenario.ServicioAsync("Ministerio de las rondas", "Servicio de las rondas");
        _ultimoPrograma = await Escenario.ProgramaAsync(servicioId, $"Programa {++_programas}", anio);
        var r = await Escenario.RecomendacionAsync(_ultimoPrograma);
        var ids = new List<int>();
        for (var i = 0; i < cantidad; i++) ids.Add((int)(await Escenario.CompromisoAsync(r))["id"]!);
        return ids;
    }

    /// <summary>A compromiso Cumplido of a programa that egresó.</summary>
    private async Task<int> CompromisoEgresadoAsync()
    {
        var id = (await CompromisosAsync(1))[0];
        await Escenario.CalificarOkAsync(id, "Cumplido", "2009-06-30");
        await Escenario.Esperar(await Cliente.PostAsJsonAsync($"/api/v1/programas/{_ultimoPrograma}/egreso", new { }), HttpStatusCode.OK);
        return id;
    }

    private Task<long> ContarAsync(string sql) => Feed.EscalarAsync(Factory.ConnectionString, sql);

    private static async Task<JsonObject> CuerpoAsync(HttpResponseMessage r) => (await r.Content.ReadFromJsonAsync<JsonObject>())!;

    /// <summary>The round's refusal: its status, and per failing item (in order) its index, compromiso, status and type.</summary>
    private static async Task<JsonObject> AfirmarRechazoAsync(HttpResponseMessage r, HttpStatusCode status, string lista, params (int Indice, int CompromisoId, int Status, string Tipo)[] esperados)
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
    private Task<long> UltimaAuditoriaAsync() => ContarAsync("SELECT coalesce(max(id), 0) FROM auditoria");

    private async Task<List<(string Operacion, string Entidad, string EntidadId)>> AuditoriaDesdeAsync(long id)
    {
        await using var c = new Npgsql.NpgsqlConnection(Factory.ConnectionString);
        await c.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand($"SELECT operacion, entidad, entidad_id FROM auditoria WHERE id > {id} ORDER BY id", c);
        await using var lector = await cmd.ExecuteReaderAsync();
        var filas = new List<(string, string, string)>();
        while (await lector.ReadAsync()) filas.Add((lector.GetString(0), lector.GetString(1), lector.GetString(2)));
        return filas;
    }

    [Fact]
    public async Task Ronda_de_calificaciones_registra_cada_una_en_orden_con_su_auditoria_y_su_evento()
    {
        var ids = await CompromisosAsync(3);
        var auditoriaAntes = await UltimaAuditoriaAsync();
        var eventosAntes = (await Feed.TodosAsync(ClienteAnonimo())).Count;

        // In the request's order, not the ids'.
        var orden = new[] { ids[2], ids[0], ids[1] };
        var r = await CalificarCorteAsync(Cliente, [Cal(orden[0], "Cumplido"), Cal(orden[1], "NoCumplido", "Idem compromiso 1.1."), Cal(orden[2], "ParcialmenteCumplido", "")]);

        await Escenario.Esperar(r, HttpStatusCode.Created);
        Assert.Null(r.Headers.Location);
        var items = (await CuerpoAsync(r))["items"]!.AsArray();
        Assert.Equal(orden, items.Select(x => (int)x!["compromisoId"]!));
        Assert.Equal(["Cumplido", "NoCumplido", "ParcialmenteCumplido"], items.Select(x => (string)x!["calificacion"]!));
        Assert.All(items, x => Assert.Equal(Corte, (string?)x!["fecha"]));
        Assert.Equal("Idem compromiso 1.1.", (string?)items[1]!["observacion"]);
        Assert.Equal("", (string?)items[2]!["observacion"]);
        foreach (var x in items)
        {
            var id = (int)x!["compromisoId"]!;
            var leida = await Escenario.LeerAsync($"/api/v1/compromisos/{id}/calificaciones/{(long)x["id"]!}");
            Assert.Equal((string?)x["calificacion"], (string?)leida["calificacion"]);
            Assert.Equal((string?)x["calificacion"], (string?)(await Escenario.LeerAsync($"/api/v1/compromisos/{id}"))["calificacion"]);
        }

        // As if sent one by one: one audit entry per item, about its compromiso, and one compromiso.calificado each, in order.
        var nuevas = await AuditoriaDesdeAsync(auditoriaAntes);
        Assert.Equal(orden.Select(i => ("CalificarCorte", "Compromiso", i.ToString())), nuevas);
        var eventos = (await Feed.TodosAsync(ClienteAnonimo())).Skip(eventosAntes).ToList();
        Assert.Equal(3, eventos.Count);
        Assert.All(eventos, e => Assert.Equal("compromiso.calificado", (string?)e["type"]));
        Assert.Equal(items.Select(x => $"compromisos/{(int)x!["compromisoId"]!}/calificaciones/{(long)x["id"]!}"), eventos.Select(e => (string)e["subject"]!));
    }

    [Fact]
    public async Task Un_elemento_que_falla_no_deja_escribir_nada_y_cada_uno_que_falla_se_lista_con_su_problema()
    {
        var ids = await CompromisosAsync(6);
        await Escenario.CalificarOkAsync(ids[1], "Cumplido", "2009-06-30");
        await Escenario.CalificarOkAsync(ids[3], "NoCumplido", "2010-06-30");
        var calificacionesAntes = await ContarAsync("SELECT count(*) FROM calificaciones");
        var auditoriaAntes = await UltimaAuditoriaAsync();
        var eventosAntes = await ContarAsync("SELECT count(*) FROM eventos");

        var r = await CalificarCorteAsync(Cliente,
        [
            Cal(ids[0], "Cumplido"),
            Cal(ids[1], "NoCumplido", "final ya"),
            Cal(999_999, "Cumplido"),
            Cal(ids[2], "Cancelado"),
            Cal(ids[3], "Cumplido"),
            Cal(ids[4], "Pendiente"),
            Cal(ids[5], "Cancelado", "El programa se discontinuó."),
        ]);

        // The least status of the items: the 404 of the unknown compromiso.
        var p = await AfirmarRechazoAsync(r, HttpStatusCode.NotFound, "calificaciones",
            (1, ids[1], 409, "urn:compromisos:regla:calificacion-final"),
            (2, 999_999, 404, "urn:compromisos:no-encontrado"),
            (3, ids[2], 409, "urn:compromisos:regla:cancelado-requiere-motivo"),
            (4, ids[3], 409, "urn:compromisos:regla:fecha-calificacion-anterior"),
            (5, ids[4], 409, "urn:compromisos:regla:sin-retorno-a-pendiente"));
        Assert.Null(p["errors"]);
        Assert.Equal(calificacionesAntes, await ContarAsync("SELECT count(*) FROM calificaciones"));
        Assert.Empty(await AuditoriaDesdeAsync(auditoriaAntes));
        Assert.Equal(eventosAntes, await ContarAsync("SELECT count(*) FROM eventos"));
        Assert.Equal("Pendiente", (string?)(await Escenario.LeerAsync($"/api/v1/compromisos/{ids[0]}"))["calificacion"]);
        Assert.Equal("Pendiente", (string?)(await Escenario.LeerAsync($"/api/v1/compromisos/{ids[5]}"))["calificacion"]);

        // Without the unknown one the round answers 409, the status its other failures share.
        await AfirmarRechazoAsync(await CalificarCorteAsync(Cliente, [Cal(ids[0], "Cumplido"), Cal(ids[1], "NoCumplido")]),
            HttpStatusCode.Conflict, "calificaciones", (1, ids[1], 409, "urn:compromisos:regla:calificacion-final"));

        // Fixed, the same round goes through.
        await Escenario.Esperar(await CalificarCorteAsync(Cliente, [Cal(ids[0], "Cumplido"), Cal(ids[5], "Cancelado", "El programa se discontinuó.")]),
            HttpStatusCode.Created);
    }

    [Fact]
    public async Task Un_programa_egresado_rechaza_sus_elementos_con_programa_egresado()
    {
        var egresado = await CompromisoEgresadoAsync();
        var abierto = (await CompromisosAsync(1))[0];

        await AfirmarRechazoAsync(await CalificarCorteAsync(Cliente, [Cal(abierto, "Cumplido"), Cal(egresado, "Cumplido")]),
            HttpStatusCode.Conflict, "calificaciones", (1, egresado, 409, "urn:compromisos:regla:programa-egresado"));
        Assert.Equal("Pendiente", (string?)(await Escenario.LeerAsync($"/api/v1/compromisos/{abierto}"))["calificacion"]);
    }

    [Fact]
    public async Task Cancelado_sin_observacion_vale_con_un_reporte_del_mismo_corte_registrado_antes_tambien_por_ronda()
    {
        var servicio = await Escenario.ServicioAsync();
        var ids = await CompromisosAsync(2, servicio);
        using var encargado = ClienteCon("encargado", ["servicio"], servicio);
        await Escenario.Esperar(await ReportarCorteAsync(encargado, [Rep(ids[0], "El programa no tuvo presupuesto y se discontinuó.")]), HttpStatusCode.Created);
        // Another corte's reporte is no reason for this one.
        await Escenario.Esperar(await ReportarCorteAsync(encargado, [Rep(ids[1], "Sin presupuesto.")], "2010-06-30"), HttpStatusCode.Created);

        await AfirmarRechazoAsync(await CalificarCorteAsync(Cliente, [Cal(ids[0], "Cancelado"), Cal(ids[1], "Cancelado")]),
            HttpStatusCode.Conflict, "calificaciones", (1, ids[1], 409, "urn:compromisos:regla:cancelado-requiere-motivo"));
        await Escenario.Esperar(await CalificarCorteAsync(Cliente, [Cal(ids[0], "Cancelado")]), HttpStatusCode.Created);
    }

    [Fact]
    public async Task Entrada_mal_formada_es_400_con_la_ruta_de_cada_problema()
    {
        var ids = await CompromisosAsync(3);

        await Problemas.Validacion(await CalificarCorteAsync(Cliente, []), "calificaciones");
        var p = await Problemas.Validacion(await CalificarCorteAsync(Cliente, [Cal(ids[0], "Cumplido"), Cal(ids[1], "Cumplido"), Cal(ids[0], "NoCumplido"), Cal(ids[1], "NoCumplido")]),
            "calificaciones[2].compromisoId");
        Assert.True(p["errors"]!.AsObject().ContainsKey("calificaciones[3].compromisoId"));
        Assert.False(p["errors"]!.AsObject().ContainsKey("calificaciones[0].compromisoId"));
        await Problemas.Validacion(await CalificarCorteAsync(Cliente, [Cal(ids[0], "Cumplido"), Cal(ids[1], "Excelente")]), "calificaciones[1].calificacion");
        await Problemas.Validacion(await CalificarCorteAsync(Cliente, [Cal(0, "Cumplido")]), "calificaciones[0].compromisoId");
        await Problemas.Validacion(await CalificarCorteAsync(Cliente, [Cal(ids[0], "Cumplido", new string('x', 20_001))]), "calificaciones[0].observacion");
        await Problemas.Validacion(await Cliente.PostAsJsonAsync($"/api/v1/cortes/{Corte}/calificaciones",
            new { calificaciones = new object?[] { Cal(ids[0], "Cumplido"), null } }), "calificaciones[1]");
        await Problemas.Validacion(await Cliente.PostAsJsonAsync($"/api/v1/cortes/{Corte}/calificaciones",
            new { calificaciones = new[] { new { compromisoId = ids[0], calificacion = "Cumplido", fecha = Corte } } }), "calificaciones[0].fecha");

        // {fecha}: a corte of the calendar, written yyyy-MM-dd, that has come (for calificaciones).
        foreach (var fecha in new[] { "2009-12-30", "31-12-2009", "2009-12-31T00:00:00", "20091231", $"{DateTime.UtcNow.Year + 1}-12-31" })
        {
            await Problemas.Validacion(await CalificarCorteAsync(Cliente, [Cal(ids[0], "Cumplido")], fecha), "fecha");
            await Problemas.Validacion(await ReportarCorteAsync(Cliente, [Rep(ids[0], "Avance")], fecha), "fecha");
        }

        await Problemas.Validacion(await ReportarCorteAsync(Cliente, [Rep(ids[0], "  \n ")]), "reportes[0].texto");
        await Problemas.Validacion(await ReportarCorteAsync(Cliente, [Rep(ids[0], "a"), Rep(ids[0], "b")]), "reportes[1].compromisoId");
        Assert.Equal(0, await ContarAsync("SELECT count(*) FROM calificaciones"));
        Assert.Equal(0, await ContarAsync("SELECT count(*) FROM reportes_cumplimiento"));
    }

    [Fact]
    public async Task Quinientos_elementos_pasan_y_quinientos_uno_son_400()
    {
        object[] Compromisos(int recomendacion, int cantidad) => Enumerable.Range(1, cantidad).Select(i => (object)new
        {
            numero = $"{recomendacion}.{i}", texto = $"Compromiso {i}", fechaVencimiento = "2009-12",
            reportes = Array.Empty<object>(), mediosVerificacion = Array.Empty<object>(), calificaciones = Array.Empty<object>(),
        }).ToArray();
        var documento = new
        {
            ministerio = "Ministerio de Prueba", servicio = new { nombre = "Servicio de Prueba", sigla = "SP" },
            programa = new { nombre = "Programa de 501 compromisos", anioEvaluacion = 2007, lineaEvaluacion = "EPG" },
            recomendaciones = new[]
            {
                new { numero = 1, texto = "Recomendación", compromisos = Compromisos(1, 500) },
                new { numero = 2, texto = "Otra", compromisos = Compromisos(2, 1) },
            },
        };
        var importado = await Cliente.PostAsJsonAsync("/api/v1/importaciones", documento);
        await Escenario.Esperar(importado, HttpStatusCode.Created);
        var programa = (int)(await CuerpoAsync(importado))["programaId"]!;
        var ids = new List<int>();
        for (string? cursor = null; ;)
        {
            var pagina = await Escenario.LeerAsync($"/api/v1/compromisos?programaId={programa}&limit=200" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            ids.AddRange(pagina["items"]!.AsArray().Select(x => (int)x!["id"]!));
            if ((cursor = (string?)pagina["nextCursor"]) is null) break;
        }

        Assert.Equal(501, ids.Count);
        await Problemas.Validacion(await CalificarCorteAsync(Cliente, ids.Select(id => Cal(id, "Cumplido")).ToArray()), "calificaciones");
        await Problemas.Validacion(await ReportarCorteAsync(Cliente, ids.Select(id => Rep(id, "Avance")).ToArray()), "reportes");
        Assert.Equal(0, await ContarAsync("SELECT count(*) FROM calificaciones"));

        var auditoriaAntes = await UltimaAuditoriaAsync();
        var r = await CalificarCorteAsync(Cliente, ids.Take(500).Select(id => Cal(id, "Cumplido")).ToArray());
        await Escenario.Esperar(r, HttpStatusCode.Created);
        Assert.Equal(ids.Take(500), (await CuerpoAsync(r))["items"]!.AsArray().Select(x => (int)x!["compromisoId"]!));
        Assert.Equal(500, await ContarAsync("SELECT count(*) FROM calificaciones"));
        Assert.Equal(500, (await AuditoriaDesdeAsync(auditoriaAntes)).Count(e => e.Operacion == "CalificarCorte"));
        Assert.Equal(500, await ContarAsync("SELECT count(*) FROM eventos WHERE tipo = 'compromiso.calificado'"));
        await Escenario.Esperar(await ReportarCorteAsync(Cliente, ids.Take(500).Select(id => Rep(id, "Avance")).ToArray()), HttpStatusCode.Created);
        Assert.Equal(500, await ContarAsync("SELECT count(*) FROM reportes_cumplimiento"));
    }

    [Fact]
    public async Task Bajo_calificaciones_individuales_simultaneas_no_hay_actualizaciones_perdidas_ni_rondas_a_medias()
    {
        var ids = await CompromisosAsync(12);
        using var otro = ClienteCon("beto", ["analista"]);
        for (var vuelta = 0; vuelta < 3; vuelta++)
        {
            // Both kinds of writes keep the compromisos open (and at the same corte), so every one of them can succeed in
            // any order: each compromiso must end with every registered calificación in its history and the last one
            // registered as its current calificación.
            var fecha = vuelta == 0 ? "2009-12-31" : vuelta == 1 ? "2010-06-30" : "2010-12-31";
            var ronda = CalificarCorteAsync(Cliente, ids.Select(id => Cal(id, "NoCumplido", $"ronda {vuelta}")).ToArray(), fecha);
            // A second round over the same compromisos in the opposite order: rows are locked by id, not by the request's order.
            var inversa = CalificarCorteAsync(otro, ids.AsEnumerable().Reverse().Select(id => Cal(id, "ParcialmenteCumplido", $"inversa {vuelta}")).ToArray(), fecha);
            var individuales = ids.AsEnumerable().Reverse().Select(id => otro.PostAsJsonAsync($"/api/v1/compromisos/{id}/calificaciones",
                new { calificacion = "ParcialmenteCumplido", fecha, observacion = $"individual {vuelta}" })).ToList();
            var respuestas = await Task.WhenAll(individuales.Append(ronda).Append(inversa));
            foreach (var r in respuestas) await Escenario.Esperar(r, HttpStatusCode.Created);
        }

        foreach (var id in ids)
        {
            var historial = (await Escenario.LeerAsync($"/api/v1/compromisos/{id}/calificaciones?limit=200"))["items"]!.AsArray();
            Assert.Equal(9, historial.Count);
            var ultima = historial.MaxBy(x => (long)x!["id"]!)!;
            var actual = await Escenario.LeerAsync($"/api/v1/compromisos/{id}");
            Assert.Equal((string?)ultima["calificacion"], (string?)actual["calificacion"]);
            Assert.Equal((string?)ultima["fecha"], (string?)actual["fechaCalificacion"]);
        }

        // Each round is whole: its calificaciones are all there, one per compromiso.
        Assert.Equal(3 * ids.Count, await ContarAsync("SELECT count(*) FROM calificaciones WHERE observacion LIKE 'ronda %'"));
        Assert.Equal(3 * ids.Count, await ContarAsync("SELECT count(*) FROM calificaciones WHERE observacion LIKE 'inversa %'"));
    }

    [Fact]
    public async Task Una_ronda_que_choca_con_calificaciones_finales_simultaneas_se_aplica_entera_o_no_se_aplica()
    {
        for (var vuelta = 0; vuelta < 4; vuelta++)
        {
            var ids = await CompromisosAsync(8);
            using var otro = ClienteCon("beto", ["analista"]);
            var ronda = CalificarCorteAsync(Cliente, ids.Select(id => Cal(id, "NoCumplido", "ronda")).ToArray());
            // Cumplido is final: a single that comes first makes the round's item for it fail, and then the whole round.
            var individuales = ids.Where((_, i) => i % 3 == vuelta % 3).Select(id => otro.PostAsJsonAsync($"/api/v1/compromisos/{id}/calificaciones",
                new { calificacion = "Cumplido", fecha = Corte })).ToList();
            var respuestaRonda = await ronda;
            var respuestas = await Task.WhenAll(individuales);
            Assert.True(respuestaRonda.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, await respuestaRonda.Content.ReadAsStringAsync());
            Assert.All(respuestas, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
            var deLaRonda = await ContarAsync($"SELECT count(*) FROM calificaciones WHERE observacion = 'ronda' AND compromiso_id = ANY(ARRAY[{string.Join(",", ids)}])");
            Assert.Equal(respuestaRonda.StatusCode == HttpStatusCode.Created ? ids.Count : 0, deLaRonda);
            if (respuestaRonda.StatusCode == HttpStatusCode.Conflict)
            {
                var p = await Problemas.AfirmarAsync(respuestaRonda, HttpStatusCode.Conflict, Rechazada);
                Assert.All(p["items"]!.AsArray(), x => Assert.Equal("urn:compromisos:regla:calificacion-final", (string?)x!["type"]));
            }
        }
    }

    [Fact]
    public async Task Ronda_de_reportes_de_un_servicio_guarda_los_textos_verbatim_con_su_auditoria_y_sus_eventos()
    {
        var servicio = await Escenario.ServicioAsync();
        var ids = await CompromisosAsync(2, servicio);
        using var encargado = ClienteCon("encargado", ["servicio"], servicio);
        var auditoriaAntes = await UltimaAuditoriaAsync();
        var textos = new[] { "  Primer párrafo.\r\n\r\nSegundo, con \"comillas\" y tildes: áéíóú ñ.  ", "Idem." };

        var r = await ReportarCorteAsync(encargado, [Rep(ids[1], textos[0]), Rep(ids[0], textos[1])]);

        await Escenario.Esperar(r, HttpStatusCode.Created);
        Assert.Null(r.Headers.Location);
        var items = (await CuerpoAsync(r))["items"]!.AsArray();
        Assert.Equal([ids[1], ids[0]], items.Select(x => (int)x!["compromisoId"]!));
        Assert.Equal(textos, items.Select(x => (string)x!["texto"]!));
        Assert.Equal(textos[0], (string?)(await Escenario.LeerAsync($"/api/v1/compromisos/{ids[1]}/reportes/{(long)items[0]!["id"]!}"))["texto"]);
        Assert.Equal(items.Select(x => ("RegistrarReportesDeCorte", "ReporteCumplimiento", ((long)x!["id"]!).ToString())), await AuditoriaDesdeAsync(auditoriaAntes));
        var eventos = (await Feed.TodosAsync(ClienteAnonimo())).Where(e => (string?)e["type"] == "reporte.registrado").ToList();
        Assert.Equal(items.Select(x => $"compromisos/{(int)x!["compromisoId"]!}/reportes/{(long)x["id"]!}"), eventos.Select(e => (string)e["subject"]!));
    }

    [Fact]
    public async Task Un_token_de_servicio_no_distingue_un_compromiso_ajeno_de_uno_inexistente()
    {
        var propio = await Escenario.ServicioAsync();
        var ajeno = await Escenario.ServicioAsync("Ministerio de Salud", "Fondo Nacional de Salud");
        var mios = await CompromisosAsync(2, propio);
        var otros = await CompromisosAsync(1, ajeno);
        using var encargado = ClienteCon("encargado", ["servicio"], propio);

        var conAjeno = await ReportarCorteAsync(encargado, [Rep(mios[0], "Avance"), Rep(otros[0], "Avance")]);
        var conInexistente = await ReportarCorteAsync(encargado, [Rep(mios[0], "Avance"), Rep(otros[0] + 1_000, "Avance")]);
        // An item that would fail for another reason doesn't tell either: the refusal comes before any other check.
        var deEgresado = await CompromisoEgresadoAsync();
        var conAjenoEgresado = await ReportarCorteAsync(encargado, [Rep(mios[0], "Avance"), Rep(deEgresado, "Avance")]);

        var cuerpos = new List<JsonObject>();
        foreach (var r in new[] { conAjeno, conInexistente, conAjenoEgresado })
        {
            var p = await Problemas.AfirmarAsync(r, HttpStatusCode.Forbidden, "urn:compromisos:prohibido");
            Assert.Null(p["items"]);
            Assert.DoesNotContain(otros[0].ToString(), (string?)p["detail"]);
            cuerpos.Add(p);
        }

        string Sin(JsonObject p) => new JsonObject(p.Where(kv => kv.Key is not ("traceId" or "instance")).Select(kv => KeyValuePair.Create(kv.Key, kv.Value?.DeepClone()))).ToJsonString();
        Assert.Equal(Sin(cuerpos[0]), Sin(cuerpos[1]));
        Assert.Equal(Sin(cuerpos[0]), Sin(cuerpos[2]));
        Assert.Equal(0, await ContarAsync("SELECT count(*) FROM reportes_cumplimiento"));

        // Its own compromisos go through; an analista may name any, and learns of an unknown one by its index (404).
        await Escenario.Esperar(await ReportarCorteAsync(encargado, [Rep(mios[0], "Avance"), Rep(mios[1], "Avance")]), HttpStatusCode.Created);
        await AfirmarRechazoAsync(await ReportarCorteAsync(Cliente, [Rep(otros[0], "Avance"), Rep(otros[0] + 1_000, "Avance")]),
            HttpStatusCode.NotFound, "reportes", (1, otros[0] + 1_000, 404, "urn:compromisos:no-encontrado"));
        // A servicio token can't qualify at all.
        await Problemas.AfirmarAsync(await CalificarCorteAsync(encargado, [Cal(mios[0], "Cumplido")]), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Las_cuotas_cuentan_los_reportes_anteriores_de_la_ronda()
    {
        using var host = Factory.WithWebHostBuilder(b =>
        {
            b.UseSetting("Cuotas:ReportesPorCompromisoYCorte", "2");
            b.UseSetting("Cuotas:BytesDeTextoPorServicioYCorte", "1000");
        });
        var servicio = await Escenario.ServicioAsync();
        var ids = await CompromisosAsync(4, servicio);
        using var encargado = host.CreateClient().Autenticar(Tokens.Crear("encargado", ["servicio"], servicio));
        for (var i = 0; i < 2; i++)
            await Escenario.Esperar(await encargado.PostAsJsonAsync($"/api/v1/compromisos/{ids[0]}/reportes", new { corte = Corte, texto = "x" }), HttpStatusCode.Created);

        // 2 bytes already; 400 + 400 fit, the third 400 would pass 1000 only after them (each counted as if registered
        // one by one); ids[0] already has its 2 reportes for the corte.
        var cuatrocientos = new string('a', 400);
        var r = await ReportarCorteAsync(encargado, [Rep(ids[1], cuatrocientos), Rep(ids[0], "uno más"), Rep(ids[2], cuatrocientos), Rep(ids[3], cuatrocientos)]);
        var p = await AfirmarRechazoAsync(r, HttpStatusCode.UnprocessableEntity, "reportes",
            (1, ids[0], 422, "urn:compromisos:cuota-excedida"),
            (3, ids[3], 422, "urn:compromisos:cuota-excedida"));
        Assert.Contains("2 reportes", (string?)p["items"]![0]!["detail"]);
        Assert.Contains("802 bytes", (string?)p["items"]![1]!["detail"]);
        Assert.Equal(2, await ContarAsync("SELECT count(*) FROM reportes_cumplimiento"));

        await Escenario.Esperar(await ReportarCorteAsync(encargado, [Rep(ids[1], cuatrocientos), Rep(ids[2], cuatrocientos)]), HttpStatusCode.Created);
    }

    [Fact]
    public async Task Un_corte_anterior_al_anio_de_evaluacion_es_400_del_elemento_con_su_ruta()
    {
        var antiguos = await CompromisosAsync(1);
        var nuevos = await CompromisosAsync(1, anio: 2010);
        var egresado = await CompromisoEgresadoAsync();

        var r = await ReportarCorteAsync(Cliente, [Rep(antiguos[0], "Avance"), Rep(egresado, "Avance"), Rep(nuevos[0], "Avance")]);

        // 400 is the least status: errors names the failing items' paths as every 400 does, items has them all.
        var p = await AfirmarRechazoAsync(r, HttpStatusCode.BadRequest, "reportes",
            (1, egresado, 409, "urn:compromisos:regla:programa-egresado"),
            (2, nuevos[0], 400, "urn:compromisos:entrada-invalida"));
        Assert.Equal(["reportes[1]", "reportes[2]"], p["errors"]!.AsObject().Select(kv => kv.Key));
        Assert.Equal(0, await ContarAsync("SELECT count(*) FROM reportes_cumplimiento"));
    }

    [Fact]
    public async Task Con_Idempotency_Key_la_repeticion_devuelve_la_misma_respuesta_sin_escribir()
    {
        var ids = await CompromisosAsync(2);
        var clave = $"\"{Guid.NewGuid()}\"";
        var auditoriaAntes = await UltimaAuditoriaAsync();
        var ronda = new[] { Cal(ids[0], "Cumplido"), Cal(ids[1], "NoCumplido", "Sin avance.") };

        var primera = await CalificarCorteAsync(Cliente, ronda, clave: clave);
        var repetida = await CalificarCorteAsync(Cliente, ronda, clave: clave);

        await Escenario.Esperar(primera, HttpStatusCode.Created);
        await Escenario.Esperar(repetida, HttpStatusCode.Created);
        Assert.Equal("true", repetida.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(await primera.Content.ReadAsByteArrayAsync(), await repetida.Content.ReadAsByteArrayAsync());
        Assert.Equal(2, await ContarAsync("SELECT count(*) FROM calificaciones"));
        Assert.Equal(2, (await AuditoriaDesdeAsync(auditoriaAntes)).Count);
        // The same key with another round: 422.
        await Problemas.AfirmarAsync(await CalificarCorteAsync(Cliente, [Cal(ids[0], "Cumplido")], clave: clave),
            HttpStatusCode.UnprocessableEntity, "urn:compromisos:idempotencia-reutilizada");

        var claveReportes = $"\"{Guid.NewGuid()}\"";
        var reportes = new[] { Rep(ids[0], "Avance"), Rep(ids[1], "Avance") };
        var r1 = await ReportarCorteAsync(Cliente, reportes, "2010-06-30", claveReportes);
        var r2 = await ReportarCorteAsync(Cliente, reportes, "2010-06-30", claveReportes);
        await Escenario.Esperar(r2, HttpStatusCode.Created);
        Assert.Equal(await r1.Content.ReadAsByteArrayAsync(), await r2.Content.ReadAsByteArrayAsync());
        Assert.Equal(2, await ContarAsync("SELECT count(*) FROM reportes_cumplimiento"));
    }
}
