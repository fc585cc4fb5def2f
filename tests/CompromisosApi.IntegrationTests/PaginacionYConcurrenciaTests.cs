using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CompromisosApi.IntegrationTests.Infrastructure;
using Npgsql;

namespace CompromisosApi.IntegrationTests;

public sealed class PaginacionYConcurrenciaTests(ApiFactory factory) : PruebaApi(factory)
{
    [Fact]
    public async Task Recorrer_las_paginas_entrega_cada_compromiso_una_vez_en_orden_aunque_se_agreguen_durante_el_recorrido()
    {
        var p = await Escenario.ProgramaAsync();
        var r = await Escenario.RecomendacionAsync(p);
        var creados = new List<int>();
        for (var i = 0; i < 23; i++) creados.Add((int)(await Escenario.CompromisoAsync(r))["id"]!);

        var vistos = new List<int>();
        string? cursor = null;
        var paginas = 0;
        do
        {
            var pagina = await Escenario.LeerAsync($"/api/v1/compromisos?programaId={p}&limit=5" + (cursor is null ? "" : $"&cursor={cursor}"));
            var items = pagina["items"]!.AsArray();
            Assert.True(items.Count <= 5);
            vistos.AddRange(items.Select(c => (int)c!["id"]!));
            cursor = (string?)pagina["nextCursor"];
            if (++paginas == 2) creados.Add((int)(await Escenario.CompromisoAsync(r))["id"]!);
        }
        while (cursor is not null);

        Assert.Equal(creados, vistos);
        Assert.Equal(5, paginas);
    }

    [Fact]
    public async Task El_cursor_se_compara_con_el_tipo_de_la_columna_para_que_el_indice_empiece_en_el()
    {
        // A keyset page must start its index scan at the cursor. Compared as long against an int column, EF casts the
        // column (id::bigint > $1) and PostgreSQL reads every earlier row on each page.
        var p = await Escenario.ProgramaAsync();
        var r = await Escenario.RecomendacionAsync(p);
        for (var i = 0; i < 3; i++) await Escenario.CompromisoAsync(r);
        var primera = await Escenario.LeerAsync($"/api/v1/compromisos?programaId={p}&limit=1");
        var cursor = (string)primera["nextCursor"]!;

        using var contador = new ContadorDeConsultas(Factory.BaseDeDatos);
        foreach (var ruta in new[]
        {
            $"/api/v1/compromisos?programaId={p}&limit=1&cursor={cursor}",
            $"/api/v1/programas?limit=1&cursor={cursor}",
            $"/api/v1/ministerios?limit=1&cursor={cursor}",
            $"/api/v1/servicios?limit=1&cursor={cursor}",
            $"/api/v1/programas/{p}/recomendaciones?limit=1&cursor={cursor}",
            $"/api/v1/recomendaciones/{r}/compromisos?limit=1&cursor={cursor}",
        })
        {
            Assert.Equal(HttpStatusCode.OK, (await Cliente.GetAsync(ruta)).StatusCode);
        }

        Assert.NotEmpty(contador.Textos);
        Assert.DoesNotContain(contador.Textos, t => t.Contains("::bigint", StringComparison.Ordinal));

        // A cursor past int's range has nothing after it.
        var lejano = System.Buffers.Text.Base64Url.EncodeToString("v1:9999999999"u8);
        var vacia = await Escenario.LeerAsync($"/api/v1/compromisos?programaId={p}&cursor={lejano}");
        Assert.Empty(vacia["items"]!.AsArray());
    }

    [Fact]
    public async Task Las_recomendaciones_y_sus_compromisos_se_paginan_por_numero()
    {
        var p = await Escenario.ProgramaAsync();
        var recs = new List<int>();
        for (var i = 0; i < 3; i++) recs.Add(await Escenario.RecomendacionAsync(p, $"Recomendación {i + 1}"));
        for (var i = 0; i < 3; i++) await Escenario.CompromisoAsync(recs[1]);

        var primera = await Escenario.LeerAsync($"/api/v1/programas/{p}/recomendaciones?limit=2");
        var segunda = await Escenario.LeerAsync($"/api/v1/programas/{p}/recomendaciones?limit=2&cursor={(string)primera["nextCursor"]!}");
        Assert.Equal([1, 2], primera["items"]!.AsArray().Select(x => (int)x!["numero"]!));
        Assert.Equal([3], segunda["items"]!.AsArray().Select(x => (int)x!["numero"]!));
        Assert.Null((string?)segunda["nextCursor"]);

        var c1 = await Escenario.LeerAsync($"/api/v1/recomendaciones/{recs[1]}/compromisos?limit=2");
        var c2 = await Escenario.LeerAsync($"/api/v1/recomendaciones/{recs[1]}/compromisos?limit=2&cursor={(string)c1["nextCursor"]!}");
        Assert.Equal(["2.1", "2.2", "2.3"], c1["items"]!.AsArray().Concat(c2["items"]!.AsArray()).Select(x => (string)x!["numero"]!));
    }

