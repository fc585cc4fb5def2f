using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CompromisosApi.IntegrationTests.Infrastructure;
using Npgsql;

namespace CompromisosApi.IntegrationTests;

/// <summary>
/// GET /estadisticas/cumplimiento against figures computed by hand on a small record built through the API:
///
/// | programa | ministerio / servicio | año  | línea | compromisos (vence, calificación vigente)                          |
/// |----------|-----------------------|------|-------|--------------------------------------------------------------------|
/// | P1       | Agricultura / INDAP   | 2007 | EPG   | c1 2009-12 Cumplido, c2 2010-06 Cancelado, c3 2012-12 Parcialmente, c4 2014-06 Cumplido |
/// | P2       | Agricultura / INDAP   | 2008 | EI    | c5 2013-12 Pendiente, c6 2099-12 Pendiente                          |
/// | P3       | Agricultura / SAG     | 2007 | EPG   | c7 2010-12 Cumplido, c8 2011-06 Cancelado — Egresado                |
/// | P4       | Educación / JUNAEB    | 2008 | EPG   | c9 2012-06 NoCumplido, c10 2013-06 Cumplido, c11 2013-03 Cumplido   |
/// | P5       | Educación / JUNAEB    | 2009 | EGI   | (none)                                                              |
///
/// At alCorte 2013-12-31 the exigibles are all but c4 (Cumplido ahead of its due month: not counted in the
/// numerator), c6; the vencidos are c3, c5 and c9.
///
/// Alone (<see cref="ColeccionAislada"/>): an answer is kept with PostgreSQL's snapshot, which a commit on any database
/// of the server moves, and a test here waits for a lock among the whole server's sessions.
/// </summary>
[Collection(nameof(ColeccionAislada))]
public sealed class EstadisticasTests(ApiFactory factory) : PruebaApi(factory)
{
    private sealed record Ids(int Agricultura, int Educacion, int Indap, int Sag, int Junaeb);

    private async Task<Ids> RegistroAsync()
    {
        var agricultura = (int)(await Escenario.CrearAsync("/api/v1/ministerios", new { nombre = "Ministerio de Agricultura" }))["id"]!;
        var educacion = (int)(await Escenario.CrearAsync("/api/v1/ministerios", new { nombre = "Ministerio de Educación" }))["id"]!;
        var indap = await ServicioAsync("Instituto de Desarrollo Agropecuario", agricultura);
        var sag = await ServicioAsync("Servicio Agrícola y Ganadero", agricultura);
        var junaeb = await ServicioAsync("Junta Nacional de Auxilio Escolar y Becas", educacion);

        var p1 = await RecomendacionAsync(await ProgramaAsync("P1", indap, 2007, "EPG"));
        await CompromisoAsync(p1, "2009-12", "Cumplido", "2009-12-31");
        await CompromisoAsync(p1, "2010-06", "Cancelado", "2011-12-31");
        await CompromisoAsync(p1, "2012-12", "ParcialmenteCumplido", "2012-12-31");
        await CompromisoAsync(p1, "2014-06", "Cumplido", "2013-06-30");

        var p2 = await RecomendacionAsync(await ProgramaAsync("P2", indap, 2008, "EI"));
        await CompromisoAsync(p2, "2013-12", null, null);
        await CompromisoAsync(p2, "2099-12", null, null);

        var programa3 = await ProgramaAsync("P3", sag, 2007, "EPG");
        var p3 = await RecomendacionAsync(programa3);
        await CompromisoAsync(p3, "2010-12", "Cumplido", "2010-12-31");
        await CompromisoAsync(p3, "2011-06", "Cancelado", "2011-06-30");
        await Escenario.Esperar(await Cliente.PostAsJsonAsync($"/api/v1/programas/{programa3}/egreso", new { }), HttpStatusCode.OK);

        var p4 = await RecomendacionAsync(await ProgramaAsync("P4", junaeb, 2008, "EPG"));
        await CompromisoAsync(p4, "2012-06", "NoCumplido", "2012-06-30");
        await CompromisoAsync(p4, "2013-06", "Cumplido", "2013-06-30");
        await CompromisoAsync(p4, "2013-03", "Cumplido", "2013-06-30");

        await ProgramaAsync("P5", junaeb, 2009, "EGI");
        return new Ids(agricultura, educacion, indap, sag, junaeb);
    }

