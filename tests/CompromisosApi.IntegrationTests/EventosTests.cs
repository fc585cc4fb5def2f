using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CompromisosApi.IntegrationTests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace CompromisosApi.IntegrationTests;

public sealed partial class EventosTests(ApiFactory factory, ITestOutputHelper salida) : PruebaApi(factory)
{
    private static readonly string Fixture = Path.Combine(Repositorio.Raiz, "src/CompromisosApi/Features/Demo/redes-por-rubro-2007.importacion.json");

    private static readonly HashSet<string> Tipos =
    [
        "programa.creado", "programa.actualizado", "programa.egresado", "programa.reabierto", "recomendacion.creada",
        "recomendacion.actualizada", "compromiso.creado", "compromiso.actualizado", "compromiso.calificado",
        "calificacion.corregida", "compromiso.vencido", "reporte.registrado", "medio.registrado",
        "programa.egreso-propuesto", "corte.recordatorio",
    ];

    /// <summary>CloudEvents 1.0, JSON format: required attributes, their types, and extension names as the spec allows.</summary>
    internal static void AfirmarCloudEvent(JsonObject e)
    {
        Assert.Equal("1.0", (string?)e["specversion"]);
        Assert.True(Guid.TryParse((string?)e["id"], out _), e.ToJsonString());
        Assert.False(string.IsNullOrEmpty((string?)e["source"]));
        Assert.Contains((string)e["type"]!, Tipos);
        Assert.Matches("^(programas|recomendaciones|compromisos)/[0-9]+(/(calificaciones|reportes|medios-verificacion)/[0-9]+)?$", (string)e["subject"]!);
        Assert.Matches(Rfc3339(), (string)e["time"]!);
        Assert.Equal("application/json", (string?)e["datacontenttype"]);
        Assert.IsType<JsonObject>(e["data"]);
        Assert.True((long)e["secuencia"]! > 0);
        Assert.True((int)e["programaid"]! > 0);
        Assert.All(e.Select(kv => kv.Key), k => Assert.Matches("^[a-z0-9]{1,20}$", k));
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex Rfc3339();

    private async Task<IAsyncDisposable> ForzarReversionAsync()
    {
        // Makes the last statement of a write fail (the outbox insert, after the handler's SaveChanges and the audit
        // entry) when its data carries the marker: the whole transaction must leave nothing.
        await using var c = new NpgsqlConnection(Factory.ConnectionString);
        await c.OpenAsync();
        await new NpgsqlCommand("""
            CREATE OR REPLACE FUNCTION prueba_forzar_reversion() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.datos::text LIKE '%forzar-reversion%' THEN RAISE EXCEPTION 'reversión forzada por la prueba'; END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER prueba_forzar_reversion BEFORE INSERT ON eventos FOR EACH ROW EXECUTE FUNCTION prueba_forzar_reversion();
            """, c).ExecuteNonQueryAsync();
        return new Deshacer(Factory.ConnectionString);
    }

    private sealed class Deshacer(string conexion) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await using var c = new NpgsqlConnection(conexion);
            await c.OpenAsync();
            await new NpgsqlCommand("DROP TRIGGER prueba_forzar_reversion ON eventos; DROP FUNCTION prueba_forzar_reversion();", c).ExecuteNonQueryAsync();
        }
    }

    [Fact]
    public async Task Cada_escritura_confirmada_deja_sus_eventos_y_ninguna_revertida_deja_alguno()
    {
        var admin = ClienteCon("admin-eventos", ["administrador"]);
        var esperados = new List<(string Tipo, string Sujeto)>();
        var fallidas = 0;

        async Task<JsonObject?> Paso(Task<HttpResponseMessage> escritura, params (string Tipo, Func<JsonObject, string> Sujeto)[] eventos)
        {
            var r = await escritura;
            if (eventos.Length == 0)
            {
                Assert.True((int)r.StatusCode >= 400, $"Se esperaba una falla y llegó {(int)r.StatusCode}");
                fallidas++;
                return null;
            }

            Assert.True(r.IsSuccessStatusCode, $"{(int)r.StatusCode}: {await r.Content.ReadAsStringAsync()}");
            var cuerpo = (await r.Content.ReadFromJsonAsync<JsonObject>())!;
            esperados.AddRange(eventos.Select(e => (e.Tipo, e.Sujeto(cuerpo))));
            return cuerpo;
        }

        var s = await Escenario.ServicioAsync(); // catalog: no events
        var p = (int)(await Paso(Cliente.PostAsJsonAsync("/api/v1/programas", new { nombre = "Programa con eventos", servicioId = s, anioEvaluacion = 2008, lineaEvaluacion = "EPG" }),
            ("programa.creado", b => $"programas/{b["id"]}")))!["id"]!;
        var (_, etagP) = await Escenario.LeerConEtagAsync($"/api/v1/programas/{p}");
        await Paso(Cliente.SendAsync(Escenario.Put($"/api/v1/programas/{p}", new { nombre = "Programa con eventos (corregido)", servicioId = s, anioEvaluacion = 2008, lineaEvaluacion = "EPG" }, etagP)),
            ("programa.actualizado", b => $"programas/{b["id"]}"));
        var rec = (int)(await Paso(Cliente.PostAsJsonAsync($"/api/v1/programas/{p}/recomendaciones", new { texto = "Recomendación" }),
            ("recomendacion.creada", b => $"recomendaciones/{b["id"]}")))!["id"]!;
        var (_, etagR) = await Escenario.LeerConEtagAsync($"/api/v1/recomendaciones/{rec}");
        await Paso(Cliente.SendAsync(Escenario.Put($"/api/v1/recomendaciones/{rec}", new { texto = "Recomendación corregida" }, etagR)),
            ("recomendacion.actualizada", b => $"recomendaciones/{b["id"]}"));
        var c1 = (int)(await Paso(Cliente.PostAsJsonAsync($"/api/v1/recomendaciones/{rec}/compromisos", new { texto = "Compromiso 1", fechaVencimiento = "2009-12" }),
            ("compromiso.creado", b => $"compromisos/{b["id"]}")))!["id"]!;
        var c2 = (int)(await Paso(Cliente.PostAsJsonAsync($"/api/v1/recomendaciones/{rec}/compromisos", new { texto = "Compromiso 2", fechaVencimiento = "2010-06" }),
            ("compromiso.creado", b => $"compromisos/{b["id"]}")))!["id"]!;
        var (_, etagC) = await Escenario.LeerConEtagAsync($"/api/v1/compromisos/{c1}");
        await Paso(Cliente.SendAsync(Escenario.Put($"/api/v1/compromisos/{c1}", new { texto = "Compromiso 1 corregido", fechaVencimiento = "2009-12" }, etagC)),
            ("compromiso.actualizado", b => $"compromisos/{b["id"]}"));
        await Paso(Cliente.PostAsJsonAsync($"/api/v1/compromisos/{c1}/reportes", new { corte = "2009-12-31", texto = "Se cumplió." }),
            ("reporte.registrado", b => $"compromisos/{c1}/reportes/{b["id"]}"));
        await Paso(Cliente.PostAsJsonAsync($"/api/v1/compromisos/{c1}/medios-verificacion", new { corte = "2009-12-31", titulo = "Minuta" }),
            ("medio.registrado", b => $"compromisos/{c1}/medios-verificacion/{b["id"]}"));
        await Paso(Escenario.CalificarAsync(c1, "Cumplido", "2009-12-31"), ("compromiso.calificado", b => $"compromisos/{c1}/calificaciones/{b["id"]}"));

        // Refused and rolled-back writes: a broken rule, bad input, egreso with an open compromiso, and two writes
        // that fail after their rows (and their audit entry) were written in the transaction.
        await Paso(Escenario.CalificarAsync(c1, "NoCumplido", "2010-12-31"));
        await Paso(Cliente.PostAsJsonAsync($"/api/v1/compromisos/{c2}/reportes", new { corte = "2010-06-30", texto = "" }));
        await Paso(Cliente.PostAsJsonAsync($"/api/v1/programas/{p}/egreso", new { }));
        await using (await ForzarReversionAsync())
        {
            await Paso(Cliente.PostAsJsonAsync($"/api/v1/compromisos/{c2}/reportes", new { corte = "2010-06-30", texto = "forzar-reversion" }));
            var doc = JsonNode.Parse(await File.ReadAllTextAsync(Fixture))!.AsObject();
            doc["recomendaciones"]![0]!["compromisos"]![0]!["reportes"]![0]!["texto"] = "forzar-reversion";
            await Paso(Cliente.PostAsync("/api/v1/importaciones", new StringContent(doc.ToJsonString(), Encoding.UTF8, "application/json")));
        }

        // The last open compromiso closed: the programa is egreso-ready, in the same transaction.
        await Paso(Escenario.CalificarAsync(c2, "Cancelado", "2010-12-31", "Se reemplazó."), ("compromiso.calificado", b => $"compromisos/{c2}/calificaciones/{b["id"]}"),
            ("programa.egreso-propuesto", _ => $"programas/{p}"));
        await Paso(Cliente.PostAsJsonAsync($"/api/v1/programas/{p}/egreso", new { }), ("programa.egresado", b => $"programas/{b["id"]}"));
        await Paso(admin.PostAsJsonAsync($"/api/v1/programas/{p}/reapertura", new { motivo = "Corrección" }), ("programa.reabierto", b => $"programas/{b["id"]}"));
        await Paso(admin.PostAsJsonAsync($"/api/v1/compromisos/{c2}/correcciones", new { calificacion = "Cumplido", fecha = "2010-12-31", motivo = "Se acreditó." }),
            ("calificacion.corregida", b => $"compromisos/{c2}/calificaciones/{b["id"]}"));

        var eventos = await Feed.TodosAsync(Cliente, limit: 4);
        Assert.Equal(esperados, eventos.Select(e => ((string)e["type"]!, (string)e["subject"]!)));
        Assert.Equal(Enumerable.Range(1, eventos.Count).Select(i => (long)i), eventos.Select(e => (long)e["secuencia"]!));
        Assert.All(eventos, AfirmarCloudEvent);
        Assert.All(eventos, e => Assert.Equal(p, (int)e["programaid"]!));
        Assert.Equal(eventos.Count, eventos.Select(e => (string)e["id"]!).Distinct().Count());
        Assert.DoesNotContain(eventos, e => e.ToJsonString().Contains("forzar-reversion"));
        Assert.Empty((await Escenario.LeerAsync($"/api/v1/compromisos/{c2}/reportes"))["items"]!.AsArray());
        Assert.Equal(0, await Feed.EscalarAsync(Factory.ConnectionString, "SELECT count(*) FROM programas WHERE nombre LIKE 'Microemprendimiento%'"));

        // The data is the entity as stored after the change.
        var actualizado = eventos.Single(e => (string)e["type"]! == "compromiso.actualizado");
        Assert.Equal("Compromiso 1 corregido", (string?)actualizado["data"]!["texto"]);
        Assert.Equal("2009-12", (string?)actualizado["data"]!["fechaVencimiento"]);
        var egresado = eventos.Single(e => (string)e["type"]! == "programa.egresado");
        Assert.Equal("Egresado", (string?)egresado["data"]!["estado"]);
        Assert.Equal("2010-12-31", (string?)egresado["data"]!["fechaEgreso"]);
        var corregida = eventos.Single(e => (string)e["type"]! == "calificacion.corregida");
        Assert.Equal("Se acreditó.", (string?)corregida["data"]!["motivoCorreccion"]);
        salida.WriteLine($"{esperados.Count} eventos de escrituras confirmadas, {fallidas} escrituras fallidas o revertidas sin eventos.");
    }

    [Fact]
    public async Task La_fuente_se_recorre_en_orden_sin_huecos_mientras_escriben_concurrentemente()
    {
        var p = await Escenario.ProgramaAsync();
        var rec = await Escenario.RecomendacionAsync(p);
        var compromisos = new List<int>();
        for (var i = 0; i < 4; i++) compromisos.Add((int)(await Escenario.CompromisoAsync(rec))["id"]!);

        var escritoras = compromisos.Select(c => Task.Run(async () =>
        {
            var creados = 0;
            for (var i = 0; i < 15; i++)
            {
                // Two cortes: one compromiso takes at most 10 reportes per corte (Cuotas).
                var r = await Cliente.PostAsJsonAsync($"/api/v1/compromisos/{c}/reportes", new { corte = i % 2 == 0 ? "2010-06-30" : "2010-12-31", texto = $"Avance {i}" });
                if (r.StatusCode == HttpStatusCode.Created) creados++;
            }

            return creados;
        })).ToList();

        // A polling reader walks the feed while they write, with small pages.
        var vistos = new List<JsonObject>();
        string? cursor = null;
        var todasTerminaron = false;
        while (true)
        {
            var pagina = await Feed.LeerAsync(Cliente, cursor, limit: 7);
            vistos.AddRange(pagina.Items);
            cursor = pagina.NextCursor;
            if (pagina.Items.Count == 0) await Task.Delay(5);
            if (todasTerminaron && !pagina.HayMas && pagina.Items.Count == 0) break;
            todasTerminaron = escritoras.All(t => t.IsCompleted);
        }

        var creados = (await Task.WhenAll(escritoras)).Sum();
        var secuencias = vistos.Select(e => (long)e["secuencia"]!).ToList();
        Assert.Equal(Enumerable.Range(1, secuencias.Count).Select(i => (long)i), secuencias);
        Assert.Equal(60, creados);
        Assert.Equal(creados, vistos.Count(e => (string)e["type"]! == "reporte.registrado"));
        Assert.Equal(await Feed.EscalarAsync(Factory.ConnectionString, "SELECT count(*) FROM eventos"), vistos.Count);
        Assert.Equal(await Feed.EscalarAsync(Factory.ConnectionString, "SELECT count(*) FROM reportes_cumplimiento"), creados);
        salida.WriteLine($"Lector concurrente: {vistos.Count} eventos, secuencia 1..{secuencias[^1]} sin huecos ni duplicados, con 4 escritoras concurrentes.");
    }

    [Fact]
    public async Task Una_importacion_emite_los_eventos_del_registro_padres_primero()
    {
        var r = await Cliente.PostAsync("/api/v1/importaciones", new StringContent(await File.ReadAllTextAsync(Fixture), Encoding.UTF8, "application/json"));
        await Escenario.Esperar(r, HttpStatusCode.Created);
        var resultado = (await r.Content.ReadFromJsonAsync<JsonObject>())!;

        var tipos = (await Feed.TodosAsync(Cliente)).Select(e => (string)e["type"]!).ToList();
        var esperados = new List<string> { "programa.creado" };
        esperados.AddRange(Enumerable.Repeat("recomendacion.creada", (int)resultado["recomendaciones"]!));
        esperados.AddRange(Enumerable.Repeat("compromiso.creado", (int)resultado["compromisos"]!));
        esperados.AddRange(Enumerable.Repeat("reporte.registrado", (int)resultado["reportes"]!));
        esperados.AddRange(Enumerable.Repeat("medio.registrado", (int)resultado["mediosVerificacion"]!));
        esperados.AddRange(Enumerable.Repeat("compromiso.calificado", (int)resultado["calificaciones"]!));
        esperados.Add("programa.egresado");
        Assert.Equal(esperados, tipos);

        // Importing it again changes nothing, so it says nothing.
        await Escenario.Esperar(await Cliente.PostAsync("/api/v1/importaciones", new StringContent(await File.ReadAllTextAsync(Fixture), Encoding.UTF8, "application/json")), HttpStatusCode.OK);
        Assert.Equal(tipos.Count, (await Feed.TodosAsync(Cliente)).Count);
    }

    [Fact]
    public async Task Un_cursor_ajeno_o_un_limite_fuera_de_rango_es_400_y_la_fuente_es_publica()
    {
        await Problemas.Validacion(await Cliente.GetAsync("/api/v1/eventos?desde=basura"), "desde");
        await Problemas.Validacion(await Cliente.GetAsync("/api/v1/eventos?limit=201"), "limit");
        var vacia = await Feed.LeerAsync(ClienteAnonimo());
        Assert.Empty(vacia.Items);
        Assert.False(vacia.HayMas);
        // At the end the cursor stays where it was, for the next poll.
        await Escenario.ProgramaAsync();
        var primera = await Feed.LeerAsync(ClienteAnonimo(), vacia.NextCursor);
        Assert.Single(primera.Items);
        var siguiente = await Feed.LeerAsync(ClienteAnonimo(), primera.NextCursor);
        Assert.Empty(siguiente.Items);
        Assert.Equal(primera.NextCursor, siguiente.NextCursor);
    }
}
