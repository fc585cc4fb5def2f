using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CompromisosApi.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CompromisosApi.IntegrationTests;

/// <summary>conocidoAl in the other reads (lists, search, programa state), its validation, and the instants it reads by.</summary>
public sealed class ConocidoAlLecturasTests(ApiFactory factory) : PruebaApi(factory)
{
    private static string Instante(DateTimeOffset t) => Relato.Instante(t);

    /// <summary>A programa, recomendación or compromiso created after the instant was not in the record then.</summary>
    [Fact]
    public async Task Lo_creado_despues_no_estaba()
    {
        var servicio = await Escenario.ServicioAsync();
        var p = await Escenario.ProgramaAsync(servicio);
        var r = await Escenario.RecomendacionAsync(p);
        var a = (int)(await Escenario.CompromisoAsync(r))["id"]!;
        var entonces = Instante(DateTimeOffset.UtcNow);
        var b = (int)(await Escenario.CompromisoAsync(r))["id"]!;
        var otro = await Escenario.ProgramaAsync(servicio, "Programa posterior");

        Assert.Equal([a], (await Escenario.LeerAsync($"/api/v1/compromisos?programaId={p}&conocidoAl={entonces}"))["items"]!.AsArray().Select(c => (int)c!["id"]!));
        Assert.Equal([a], (await Escenario.LeerAsync($"/api/v1/recomendaciones/{r}/compromisos?conocidoAl={entonces}"))["items"]!.AsArray().Select(c => (int)c!["id"]!));
        Assert.Equal([p], (await Escenario.LeerAsync($"/api/v1/programas?servicioId={servicio}&conocidoAl={entonces}"))["items"]!.AsArray().Select(c => (int)c!["id"]!));
        await Problemas.AfirmarAsync(await Cliente.GetAsync($"/api/v1/compromisos/{b}?conocidoAl={entonces}"), HttpStatusCode.NotFound);
        await Problemas.AfirmarAsync(await Cliente.GetAsync($"/api/v1/programas/{otro}?conocidoAl={entonces}"), HttpStatusCode.NotFound);
        await Problemas.AfirmarAsync(await Cliente.GetAsync($"/api/v1/programas/{otro}/informe?conocidoAl={entonces}"), HttpStatusCode.NotFound);
        var grupo = (await Escenario.LeerAsync($"/api/v1/estadisticas/cumplimiento?agruparPor=servicio&conocidoAl={entonces}"))["grupos"]!.AsArray().Single()!;
        Assert.Equal(1, (int)grupo["total"]!);
        Assert.Equal(1, (int)grupo["programasEnSeguimiento"]!);
        var informe = await Escenario.LeerAsync($"/api/v1/programas/{p}/informe?conocidoAl={entonces}");
        Assert.Single(informe["recomendaciones"]![0]!["compromisos"]!.AsArray());
    }

    /// <summary>
    /// A search at a moment looks at the texts of that moment: a cumplimiento reported later (or for a later cut-off),
    /// a recomendación added later, is not found; today it is.
    /// </summary>
    [Fact]
    public async Task La_busqueda_lee_los_textos_de_ese_momento()
    {
        var servicio = await Escenario.ServicioAsync();
        var p = await Escenario.ProgramaAsync(servicio);
        var r = await Escenario.RecomendacionAsync(p);
        var c = (int)(await Escenario.CompromisoAsync(r, "2010-06"))["id"]!;
        await Escenario.CrearAsync($"/api/v1/compromisos/{c}/reportes", new { corte = "2010-06-30", texto = "Se contrató la consultoría." });
        var entonces = Instante(DateTimeOffset.UtcNow);
        await Escenario.CrearAsync($"/api/v1/compromisos/{c}/reportes", new { corte = "2010-12-31", texto = "Informe tardío de focalización." });
        await Escenario.RecomendacionAsync(p, "Mejorar la zanahoria del diseño.");

        async Task<List<int>> IdsAsync(string ruta) => (await Escenario.LeerAsync(ruta))["items"]!.AsArray().Select(x => (int)x!["id"]!).ToList();
        Assert.Equal([c], await IdsAsync("/api/v1/compromisos?q=focalizacion"));
        Assert.Empty(await IdsAsync($"/api/v1/compromisos?q=focalizacion&conocidoAl={entonces}"));
        Assert.Empty(await IdsAsync("/api/v1/compromisos?q=focalizacion&alCorte=2010-06-30"));
        Assert.Equal([c], await IdsAsync("/api/v1/compromisos?q=focalizacion&alCorte=2010-12-31"));
        Assert.Equal([c], await IdsAsync($"/api/v1/compromisos?q=consultoria&conocidoAl={entonces}"));
        // Exclusions only: nothing to pre-select by, every compromiso of the other filters is checked.
        Assert.Equal([c], await IdsAsync($"/api/v1/compromisos?programaId={p}&q=-focalizacion&conocidoAl={entonces}"));
        Assert.Empty(await IdsAsync($"/api/v1/compromisos?programaId={p}&q=-focalizacion"));
        var csv = await Cliente.GetStringAsync($"/api/v1/compromisos?q=focalizacion&formato=csv&conocidoAl={entonces}");
        Assert.Single(csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries));