    private async Task<int> ServicioAsync(string nombre, int ministerioId) =>
        (int)(await Escenario.CrearAsync("/api/v1/servicios", new { nombre, ministerioId }))["id"]!;

    private async Task<int> ProgramaAsync(string nombre, int servicioId, int anio, string linea) =>
        (int)(await Escenario.CrearAsync("/api/v1/programas", new { nombre, servicioId, anioEvaluacion = anio, lineaEvaluacion = linea }))["id"]!;

    private Task<int> RecomendacionAsync(int programaId) => Escenario.RecomendacionAsync(programaId);

    private async Task CompromisoAsync(int recomendacionId, string vence, string? calificacion, string? fecha)
    {
        var id = (int)(await Escenario.CompromisoAsync(recomendacionId, vence))["id"]!;
        if (calificacion is not null) await Escenario.CalificarOkAsync(id, calificacion, fecha!, calificacion == "Cancelado" ? "Se descontinuó." : null);
    }

    /// <summary>A group as one comparable line: key, the five calificaciones, then the rest.</summary>
    private static string Linea(JsonNode g)
    {
        var c = g["porCalificacion"]!;
        var clave = (string?)g["nombre"] ?? g["anioEvaluacion"]?.ToString() ?? "";
        if (g["lineaEvaluacion"] is { } linea) clave = (string)linea!;
        return $"{clave} | {c["pendiente"]} {c["cumplido"]} {c["parcialmenteCumplido"]} {c["noCumplido"]} {c["cancelado"]} | " +
            $"total {g["total"]} vencidos {g["vencidos"]} exigibles {g["exigibles"]} cumplidos {g["cumplidosExigibles"]} " +
            $"cancelados {g["canceladosExigibles"]} | seguimiento {g["programasEnSeguimiento"]} egresados {g["programasEgresados"]} | " +
            $"{g["porcentajeCumplimiento"]?.ToJsonString() ?? "null"}";
    }

    private async Task<(JsonObject Cuerpo, List<string> Lineas)> LeerAsync(string consulta)
    {
        var cuerpo = await Escenario.LeerAsync("/api/v1/estadisticas/cumplimiento?" + consulta);
        return (cuerpo, cuerpo["grupos"]!.AsArray().Select(g => Linea(g!)).ToList());
    }

