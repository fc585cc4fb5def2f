using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CompromisosApi.IntegrationTests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace CompromisosApi.IntegrationTests;

public sealed class IdempotenciaTests(ApiFactory factory, ITestOutputHelper salida) : PruebaApi(factory)
{
    private sealed record Respuesta(HttpStatusCode Status, string? Location, string? ETag, string? ContentType, byte[] Cuerpo, bool Repetida)
    {
        public string Firma => $"{(int)Status}|{Location}|{ETag}|{ContentType}|{Convert.ToBase64String(Cuerpo)}";
    }

    private static HttpRequestMessage Post(string ruta, object cuerpo, string? clave)
    {
        var m = new HttpRequestMessage(HttpMethod.Post, ruta) { Content = JsonContent.Create(cuerpo, options: Escenario.Json) };
        if (clave is not null) m.Headers.TryAddWithoutValidation("Idempotency-Key", clave);
        return m;
    }

    private static async Task<Respuesta> Leer(HttpResponseMessage r) => new(
        r.StatusCode,
        r.Headers.Location?.ToString(),
        r.Headers.ETag?.ToString(),
        r.Content.Headers.ContentType?.ToString(),
        await r.Content.ReadAsByteArrayAsync(),
        r.Headers.TryGetValues("Idempotent-Replayed", out var v) && v.Single() == "true");

    private async Task<int> RecomendacionesAsync(int programa) =>
        (await Escenario.LeerAsync($"/api/v1/programas/{programa}/recomendaciones"))["items"]!.AsArray().Count;

    private static string Clave() => $"\"{Guid.NewGuid()}\"";

