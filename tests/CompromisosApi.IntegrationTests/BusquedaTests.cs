using System.Net;
using System.Net.Http.Json;
using CompromisosApi.IntegrationTests.Infrastructure;
using Npgsql;

namespace CompromisosApi.IntegrationTests;

/// <summary>q on the compromisos and programas lists: Spanish full-text search, accent-insensitive, ranked.</summary>
public sealed class BusquedaTests(ApiFactory factory) : PruebaApi(factory)
{
    private async Task<List<int>> Ids(string ruta) =>
        (await Escenario.LeerAsync(ruta))["items"]!.AsArray().Select(c => (int)c!["id"]!).ToList();

    private async Task<int> CompromisoAsync(int recomendacionId, string texto) =>
        (int)(await Escenario.CompromisoAsync(recomendacionId, "2010-12", texto))["id"]!;

    [Fact]
    public async Task Sin_tildes_ni_mayusculas_focalizacion_encuentra_focalizacion_con_tilde()
    {
        var p = await Escenario.ProgramaAsync();
        var r = await Escenario.RecomendacionAsync(p);
        var focalizado = await CompromisoAsync(r, "Mejorar la focalización de los beneficiarios del programa.");
        await CompromisoAsync(r, "Elaborar la matriz de marco lógico.");

        Assert.Equal([focalizado], await Ids("/api/v1/compromisos?q=focalizacion"));
        Assert.Equal([focalizado], await Ids("/api/v1/compromisos?q=" + Uri.EscapeDataString("FOCALIZACIÓN")));
        // Spanish stemming: the plural and another form of the word find it too.
        Assert.Equal([focalizado], await Ids("/api/v1/compromisos?q=beneficiario"));
        Assert.Equal([focalizado], await Ids("/api/v1/compromisos?q=" + Uri.EscapeDataString("\"focalizacion de los beneficiarios\"")));
        Assert.Empty(await Ids("/api/v1/compromisos?q=" + Uri.EscapeDataString("\"beneficiarios de la focalizacion\"")));
        Assert.Equal([p], await Ids("/api/v1/programas?q=focalizacion"));
    }

    [Fact]
    public async Task Una_palabra_del_cumplimiento_o_de_la_recomendacion_encuentra_el_compromiso()
    {
        var p = await Escenario.ProgramaAsync();
        var r = await Escenario.RecomendacionAsync(p, "Revisar el diseño del instrumento de fomento productivo.");
        var c = await CompromisoAsync(r, "Elaborar la matriz de marco lógico.");
        var otra = await CompromisoAsync(await Escenario.RecomendacionAsync(p, "Otra recomendación"), "Otro compromiso.");
        var (_, etag) = await Escenario.LeerConEtagAsync($"/api/v1/compromisos/{c}");
        Assert.Empty(await Ids("/api/v1/compromisos?q=consultoria"));

        await Escenario.CrearAsync($"/api/v1/compromisos/{c}/reportes",
            new { corte = "2009-12-31", texto = "Se contrató una consultoría externa para rediseñar el instrumento." });

        Assert.Equal([c], await Ids("/api/v1/compromisos?q=consultoria"));
        Assert.Equal([c], await Ids("/api/v1/compromisos?q=fomento"));
        // Words from different texts of the same compromiso combine.
        Assert.Equal([c], await Ids("/api/v1/compromisos?q=" + Uri.EscapeDataString("consultoría matriz fomento")));
        Assert.Empty(await Ids($"/api/v1/compromisos?q=consultoria&programaId={p + 1000}"));
        Assert.DoesNotContain(otra, await Ids("/api/v1/compromisos?q=consultoria"));
        // The search document lives apart: a reporte does not change the compromiso's ETag.
        Assert.Equal(etag, (await Escenario.LeerConEtagAsync($"/api/v1/compromisos/{c}")).ETag);
    }