    [Fact]
    public async Task Sin_limit_la_pagina_es_de_50()
    {
        for (var i = 0; i < 51; i++) await Escenario.CrearAsync("/api/v1/ministerios", new { nombre = $"Ministerio {i:00}" });
        var pagina = await Escenario.LeerAsync("/api/v1/ministerios");
        Assert.Equal(50, pagina["items"]!.AsArray().Count);
        Assert.NotNull((string?)pagina["nextCursor"]);
    }

    [Fact]
    public async Task PUT_sin_If_Match_responde_428_y_con_uno_obsoleto_412()
    {
        var p = await Escenario.ProgramaAsync();
        var r = await Escenario.RecomendacionAsync(p);
        var (_, etag) = await Escenario.LeerConEtagAsync($"/api/v1/recomendaciones/{r}");

        await Problemas.AfirmarAsync(await Cliente.SendAsync(Escenario.Put($"/api/v1/recomendaciones/{r}", new { texto = "A" }, null)),
            HttpStatusCode.PreconditionRequired, "urn:compromisos:if-match-requerido");

        var primera = await Cliente.SendAsync(Escenario.Put($"/api/v1/recomendaciones/{r}", new { texto = "B" }, etag));
        await Escenario.Esperar(primera, HttpStatusCode.OK);
        var nuevoEtag = primera.Headers.ETag!.ToString();
        Assert.NotEqual(etag, nuevoEtag);

        var obsoleta = await Cliente.SendAsync(Escenario.Put($"/api/v1/recomendaciones/{r}", new { texto = "C" }, etag));
        await Problemas.AfirmarAsync(obsoleta, HttpStatusCode.PreconditionFailed, "urn:compromisos:version-obsoleta");

        var (actual, etagActual) = await Escenario.LeerConEtagAsync($"/api/v1/recomendaciones/{r}");
        Assert.Equal("B", (string?)actual["texto"]);
        Assert.Equal(nuevoEtag, etagActual);
    }

    [Fact]
    public async Task If_Match_comodin_acepta_la_version_vigente()
    {
        var m = await Escenario.CrearAsync("/api/v1/ministerios", new { nombre = "Ministerio de Hacienda" });
        var pedido = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/ministerios/{(int)m["id"]!}")
        {
            Content = JsonContent.Create(new { nombre = "Ministerio de Hacienda (Chile)" }),
        };
        pedido.Headers.TryAddWithoutValidation("If-Match", "*");
        await Escenario.Esperar(await Cliente.SendAsync(pedido), HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("compromisos")]
    [InlineData("programas")]
    public async Task Escritores_concurrentes_con_el_mismo_ETag_gana_exactamente_uno(string recurso)
    {
        var (p, _, c) = await Escenario.CompromisoPendienteAsync();
        var ruta = recurso == "compromisos" ? $"/api/v1/compromisos/{c}" : $"/api/v1/programas/{p}";
        var (actual, etag) = await Escenario.LeerConEtagAsync(ruta);

        var respuestas = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Cliente.SendAsync(Escenario.Put(ruta,
            recurso == "compromisos"
                ? new { texto = $"Versión {i}", fechaVencimiento = "2010-12" }
                : new { nombre = $"Versión {i}", servicioId = (int)actual["servicioId"]!, anioEvaluacion = 2007, lineaEvaluacion = "EPG" },
            etag))));