    [Fact]
    public async Task Por_ministerio_servicio_anio_y_linea_al_corte()
    {
        var ids = await RegistroAsync();

        var (ministerios, lineas) = await LeerAsync("agruparPor=ministerio&alCorte=2013-12-31");
        Assert.Equal(
        [
            "Ministerio de Agricultura | 2 3 1 0 2 | total 8 vencidos 2 exigibles 6 cumplidos 2 cancelados 2 | seguimiento 2 egresados 1 | 50.0",
            "Ministerio de Educación | 0 2 0 1 0 | total 3 vencidos 1 exigibles 3 cumplidos 2 cancelados 0 | seguimiento 2 egresados 0 | 66.7",
        ], lineas);
        Assert.Equal([ids.Agricultura, ids.Educacion], ministerios["grupos"]!.AsArray().Select(g => (int)g!["id"]!));
        Assert.Equal("ministerio", (string?)ministerios["agruparPor"]);
        Assert.Equal("2013-12-31", (string?)ministerios["alCorte"]);
        Assert.Null(ministerios["anio"]);

        var (servicios, lineasServicio) = await LeerAsync("agruparPor=servicio&alCorte=2013-12-31");
        Assert.Equal(
        [
            "Instituto de Desarrollo Agropecuario | 2 2 1 0 1 | total 6 vencidos 2 exigibles 4 cumplidos 1 cancelados 1 | seguimiento 2 egresados 0 | 33.3",
            "Servicio Agrícola y Ganadero | 0 1 0 0 1 | total 2 vencidos 0 exigibles 2 cumplidos 1 cancelados 1 | seguimiento 0 egresados 1 | 100.0",
            "Junta Nacional de Auxilio Escolar y Becas | 0 2 0 1 0 | total 3 vencidos 1 exigibles 3 cumplidos 2 cancelados 0 | seguimiento 2 egresados 0 | 66.7",
        ], lineasServicio);
        Assert.Equal([ids.Indap, ids.Sag, ids.Junaeb], servicios["grupos"]!.AsArray().Select(g => (int)g!["id"]!));

        var (anios, lineasAnio) = await LeerAsync("agruparPor=anio&alCorte=2013-12-31");
        Assert.Equal(
        [
            "2007 | 0 3 1 0 2 | total 6 vencidos 1 exigibles 5 cumplidos 2 cancelados 2 | seguimiento 1 egresados 1 | 66.7",
            "2008 | 2 2 0 1 0 | total 5 vencidos 2 exigibles 4 cumplidos 2 cancelados 0 | seguimiento 2 egresados 0 | 50.0",
            "2009 | 0 0 0 0 0 | total 0 vencidos 0 exigibles 0 cumplidos 0 cancelados 0 | seguimiento 1 egresados 0 | null",
        ], lineasAnio);
        Assert.All(anios["grupos"]!.AsArray(), g => Assert.Null(g!["id"]));

        var (_, lineasLinea) = await LeerAsync("agruparPor=linea&alCorte=2013-12-31");
        Assert.Equal(
        [
            "EGI | 0 0 0 0 0 | total 0 vencidos 0 exigibles 0 cumplidos 0 cancelados 0 | seguimiento 1 egresados 0 | null",
            "EI | 2 0 0 0 0 | total 2 vencidos 1 exigibles 1 cumplidos 0 cancelados 0 | seguimiento 1 egresados 0 | 0.0",
            "EPG | 0 5 1 1 2 | total 9 vencidos 2 exigibles 8 cumplidos 4 cancelados 2 | seguimiento 2 egresados 1 | 66.7",
        ], lineasLinea);
    }

    [Fact]
    public async Task anio_filtra_los_programas_por_anio_de_evaluacion()
    {
        await RegistroAsync();

        var (cuerpo, lineas) = await LeerAsync("agruparPor=ministerio&anio=2008&alCorte=2013-12-31");

        Assert.Equal(2008, (int)cuerpo["anio"]!);
        Assert.Equal(
        [
            "Ministerio de Agricultura | 2 0 0 0 0 | total 2 vencidos 1 exigibles 1 cumplidos 0 cancelados 0 | seguimiento 1 egresados 0 | 0.0",
            "Ministerio de Educación | 0 2 0 1 0 | total 3 vencidos 1 exigibles 3 cumplidos 2 cancelados 0 | seguimiento 1 egresados 0 | 66.7",
        ], lineas);
        Assert.Empty((await Escenario.LeerAsync("/api/v1/estadisticas/cumplimiento?anio=1999"))["grupos"]!.AsArray());
    }