    [Fact]
    public async Task Corregir_textos_actualiza_la_busqueda()
    {
        var p = await Escenario.ProgramaAsync(nombre: "Programa de Riego Campesino");
        var r = await Escenario.RecomendacionAsync(p, "Mejorar el seguimiento.");
        var c = await CompromisoAsync(r, "Elaborar un diagnóstico.");

        var (_, etag) = await Escenario.LeerConEtagAsync($"/api/v1/compromisos/{c}");
        await Escenario.Esperar(await Cliente.SendAsync(Escenario.Put($"/api/v1/compromisos/{c}",
            new { texto = "Elaborar un catastro de usuarios.", fechaVencimiento = "2010-12" }, etag)), HttpStatusCode.OK);
        var (_, etagRec) = await Escenario.LeerConEtagAsync($"/api/v1/recomendaciones/{r}");
        await Escenario.Esperar(await Cliente.SendAsync(Escenario.Put($"/api/v1/recomendaciones/{r}",
            new { texto = "Mejorar la evaluación ex post." }, etagRec)), HttpStatusCode.OK);
        var (programa, etagProg) = await Escenario.LeerConEtagAsync($"/api/v1/programas/{p}");
        await Escenario.Esperar(await Cliente.SendAsync(Escenario.Put($"/api/v1/programas/{p}",
            new { nombre = "Programa de Obras Menores", servicioId = (int)programa["servicioId"]!, anioEvaluacion = 2007, lineaEvaluacion = "EPG" }, etagProg)),
            HttpStatusCode.OK);

        Assert.Empty(await Ids("/api/v1/compromisos?q=diagnostico"));
        Assert.Equal([c], await Ids("/api/v1/compromisos?q=catastro"));
        Assert.Empty(await Ids("/api/v1/compromisos?q=seguimiento"));
        Assert.Equal([c], await Ids("/api/v1/compromisos?q=evaluacion"));
        Assert.Empty(await Ids("/api/v1/programas?q=riego"));
        Assert.Equal([p], await Ids("/api/v1/programas?q=" + Uri.EscapeDataString("obras catastro evaluación")));
    }

    [Fact]
    public async Task La_mejor_coincidencia_va_primero()
    {
        var p = await Escenario.ProgramaAsync(nombre: "Programa de Capacitación Laboral");
        var otro = await Escenario.ProgramaAsync(await Escenario.ServicioAsync("Ministerio del Trabajo", "SENCE"), "Programa de Empleo");
        var soloEnReporte = await CompromisoAsync(await Escenario.RecomendacionAsync(otro, "Ordenar los procesos."), "Elaborar un plan de trabajo.");
        await Escenario.CrearAsync($"/api/v1/compromisos/{soloEnReporte}/reportes", new { corte = "2009-12-31", texto = "Se realizó la capacitación." });
        var enLaRecomendacion = await CompromisoAsync(await Escenario.RecomendacionAsync(otro, "Revisar la oferta de capacitación."), "Definir indicadores.");
        var enElTexto = await CompromisoAsync(await Escenario.RecomendacionAsync(otro, "Mejorar la gestión."), "Rediseñar la capacitación de los monitores.");

        // The compromiso's own text (weight A) over its recomendación's (B) over a cumplimiento (C), whatever the ids.
        Assert.Equal([enElTexto, enLaRecomendacion, soloEnReporte], await Ids("/api/v1/compromisos?q=capacitacion"));
        // A programa named for it comes before one whose texts mention it.
        Assert.Equal([p, otro], await Ids("/api/v1/programas?q=capacitacion"));
    }

    [Fact]
    public async Task Paginar_una_busqueda_recorre_cada_resultado_una_vez()
    {
        var p = await Escenario.ProgramaAsync();
        var r = await Escenario.RecomendacionAsync(p, "Mejorar la focalización.");
        var r2 = await Escenario.RecomendacionAsync(p, "Otra recomendación.");
        var esperados = new List<int>();
        for (var i = 0; i < 4; i++) esperados.Add(await CompromisoAsync(r, $"Compromiso {i}.")); // only the recomendación matches
        for (var i = 0; i < 4; i++) esperados.Add(await CompromisoAsync(r2, $"Focalización, etapa {i}."));
        for (var i = 0; i < 3; i++) esperados.Add(await CompromisoAsync(r2, $"Focalización y más focalización {i}."));
        await CompromisoAsync(r2, "No coincide.");

        var completa = await Ids("/api/v1/compromisos?q=focalizacion&limit=200");
        Assert.Equal(esperados.Order(), completa.Order());

        var vistos = new List<int>();
        string? cursor = null;
        do
        {
            var pagina = await Escenario.LeerAsync("/api/v1/compromisos?q=focalizacion&limit=3" + (cursor is null ? "" : "&cursor=" + cursor));
            vistos.AddRange(pagina["items"]!.AsArray().Select(c => (int)c!["id"]!));
            cursor = (string?)pagina["nextCursor"];
            // A compromiso added mid-walk, ahead of the cursor, shows up once, in its place.
            if (vistos.Count == 3) completa.Add(await CompromisoAsync(r2, "La focalización se menciona al final, en una frase muy larga que la diluye."));
        }
        while (cursor is not null);

        Assert.Equal(vistos.Distinct().Count(), vistos.Count);
        Assert.Equal(completa.Order(), vistos.Order());
        Assert.Equal(await Ids("/api/v1/compromisos?q=focalizacion&limit=200"), vistos);
    }