    [Fact]
    public async Task Veinte_POST_concurrentes_con_la_misma_clave_crean_un_registro_y_las_repeticiones_son_identicas()
    {
        var p = await Escenario.ProgramaAsync();
        var clave = Clave();
        var ruta = $"/api/v1/programas/{p}/recomendaciones";
        var cuerpo = new { texto = "Recomendación enviada con reintentos" };

        var respuestas = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ => await Leer(await Cliente.SendAsync(Post(ruta, cuerpo, clave)))));

        Assert.Equal(1, await RecomendacionesAsync(p));
        Assert.All(respuestas, r => Assert.True(r.Status is HttpStatusCode.Created or HttpStatusCode.Conflict, $"{(int)r.Status}: {System.Text.Encoding.UTF8.GetString(r.Cuerpo)}"));
        var creadas = respuestas.Where(r => r.Status == HttpStatusCode.Created).ToList();
        var original = Assert.Single(creadas, r => !r.Repetida);
        Assert.All(creadas, r => Assert.Equal(original.Firma, r.Firma));
        foreach (var enCurso in respuestas.Where(r => r.Status == HttpStatusCode.Conflict))
        {
            Assert.Equal("urn:compromisos:idempotencia-en-curso", (string?)JsonNode.Parse(enCurso.Cuerpo)!["type"]);
        }

        // Once the first has committed, every retry gets its answer, byte for byte.
        var despues = await Leer(await Cliente.SendAsync(Post(ruta, cuerpo, clave)));
        Assert.True(despues.Repetida);
        Assert.Equal(original.Firma, despues.Firma);
        // And 20 more at once, now that it is done: 20 identical replays.
        var segundaOla = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ => await Leer(await Cliente.SendAsync(Post(ruta, cuerpo, clave)))));
        Assert.All(segundaOla, r => Assert.True(r.Repetida && r.Firma == original.Firma));
        Assert.Equal(1, await RecomendacionesAsync(p));
        salida.WriteLine($"20 POST concurrentes con la misma Idempotency-Key: 1 registro creado, {creadas.Count - 1} repeticiones idénticas, " +
            $"{respuestas.Count(r => r.Status == HttpStatusCode.Conflict)} × 409 en curso; luego 20 reintentos concurrentes: 20 repeticiones idénticas.");

        // One write: one audit entry, one event.
        var id = (string)JsonNode.Parse(original.Cuerpo)!["id"]!.ToString();
        var auditoria = (await Escenario.LeerAsync($"/api/v1/auditoria?entidad=Recomendacion&entidadId={id}"))["items"]!.AsArray();
        Assert.Single(auditoria);
        var eventos = await Feed.TodosAsync(Cliente);
        Assert.Single(eventos, e => (string?)e["type"] == "recomendacion.creada");
    }

    [Fact]
    public async Task Un_reintento_mientras_la_primera_sigue_en_curso_recibe_409_y_otra_solicitud_con_la_misma_clave_422()
    {
        var servicio = await Escenario.ServicioAsync();
        var p = await Escenario.ProgramaAsync(servicio);
        var clave = Clave();
        var ruta = $"/api/v1/programas/{p}/recomendaciones";
        var cuerpo = new { texto = "Primera" };

        // Hold the programa so that the first request stops inside its transaction, key lock taken.
        await using var conexion = new NpgsqlConnection(Factory.ConnectionString);
        await conexion.OpenAsync();
        await using var bloqueo = await conexion.BeginTransactionAsync();
        await new NpgsqlCommand($"SELECT 1 FROM programas WHERE id = {p} FOR UPDATE", conexion, bloqueo).ExecuteNonQueryAsync();
        var primera = Cliente.SendAsync(Post(ruta, cuerpo, clave));
        await Feed.EsperarAsync(async () => await Feed.EscalarAsync(Factory.ConnectionString,
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'") > 0,
            "la primera solicitud espera el bloqueo del programa", 10);

        var enCurso = await Cliente.SendAsync(Post(ruta, cuerpo, clave));
        await Problemas.AfirmarAsync(enCurso, HttpStatusCode.Conflict, "urn:compromisos:idempotencia-en-curso");
        Assert.Equal(TimeSpan.FromSeconds(1), enCurso.Headers.RetryAfter?.Delta);
        await Problemas.AfirmarAsync(await Cliente.SendAsync(Post(ruta, new { texto = "Otra" }, clave)), HttpStatusCode.Conflict, "urn:compromisos:idempotencia-en-curso");
        Assert.False(primera.IsCompleted);

        await bloqueo.RollbackAsync();
        var original = await Leer(await primera);
        Assert.Equal(HttpStatusCode.Created, original.Status);
        Assert.False(original.Repetida);

        var repeticion = await Leer(await Cliente.SendAsync(Post(ruta, cuerpo, clave)));
        Assert.True(repeticion.Repetida);
        Assert.Equal(original.Firma, repeticion.Firma);

        await Problemas.AfirmarAsync(await Cliente.SendAsync(Post(ruta, new { texto = "Otra" }, clave)), HttpStatusCode.UnprocessableEntity,
            "urn:compromisos:idempotencia-reutilizada");
        var otroPrograma = await Escenario.ProgramaAsync(servicio, "Otro programa");
        await Problemas.AfirmarAsync(await Cliente.SendAsync(Post($"/api/v1/programas/{otroPrograma}/recomendaciones", cuerpo, clave)),
            HttpStatusCode.UnprocessableEntity, "urn:compromisos:idempotencia-reutilizada");
        Assert.Equal(1, await RecomendacionesAsync(p));
    }

    [Fact]
    public async Task Las_claves_son_de_cada_usuario_vencen_y_los_errores_no_se_guardan()
    {
        var p = await Escenario.ProgramaAsync();
        var clave = Clave();
        var ruta = $"/api/v1/programas/{p}/recomendaciones";
        var cuerpo = new { texto = "Misma" };

        Assert.False((await Leer(await Cliente.SendAsync(Post(ruta, cuerpo, clave)))).Repetida);
        // Another caller with the same key is another request.
        var otro = ClienteCon("otro-analista", ["analista"]);
        var delOtro = await Leer(await otro.SendAsync(Post(ruta, cuerpo, clave)));
        Assert.Equal(HttpStatusCode.Created, delOtro.Status);
        Assert.False(delOtro.Repetida);
        Assert.Equal(2, await RecomendacionesAsync(p));

        // An expired key is forgotten: the request runs again, and its new answer is kept.
        await Feed.EscalarAsync(Factory.ConnectionString,
            $"WITH x AS (UPDATE claves_idempotencia SET expira_en = now() - interval '1 second' WHERE sujeto = 'ana' AND clave = '{clave.Trim('"')}' RETURNING 1) SELECT count(*) FROM x");
        var tercera = await Leer(await Cliente.SendAsync(Post(ruta, cuerpo, clave)));
        Assert.False(tercera.Repetida);
        Assert.Equal(3, await RecomendacionesAsync(p));
        Assert.True((await Leer(await Cliente.SendAsync(Post(ruta, cuerpo, clave)))).Repetida);

        // Unquoted works too, and means the same key.
        Assert.True((await Leer(await Cliente.SendAsync(Post(ruta, cuerpo, clave.Trim('"'))))).Repetida);

        // A refused request is not stored: once corrected, the same key goes through (no 422).
        var c = (int)(await Escenario.CompromisoAsync(await Escenario.RecomendacionAsync(p)))["id"]!;
        var claveCalificacion = Clave();
        var calificaciones = $"/api/v1/compromisos/{c}/calificaciones";
        await Problemas.Regla(await Cliente.SendAsync(Post(calificaciones, new { calificacion = "Pendiente", fecha = "2010-12-31" }, claveCalificacion)), "sin-retorno-a-pendiente");
        await Problemas.Regla(await Cliente.SendAsync(Post(calificaciones, new { calificacion = "Pendiente", fecha = "2010-12-31" }, claveCalificacion)), "sin-retorno-a-pendiente");
        Assert.Equal(HttpStatusCode.Created, (await Cliente.SendAsync(Post(calificaciones, new { calificacion = "Cumplido", fecha = "2010-12-31" }, claveCalificacion))).StatusCode);
        Assert.True((await Leer(await Cliente.SendAsync(Post(calificaciones, new { calificacion = "Cumplido", fecha = "2010-12-31" }, claveCalificacion)))).Repetida);
    }

    [Theory]
    [InlineData("\"\"")]
    [InlineData("\"sin cierre")]
    [InlineData("dos palabras")]
    [InlineData("\"mal \\escape\"")]
    [InlineData("\"comilla \" suelta\"")]
    public async Task Una_clave_mal_formada_es_400(string clave)
    {
        var p = await Escenario.ProgramaAsync();
        await Problemas.Validacion(await Cliente.SendAsync(Post($"/api/v1/programas/{p}/recomendaciones", new { texto = "x" }, clave)), "Idempotency-Key");
        Assert.Equal(0, await RecomendacionesAsync(p));
    }

    [Fact]
    public async Task Una_clave_demasiado_larga_o_repetida_es_400()
    {
        var p = await Escenario.ProgramaAsync();
        var ruta = $"/api/v1/programas/{p}/recomendaciones";
        await Problemas.Validacion(await Cliente.SendAsync(Post(ruta, new { texto = "x" }, "\"" + new string('k', 256) + "\"")), "Idempotency-Key");
        Assert.Equal(HttpStatusCode.Created, (await Cliente.SendAsync(Post(ruta, new { texto = "x" }, "\"" + new string('k', 255) + "\""))).StatusCode);
        var dos = Post(ruta, new { texto = "y" }, Clave());
        dos.Headers.TryAddWithoutValidation("Idempotency-Key", Clave());
        await Problemas.Validacion(await Cliente.SendAsync(dos), "Idempotency-Key");
    }

    [Fact]
    public async Task El_contrato_declara_Idempotency_Key_409_y_422_en_cada_POST()
    {
        var doc = JsonNode.Parse(await Cliente.GetStringAsync("/swagger/v1/swagger.json"))!;
        Assert.Equal("Idempotency-Key", (string?)doc["components"]!["parameters"]!["IdempotencyKey"]!["name"]);
        var posts = doc["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject().Where(m => m.Key == "post").Select(m => (Ruta: p.Key, Op: m.Value!))).ToList();
        Assert.True(posts.Count >= 14, $"{posts.Count} POST");
        foreach (var (ruta, op) in posts)
        {
            Assert.Contains(op["parameters"]!.AsArray(), x => (string?)x!["$ref"] == "#/components/parameters/IdempotencyKey");
            Assert.True(op["responses"]!.AsObject().ContainsKey("409") && op["responses"]!.AsObject().ContainsKey("422"), ruta);
        }
    }
}