    [Fact]
    public async Task alCorte_cuenta_el_registro_como_estaba_en_ese_corte()
    {
        await RegistroAsync();

        // At 15-06-2010 only c1 was qualified (Cumplido), c2 (due June 2010) was still Pendiente, so vencido, and P3 had
        // not egresado yet (its egreso is dated 30-06-2011).
        var (_, junio2010) = await LeerAsync("alCorte=2010-06-15");
        Assert.Equal(
        [
            "Ministerio de Agricultura | 7 1 0 0 0 | total 8 vencidos 1 exigibles 2 cumplidos 1 cancelados 0 | seguimiento 3 egresados 0 | 50.0",
            "Ministerio de Educación | 3 0 0 0 0 | total 3 vencidos 0 exigibles 0 cumplidos 0 cancelados 0 | seguimiento 2 egresados 0 | null",
        ], junio2010);

        var (_, fin2099) = await LeerAsync("agruparPor=ministerio&alCorte=2099-12-31");
        Assert.Equal(
        [
            "Ministerio de Agricultura | 2 3 1 0 2 | total 8 vencidos 3 exigibles 8 cumplidos 3 cancelados 2 | seguimiento 2 egresados 1 | 50.0",
            "Ministerio de Educación | 0 2 0 1 0 | total 3 vencidos 1 exigibles 3 cumplidos 2 cancelados 0 | seguimiento 2 egresados 0 | 66.7",
        ], fin2099);
    }