    [Fact]
    public async Task Los_programas_tambien_se_paginan_por_relevancia()
    {
        var s = await Escenario.ServicioAsync();
        var ids = new List<int>();
        for (var i = 0; i < 5; i++) ids.Add(await Escenario.ProgramaAsync(s, $"Programa de Riego {i}"));
        var conRecomendacion = await Escenario.ProgramaAsync(s, "Programa Sin Nombre Relacionado");
        await Escenario.RecomendacionAsync(conRecomendacion, "Evaluar el riego tecnificado.");

        var vistos = new List<int>();
        string? cursor = null;
        do
        {
            var pagina = await Escenario.LeerAsync("/api/v1/programas?q=riego&limit=2" + (cursor is null ? "" : "&cursor=" + cursor));
            vistos.AddRange(pagina["items"]!.AsArray().Select(c => (int)c!["id"]!));
            cursor = (string?)pagina["nextCursor"];
        }
        while (cursor is not null);

        Assert.Equal([.. ids, conRecomendacion], vistos);
    }

    [Fact]
    public async Task Compromisos_creados_a_la_vez_en_un_programa_quedan_todos_en_su_documento()
    {
        var p = await Escenario.ProgramaAsync();
        var recs = new[] { await Escenario.RecomendacionAsync(p), await Escenario.RecomendacionAsync(p) };

        // Different recomendaciones: the handlers don't serialise these writers, only the search document's lock does.
        var respuestas = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Cliente.PostAsJsonAsync(
            $"/api/v1/recomendaciones/{recs[i % 2]}/compromisos", new { texto = $"Compromiso clave{i}", fechaVencimiento = "2010-12" })));

        Assert.All(respuestas, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        for (var i = 0; i < 8; i++) Assert.Equal([p], await Ids($"/api/v1/programas?q=clave{i}"));
    }

    /// <summary>
    /// Two transactions outside the API (an import, an administrator's SQL: no handler locks) add compromisos to one
    /// programa at the same time. The second waits for the first on the programa's search document, and then must see
    /// the first one's text rather than overwrite the document without it.
    /// </summary>
    [Fact]
    public async Task Dos_escritores_a_la_vez_fuera_de_la_API_no_pierden_textos_del_documento()
    {
        var p = await Escenario.ProgramaAsync();
        var r1 = await Escenario.RecomendacionAsync(p);
        var r2 = await Escenario.RecomendacionAsync(p);
        static string Insertar(int rec, int programa, string palabra) =>
            "INSERT INTO compromisos (recomendacion_id, programa_id, secuencia, numero, texto, fecha_vencimiento, calificacion) " +
            $"VALUES ({rec}, {programa}, 1, 'x', 'Compromiso {palabra}', DATE '2010-12-01', 'Pendiente')";

        await using var primera = new NpgsqlConnection(Factory.ConnectionString);
        await using var segunda = new NpgsqlConnection(Factory.ConnectionString);
        await using var observadora = new NpgsqlConnection(Factory.ConnectionString);
        await Task.WhenAll(primera.OpenAsync(), segunda.OpenAsync(), observadora.OpenAsync());
        await using var t1 = await primera.BeginTransactionAsync();
        await new NpgsqlCommand(Insertar(r1, p, "alfaprimero"), primera, t1).ExecuteNonQueryAsync();
        await using var t2 = await segunda.BeginTransactionAsync();
        var insercion = new NpgsqlCommand(Insertar(r2, p, "betasegundo"), segunda, t2).ExecuteNonQueryAsync();

        var espera = new NpgsqlCommand($"SELECT count(*) FROM pg_stat_activity WHERE pid = {segunda.ProcessID} AND wait_event_type = 'Lock'", observadora);
        for (var i = 0; i < 200 && !insercion.IsCompleted && (long)(await espera.ExecuteScalarAsync())! == 0; i++) await Task.Delay(25);
        Assert.False(insercion.IsCompleted, "la segunda escritura debería esperar a la primera");
        await t1.CommitAsync();
        await insercion;
        await t2.CommitAsync();

        Assert.Equal([p], await Ids("/api/v1/programas?q=alfaprimero"));
        Assert.Equal([p], await Ids("/api/v1/programas?q=betasegundo"));
    }

    [Theory]
    [InlineData("de la")]
    [InlineData("el de los y")]
    public async Task Solo_palabras_vacias_no_encuentra_nada(string q)
    {
        var (_, r, _) = await Escenario.CompromisoPendienteAsync();
        await CompromisoAsync(r, "Mejorar la focalización de los beneficiarios.");

        var pagina = await Escenario.LeerAsync("/api/v1/compromisos?q=" + Uri.EscapeDataString(q));
        Assert.Empty(pagina["items"]!.AsArray());
        Assert.Null((string?)pagina["nextCursor"]);
        Assert.Empty(await Ids("/api/v1/programas?q=" + Uri.EscapeDataString(q)));
    }

    [Fact]
    public async Task La_sintaxis_de_busqueda_nunca_es_un_error()
    {
        await Escenario.CompromisoPendienteAsync();
        foreach (var q in new[] { "\"", "a & b", "!(x)", "focalización -beneficiarios", "x or y", ":*", "'", "\\" })
        {
            var r = await Cliente.GetAsync("/api/v1/compromisos?q=" + Uri.EscapeDataString(q));
            Assert.True(r.StatusCode == HttpStatusCode.OK, $"q={q}: {(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}");
        }
    }

    [Fact]
    public async Task q_invalido()
    {
        foreach (var ruta in new[] { "/api/v1/compromisos", "/api/v1/programas" })
        {
            await Problemas.Validacion(await Cliente.GetAsync($"{ruta}?q={new string('a', 201)}"), "q");
            await Problemas.Validacion(await Cliente.GetAsync($"{ruta}?q=%20%20"), "q");
            await Problemas.Validacion(await Cliente.GetAsync($"{ruta}?q="), "q");
            await Problemas.Validacion(await Cliente.GetAsync($"{ruta}?q=a%00b"), "q");
            Assert.Equal(HttpStatusCode.OK, (await Cliente.GetAsync($"{ruta}?q={new string('a', 200)}")).StatusCode);
        }
    }

    [Fact]
    public async Task Un_cursor_de_otra_clase_de_lista_es_400()
    {
        var p = await Escenario.ProgramaAsync();
        var r = await Escenario.RecomendacionAsync(p, "Mejorar la focalización.");
        for (var i = 0; i < 3; i++) await CompromisoAsync(r, $"Compromiso {i}.");
        await Escenario.ProgramaAsync(await Escenario.ServicioAsync("Ministerio de Hacienda", "DIPRES"), "Programa de Focalización");

        var porId = (string)(await Escenario.LeerAsync("/api/v1/compromisos?limit=1"))["nextCursor"]!;
        var porRelevancia = (string)(await Escenario.LeerAsync("/api/v1/compromisos?q=focalizacion&limit=1"))["nextCursor"]!;
        await Problemas.Validacion(await Cliente.GetAsync($"/api/v1/compromisos?q=focalizacion&cursor={porId}"), "cursor");
        await Problemas.Validacion(await Cliente.GetAsync($"/api/v1/compromisos?cursor={porRelevancia}"), "cursor");

        var programaPorId = (string)(await Escenario.LeerAsync("/api/v1/programas?limit=1"))["nextCursor"]!;
        await Problemas.Validacion(await Cliente.GetAsync($"/api/v1/programas?q=focalizacion&cursor={programaPorId}"), "cursor");
        // The id cursor format is unchanged: lists without q keep taking it.
        Assert.Equal(HttpStatusCode.OK, (await Cliente.GetAsync($"/api/v1/compromisos?cursor={porId}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Cliente.GetAsync($"/api/v1/compromisos?q=focalizacion&cursor={porRelevancia}")).StatusCode);
    }
}