        Assert.Equal([p], await IdsAsync("/api/v1/programas?q=zanahoria"));
        Assert.Empty(await IdsAsync($"/api/v1/programas?q=zanahoria&conocidoAl={entonces}"));
    }

    /// <summary>Without alCorte, a reading as known at an instant is at that instant's day: its answer does not change tomorrow.</summary>
    [Fact]
    public async Task Sin_alCorte_el_corte_es_el_dia_del_instante()
    {
        // A programa already in the record in 2025 (written straight into the table, so its instant can be chosen).
        var servicio = await Escenario.ServicioAsync();
        await using var conexion = new NpgsqlConnection(Factory.ConexionAplicacion);
        await conexion.OpenAsync();
        await using var cmd = new NpgsqlCommand(
            "INSERT INTO programas (nombre, servicio_id, anio_evaluacion, linea_evaluacion, estado, registrado_en) " +
            "VALUES ('Antiguo', $1, 2007, 'EPG', 'EnSeguimiento', '2025-01-01T00:00:00Z') RETURNING id", conexion)
        {
            Parameters = { new() { Value = servicio } },
        };
        var p = (int)(await cmd.ExecuteScalarAsync())!;
        var informe = await Escenario.LeerAsync($"/api/v1/programas/{p}/informe?conocidoAl=2026-03-01T02:00:00Z");
        // 02:00 UTC on 1 March is still 28 February in Chile (UTC-03:00 in summer).
        Assert.Equal("2026-02-28", (string?)informe["alCorte"]);
        Assert.Equal("2026-02-28", (string?)(await Escenario.LeerAsync("/api/v1/estadisticas/cumplimiento?conocidoAl=2026-03-01T02:00:00Z"))["alCorte"]);
    }

    /// <summary>Between an egreso and its reapertura the programa was known as Egresado, at every cut-off from its date.</summary>
    [Fact]
    public async Task Entre_el_egreso_y_la_reapertura_estaba_egresado()
    {
        var servicio = await Escenario.ServicioAsync();
        var p = await Escenario.ProgramaAsync(servicio);
        var c = (int)(await Escenario.CompromisoAsync(await Escenario.RecomendacionAsync(p)))["id"]!;
        await Escenario.CalificarOkAsync(c, "Cumplido", "2010-12-31");
        var antesDelEgreso = Instante(DateTimeOffset.UtcNow);
        await Escenario.Esperar(await Cliente.PostAsJsonAsync($"/api/v1/programas/{p}/egreso", new { }), HttpStatusCode.OK);
        var egresado = Instante(DateTimeOffset.UtcNow);
        await Escenario.Esperar(await Cliente.PostAsJsonAsync($"/api/v1/programas/{p}/reapertura", new { motivo = "Revisión." }), HttpStatusCode.OK);

        async Task<string> EstadoAsync(string consulta) => (string)(await Escenario.LeerAsync($"/api/v1/programas/{p}?{consulta}"))["estado"]!;
        Assert.Equal("EnSeguimiento", await EstadoAsync($"conocidoAl={antesDelEgreso}"));
        Assert.Equal("Egresado", await EstadoAsync($"conocidoAl={egresado}"));
        Assert.Equal("Egresado", await EstadoAsync($"conocidoAl={egresado}&alCorte=2010-12-31"));
        Assert.Equal("EnSeguimiento", await EstadoAsync($"conocidoAl={egresado}&alCorte=2010-12-30"));
        Assert.Equal("EnSeguimiento", await EstadoAsync(""));
        Assert.Equal("2010-12-31", (string?)(await Escenario.LeerAsync($"/api/v1/programas/{p}?conocidoAl={egresado}"))["fechaEgreso"]);
        Assert.Equal([p], (await Escenario.LeerAsync($"/api/v1/programas?estado=Egresado&conocidoAl={egresado}"))["items"]!.AsArray().Select(x => (int)x!["id"]!));
        Assert.Empty((await Escenario.LeerAsync("/api/v1/programas?estado=Egresado"))["items"]!.AsArray());
        var grupo = (await Escenario.LeerAsync($"/api/v1/estadisticas/cumplimiento?conocidoAl={egresado}"))["grupos"]!.AsArray().Single()!;
        Assert.Equal(1, (int)grupo["programasEgresados"]!);
        Assert.Equal(0, (int)(await Escenario.LeerAsync("/api/v1/estadisticas/cumplimiento"))["grupos"]!.AsArray().Single()!["programasEgresados"]!);
        Assert.Equal("INFORME DE EGRESO DEL SISTEMA DE CUMPLIMIENTO DE COMPROMISOS",
            (string?)(await Escenario.LeerAsync($"/api/v1/programas/{p}/informe?conocidoAl={egresado}"))["titulo"]);
    }

    /// <summary>Only an instant with its zone, and not one still to come: anything else is a 400 naming conocidoAl.</summary>
    [Theory]
    [InlineData("2010-03-01")]
    [InlineData("2010-03-01T12:00:00")]
    [InlineData("2010-03-01 12:00:00Z")]
    [InlineData("2010-03-01T12:00:00 03:00")]
    [InlineData("ayer")]
    [InlineData("2010-13-01T12:00:00Z")]
    [InlineData("2999-01-01T00:00:00Z")]
    [InlineData("1985-06-01T00:00:00Z")]
    [InlineData("0001-01-01T00:00:00Z")]
    [InlineData("2010-03-01T12:00:00Z\n")]
    [InlineData("2010-02-30T12:00:00Z")]
    [InlineData("2010-03-01T24:00:00Z")]
    [InlineData("2010-03-01T12:00:00+24:00")]
    [InlineData("2010-03-01T12:00:00.12345678Z")]
    public async Task Un_instante_sin_zona_invalido_futuro_o_anterior_a_1990_es_400(string valor)
    {
        var p = await Escenario.ProgramaAsync(await Escenario.ServicioAsync());
        foreach (var ruta in new[] { $"/api/v1/programas/{p}", $"/api/v1/programas/{p}/informe", "/api/v1/compromisos", "/api/v1/estadisticas/cumplimiento" })
        {
            var r = await Cliente.GetAsync($"{ruta}?conocidoAl={Uri.EscapeDataString(valor)}");
            var problema = await Problemas.AfirmarAsync(r, HttpStatusCode.BadRequest);
            Assert.NotNull(problema["errors"]?["conocidoAl"]);
        }

        // Given twice, it is not one instant; an unencoded "+" (a space once decoded) gets a hint.
        var dos = await Problemas.AfirmarAsync(await Cliente.GetAsync("/api/v1/programas?conocidoAl=2010-03-01T15:00:00Z&conocidoAl=2010-03-01T16:00:00Z"), HttpStatusCode.BadRequest);
        Assert.NotNull(dos["errors"]?["conocidoAl"]);
        var mas = await Problemas.AfirmarAsync(await Cliente.GetAsync("/api/v1/programas?conocidoAl=2010-03-01T12:00:00+03:00"), HttpStatusCode.BadRequest);
        Assert.Contains("%2B", (string)mas["errors"]!["conocidoAl"]![0]!, StringComparison.Ordinal);

        // Offsets, fractions and lower-case separators are RFC 3339.
        foreach (var bueno in new[] { "2026-01-01T00:00:00-03:00", "2026-01-01T03:00:00.123456Z", "2026-01-01t03:00:00z" })
            Assert.Equal(HttpStatusCode.OK, (await Cliente.GetAsync($"/api/v1/programas?conocidoAl={Uri.EscapeDataString(bueno)}")).StatusCode);
    }

    /// <summary>alCorte and corte are dates, written one way: the same URL means the same day on every server.</summary>
    [Theory]
    [InlineData("alCorte", "2009-12-3")]
    [InlineData("alCorte", " 2009-12-31")]
    [InlineData("alCorte", "2009-12-31T00:00:00Z")]
    [InlineData("alCorte", "31-12-2009")]
    [InlineData("corte", "2009-1-31")]
    public async Task Una_fecha_mal_escrita_es_400(string parametro, string valor)
    {
        var servicio = await Escenario.ServicioAsync();
        var ruta = parametro == "corte" ? $"/api/v1/servicios/{servicio}/pendientes" : "/api/v1/compromisos";
        var r = await Cliente.GetAsync($"{ruta}?{parametro}={Uri.EscapeDataString(valor)}");
        Assert.NotNull((await Problemas.AfirmarAsync(r, HttpStatusCode.BadRequest))["errors"]?[parametro]);
    }

    /// <summary>
    /// A write that took its instant before conocidoAl but commits after the question arrives is still part of the
    /// answer: the read waits for it, so asking again later gives the same answer.
    /// </summary>
    [Fact]
    public async Task Una_lectura_espera_lo_que_se_estaba_registrando_en_ese_instante()
    {
        var servicio = await Escenario.ServicioAsync();
        await using var conexion = new NpgsqlConnection(Factory.ConexionAplicacion);
        await conexion.OpenAsync();
        await using var tx = await conexion.BeginTransactionAsync();
        var registrado = DateTimeOffset.UtcNow;
        await using (var cmd = new NpgsqlCommand(
            "INSERT INTO programas (nombre, servicio_id, anio_evaluacion, linea_evaluacion, estado, registrado_en) VALUES ('Lento', $1, 2007, 'EPG', 'EnSeguimiento', $2)", conexion, tx)
        {
            Parameters = { new() { Value = servicio }, new() { Value = registrado } },
        })
        {
            await cmd.ExecuteNonQueryAsync();
        }

        var entonces = Instante(registrado.AddMilliseconds(1));
        var lectura = Cliente.GetAsync($"/api/v1/programas?servicioId={servicio}&conocidoAl={entonces}");
        await Task.Delay(500);
        Assert.False(lectura.IsCompleted, "la lectura no esperó a la escritura en curso");
        await tx.CommitAsync();
        var r = await lectura;
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Single((await r.Content.ReadFromJsonAsync<JsonObject>())!["items"]!.AsArray());
    }

    /// <summary>When a row entered the record is a fact: not even the database's owner moves it.</summary>
    [Fact]
    public async Task El_instante_de_registro_no_se_modifica()
    {
        var (p, r, c) = await Escenario.CompromisoPendienteAsync();
        await using var conexion = new NpgsqlConnection(Factory.ConnectionString);
        await conexion.OpenAsync();
        foreach (var (tabla, columna, id) in new[] { ("programas", "registrado_en", p), ("recomendaciones", "registrada_en", r), ("compromisos", "registrado_en", c) })
        {
            await using var cmd = new NpgsqlCommand($"UPDATE {tabla} SET {columna} = {columna} - interval '1 day' WHERE id = {id.ToString(CultureInfo.InvariantCulture)}", conexion);
            var ex = await Assert.ThrowsAsync<PostgresException>(() => cmd.ExecuteNonQueryAsync());
            Assert.Equal(PostgresErrorCodes.IntegrityConstraintViolation, ex.SqlState);
        }

        // Other columns still change (the record's own writes).
        var (programa, etag) = await Escenario.LeerConEtagAsync($"/api/v1/programas/{p}");
        var put = await Cliente.SendAsync(Escenario.Put($"/api/v1/programas/{p}",
            new { nombre = "Otro nombre", servicioId = (int)programa["servicioId"]!, anioEvaluacion = 2007, lineaEvaluacion = "EPG" }, etag));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
    }
}