    [Fact]
    public async Task Sin_alCorte_se_calcula_a_hoy_en_Chile_y_por_omision_agrupa_por_ministerio()
    {
        await RegistroAsync();
        var chile = TimeZoneInfo.FindSystemTimeZoneById("America/Santiago");
        var antes = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, chile).DateTime);

        var cuerpo = await Escenario.LeerAsync("/api/v1/estadisticas/cumplimiento");

        var despues = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, chile).DateTime);
        Assert.Contains(DateOnly.Parse((string)cuerpo["alCorte"]!, System.Globalization.CultureInfo.InvariantCulture), new[] { antes, despues });
        Assert.Equal("ministerio", (string?)cuerpo["agruparPor"]);
        // Today, only c6 (due 2099-12) is not yet exigible.
        Assert.Equal(7, (int)cuerpo["grupos"]![0]!["exigibles"]!);
    }

    [Theory]
    [InlineData("agruparPor=programa", "agruparPor")]
    [InlineData("agruparPor=Ministerio", "agruparPor")]
    [InlineData("anio=1800", "anio")]
    [InlineData("anio=abc", "anio")]
    [InlineData("alCorte=2013-02-30", "alCorte")]
    public async Task Parametros_invalidos(string consulta, string campo) =>
        await Problemas.Validacion(await Cliente.GetAsync("/api/v1/estadisticas/cumplimiento?" + consulta), campo);

    [Theory]
    [InlineData("anio=2007&anio=2008", "anio")]
    [InlineData("agruparPor=ministerio&agruparPor=servicio", "agruparPor")]
    [InlineData("alCorte=2009-12-31&alCorte=2009-12-31", "alCorte")]
    public async Task Un_parametro_repetido_se_nombra_como_repetido(string consulta, string campo)
    {
        // No query parameter is a list: binding read one of the values, or said the format was wrong (outside review).
        var p = await Problemas.Validacion(await Cliente.GetAsync("/api/v1/estadisticas/cumplimiento?" + consulta), campo);
        Assert.Equal(["Se indicó más de una vez."], p["errors"]![campo]!.AsArray().Select(m => (string)m!));
    }

    [Fact]
    public async Task Sin_programas_no_hay_grupos()
    {
        var r = await Cliente.GetAsync("/api/v1/estadisticas/cumplimiento?agruparPor=linea");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Empty((await Escenario.LeerAsync("/api/v1/estadisticas/cumplimiento?agruparPor=linea"))["grupos"]!.AsArray());
    }

    /// <summary>
    /// An answer is kept with the PostgreSQL snapshot it was computed in: the same question under the same snapshot is
    /// answered without aggregating again, and any committed write, through the API or straight into the database
    /// (another instance, an administrator), makes the next answer a new computation.
    /// </summary>
    [Fact]
    public async Task Una_pregunta_repetida_no_vuelve_a_agregar_hasta_que_el_registro_cambia()
    {
        var ids = await RegistroAsync();
        const string consulta = "agruparPor=ministerio&alCorte=2013-12-31";
        var (_, primera) = await LeerAsync(consulta);

        using (var contador = new ContadorDeConsultas(Factory.BaseDeDatos))
        {
            var (_, repetida) = await LeerAsync(consulta);
            Assert.Equal(primera, repetida);
            Assert.Contains("pg_current_snapshot", Assert.Single(contador.Textos));
        }

        // Through the API: a new programa of Educación (in follow-up, no compromisos yet).
        await ProgramaAsync("P6", ids.Junaeb, 2010, "EPG");
        var (_, trasElPrograma) = await LeerAsync(consulta);
        Assert.Equal("Ministerio de Educación | 0 2 0 1 0 | total 3 vencidos 1 exigibles 3 cumplidos 2 cancelados 0 | seguimiento 3 egresados 0 | 66.7",
            trasElPrograma[1]);

        // Straight into the database, from another connection.
        Assert.Equal(1, await RenombrarEducacionAsync(ids));
        var (_, trasRenombrar) = await LeerAsync(consulta);
        Assert.StartsWith("Ministerio de Educación Pública | ", trasRenombrar[1]);
        Assert.Equal(trasElPrograma[0], trasRenombrar[0]);
    }

    /// <summary>
    /// When the record has changed, many clients asking the same question at once aggregate once per turn, not once
    /// each: the first computes; the ones that arrived while it ran compute once more (they may have written after it
    /// started), and that answer serves the rest of them. The first computation is held here by a lock on the table of
    /// totals it reads (Persistence/Sql/estadisticas.sql).
    /// </summary>
    [Fact]
    public async Task Muchos_clientes_con_la_misma_pregunta_no_agregan_cada_uno()
    {
        var ids = await RegistroAsync();
        const string url = "/api/v1/estadisticas/cumplimiento?agruparPor=ministerio&alCorte=2013-12-31";
        await Escenario.LeerAsync(url);

        await RenombrarEducacionAsync(ids);
        await using var otra = new NpgsqlConnection(Factory.ConnectionString);
        await otra.OpenAsync();
        await using var tx = await otra.BeginTransactionAsync();
        await using (var bloquear = new NpgsqlCommand("LOCK TABLE estadisticas_totales IN ACCESS EXCLUSIVE MODE", otra, tx))
        {
            await bloquear.ExecuteNonQueryAsync();
        }

        using var contador = new ContadorDeConsultas(Factory.BaseDeDatos);
        var primera = Cliente.GetAsync(url);
        await Feed.EsperarAsync(async () => await Feed.EscalarAsync(Factory.ConnectionString,
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%FROM estadisticas_totales%'") == 1,
            "the first computation waits for the lock");
        var demas = Enumerable.Range(0, 10).Select(_ => Cliente.GetAsync(url)).ToList();
        await Feed.EsperarAsync(() => Task.FromResult(Instantaneas(contador) == 11), "every request has read the snapshot");
        Assert.False(primera.IsCompleted);

        await tx.RollbackAsync();
        foreach (var r in await Task.WhenAll(demas.Prepend(primera)))
        {
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            Assert.Contains("Ministerio de Educación Pública", await r.Content.ReadAsStringAsync());
        }
        Assert.Equal(2, Agregaciones(contador));

        static int Instantaneas(ContadorDeConsultas c) => c.Textos.Count(t => t.Contains("pg_current_snapshot()::text AS \"Value\""));
        static int Agregaciones(ContadorDeConsultas c) => c.Textos.Count(t => t.Contains("GROUP BY"));
    }

    private Task<long> RenombrarEducacionAsync(Ids ids) => Feed.EscalarAsync(Factory.ConnectionString,
        $"WITH u AS (UPDATE ministerios SET nombre = 'Ministerio de Educación Pública' WHERE id = {ids.Educacion} RETURNING 1) SELECT count(*) FROM u");
}