        var ganadora = Assert.Single(respuestas, r => r.StatusCode == HttpStatusCode.OK);
        Assert.All(respuestas.Where(r => r != ganadora), r => Assert.Equal(HttpStatusCode.PreconditionFailed, r.StatusCode));
        var escrito = await ganadora.Content.ReadFromJsonAsync<JsonObject>();
        var (final, etagFinal) = await Escenario.LeerConEtagAsync(ruta);
        Assert.Equal(escrito!.ToJsonString(), final.ToJsonString());
        Assert.Equal(ganadora.Headers.ETag!.ToString(), etagFinal);
    }

    [Fact]
    public async Task Un_cambio_del_programa_no_queda_detras_de_las_calificaciones_que_siguen_llegando()
    {
        // Calificaciones hold their programa shared, a change of the programa holds it exclusive. With row locks alone
        // each new calificación got in ahead of a waiting change, and a steady stream of them kept a PUT waiting until it
        // timed out: one that arrives while the change waits must now wait behind it.
        var (p, r, c1) = await Escenario.CompromisoPendienteAsync();
        var c2 = (int)(await Escenario.CompromisoAsync(r))["id"]!;
        var (programa, etag) = await Escenario.LeerConEtagAsync($"/api/v1/programas/{p}");

        // The first calificación stops inside its transaction with its programa held: its compromiso is locked here.
        await using var conexion = new NpgsqlConnection(Factory.ConnectionString);
        await conexion.OpenAsync();
        await using var bloqueo = await conexion.BeginTransactionAsync();
        await new NpgsqlCommand($"SELECT 1 FROM compromisos WHERE id = {c1} FOR UPDATE", conexion, bloqueo).ExecuteNonQueryAsync();
        var primera = Escenario.CalificarAsync(c1, "Cumplido", "2009-12-31");
        await EsperandoAsync(1, "la primera calificación espera su compromiso");
        var cambio = Cliente.SendAsync(Escenario.Put($"/api/v1/programas/{p}",
            new { nombre = "Programa renombrado", servicioId = (int)programa["servicioId"]!, anioEvaluacion = 2007, lineaEvaluacion = "EPG" }, etag));
        await EsperandoAsync(2, "el cambio del programa espera a la primera calificación");

        var segunda = Escenario.CalificarAsync(c2, "Cumplido", "2009-12-31");
        await Feed.EsperarAsync(async () => segunda.IsCompleted || await EsperandoAhoraAsync() >= 3,
            () => "la segunda calificación ni terminó ni espera");
        Assert.False(segunda.IsCompleted, "la segunda calificación pasó delante del cambio del programa que esperaba");

        await bloqueo.CommitAsync();
        await Escenario.Esperar(await primera, HttpStatusCode.Created);
        await Escenario.Esperar(await cambio, HttpStatusCode.OK);
        await Escenario.Esperar(await segunda, HttpStatusCode.Created);
    }

    [Fact]
    public async Task Las_escrituras_que_esperan_no_dejan_a_las_lecturas_sin_conexion()
    {
        // A writer holds its connection while it waits for the outbox counter (the last step before its commit): at a
        // cut-off's burst, waiting writers took the whole pool and reads got 503 after the connect timeout. More writers
        // than the pool has connections must leave reads one.
        await using var instancia = Factory.WithWebHostBuilder(b =>
        {
            b.UseSetting("ConnectionStrings:Compromisos", Factory.ConexionAplicacion + ";Maximum Pool Size=8");
            b.UseSetting("Transferencias:Conexiones", "2");
            b.UseSetting("Database:ConexionesDeEscritura", "2");
        });
        var escenario = new Escenario(instancia.CreateClient().Autenticar(Tokens.Crear("ana", ["analista", "administrador"])));
        var r = await escenario.RecomendacionAsync(await escenario.ProgramaAsync());
        var compromisos = new List<int>();
        for (var i = 0; i < 10; i++) compromisos.Add((int)(await escenario.CompromisoAsync(r))["id"]!);

        await using var conexion = new NpgsqlConnection(Factory.ConnectionString);
        await conexion.OpenAsync();
        await using var bloqueo = await conexion.BeginTransactionAsync();
        await new NpgsqlCommand("INSERT INTO eventos_contador (id, ultima) VALUES (1, 0) ON CONFLICT (id) DO UPDATE SET ultima = eventos_contador.ultima",
            conexion, bloqueo).ExecuteNonQueryAsync();
        var escrituras = compromisos.Select(c => escenario.CalificarAsync(c, "Cumplido", "2009-12-31")).ToList();
        await EsperandoAsync(2, "las escrituras esperan el contador de eventos");

        var lectura = await instancia.CreateClient().GetAsync($"/api/v1/compromisos/{compromisos[0]}");
        await Escenario.Esperar(lectura, HttpStatusCode.OK);
        Assert.DoesNotContain(escrituras, e => e.IsCompleted);

        await bloqueo.CommitAsync();
        foreach (var e in escrituras) await Escenario.Esperar(await e, HttpStatusCode.Created);
    }

    private Task<long> EsperandoAhoraAsync() => Feed.EscalarAsync(Factory.ConnectionString,
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'");

    private Task EsperandoAsync(int cuantas, string que) => Feed.EsperarAsync(async () => await EsperandoAhoraAsync() >= cuantas, () => que, 10);

    [Fact]
    public async Task Compromisos_agregados_a_la_vez_reciben_numeros_distintos_y_correlativos()
    {
        var p = await Escenario.ProgramaAsync();
        await Escenario.RecomendacionAsync(p);
        var r = await Escenario.RecomendacionAsync(p);

        var respuestas = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            Cliente.PostAsJsonAsync($"/api/v1/recomendaciones/{r}/compromisos", new { texto = "Concurrente", fechaVencimiento = "2010-12" })));

        Assert.All(respuestas, x => Assert.Equal(HttpStatusCode.Created, x.StatusCode));
        var numeros = new List<string>();
        foreach (var x in respuestas) numeros.Add((string)(await x.Content.ReadFromJsonAsync<JsonObject>())!["numero"]!);
        Assert.Equal(Enumerable.Range(1, 8).Select(i => $"2.{i}").Order(), numeros.Order());
    }
}
