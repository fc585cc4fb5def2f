using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CompromisosApi.Domain;
using CompromisosApi.Features.Demo;
using CompromisosApi.IntegrationTests.Infrastructure;
using CompromisosApi.Persistence;
using CsCheck;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit.Abstractions;

namespace CompromisosApi.IntegrationTests;

/// <summary>
/// alCorte means one thing everywhere: the record as it stood at the cut-off. The Informe is the reference; every other
/// read that takes a cut-off must tell its story.
/// </summary>
public sealed class AlCorteTests(ApiFactory factory, ITestOutputHelper salida) : PruebaApi(factory)
{
    private async Task<int> DemoAsync()
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DemoSeeder>().CargarAsync(CancellationToken.None);
    }

    private async Task<List<int>> IdsAsync(string ruta) =>
        (await Escenario.LeerAsync(ruta))["items"]!.AsArray().Select(c => (int)c!["id"]!).ToList();

    /// <summary>The table of issue 13: the seed's record (the demo import) read as of 31-12-2009, and as of 31-12-2011.</summary>
    [Fact]
    public async Task El_registro_de_la_semilla_al_31_12_2009_es_el_del_informe_en_cada_lectura()
    {
        var p = await DemoAsync();
        var compromisos = (await Escenario.LeerAsync($"/api/v1/compromisos?programaId={p}"))["items"]!.AsArray();
        var c12 = (int)compromisos.Single(c => (string?)c!["numero"] == "1.2")!["id"]!;
        var servicio = (int)(await Escenario.LeerAsync($"/api/v1/programas/{p}"))["servicioId"]!;

        var informe = await Escenario.LeerAsync($"/api/v1/programas/{p}/informe?alCorte=2009-12-31");
        Assert.Equal("En Seguimiento", (string?)informe["calificacion"]);
        var enInforme = informe["recomendaciones"]![0]!["compromisos"]![1]!;
        Assert.Equal("1.2", (string?)enInforme["numero"]);
        Assert.Equal("Pendiente", (string?)enInforme["calificacion"]);

        var uno = await Escenario.LeerAsync($"/api/v1/compromisos/{c12}?alCorte=2009-12-31");
        Assert.Equal("Pendiente", (string?)uno["calificacion"]);
        Assert.Null((string?)uno["fechaCalificacion"]);
        Assert.True((bool)uno["vencido"]!);

        Assert.Equal([c12], await IdsAsync("/api/v1/compromisos?vencidos=true&alCorte=2009-12-31"));
        Assert.Equal([c12], await IdsAsync("/api/v1/compromisos?calificacion=Pendiente&alCorte=2009-12-31"));
        Assert.Empty(await IdsAsync("/api/v1/compromisos?calificacion=Cancelado&alCorte=2009-12-31"));
        Assert.Equal([c12], await IdsAsync($"/api/v1/servicios/{servicio}/pendientes?corte=2009-12-31"));

        var grupo = (await Escenario.LeerAsync("/api/v1/estadisticas/cumplimiento?alCorte=2009-12-31"))["grupos"]!.AsArray().Single()!;
        Assert.Equal(80.0m, (decimal)grupo["porcentajeCumplimiento"]!);
        Assert.Equal(1, (int)grupo["vencidos"]!);
        Assert.Equal(0, (int)grupo["porCalificacion"]!["cancelado"]!);
        Assert.Equal(1, (int)grupo["porCalificacion"]!["pendiente"]!);
        Assert.Equal(1, (int)grupo["programasEnSeguimiento"]!);
        Assert.Equal(0, (int)grupo["programasEgresados"]!);

        var programa = await Escenario.LeerAsync($"/api/v1/programas/{p}?alCorte=2009-12-31");
        Assert.Equal("EnSeguimiento", (string?)programa["estado"]);
        Assert.Null((string?)programa["fechaEgreso"]);
        Assert.Null(programa["egresoPropuesto"]);
        Assert.Equal([p], await IdsAsync("/api/v1/programas?estado=EnSeguimiento&alCorte=2009-12-31"));
        Assert.Empty(await IdsAsync("/api/v1/programas?estado=Egresado&alCorte=2009-12-31"));

        var csv = await Cliente.GetStringAsync("/api/v1/compromisos?formato=csv&alCorte=2009-12-31");
        var fila = csv.Split("\r\n").Single(l => l.Contains(",1.2,", StringComparison.Ordinal));
        Assert.EndsWith(",2009-12,Pendiente,,true,,false", fila, StringComparison.Ordinal);

        // At the egreso's cut-off the same reads show the record as it is today.
        Assert.Equal("Cancelado", (string?)(await Escenario.LeerAsync($"/api/v1/compromisos/{c12}?alCorte=2011-12-31"))["calificacion"]);
        Assert.Empty(await IdsAsync("/api/v1/compromisos?vencidos=true&alCorte=2011-12-31"));
        Assert.Empty(await IdsAsync($"/api/v1/servicios/{servicio}/pendientes?corte=2011-12-31"));
        var fin = (await Escenario.LeerAsync("/api/v1/estadisticas/cumplimiento?alCorte=2011-12-31"))["grupos"]!.AsArray().Single()!;
        Assert.Equal(100.0m, (decimal)fin["porcentajeCumplimiento"]!);
        Assert.Equal(1, (int)fin["programasEgresados"]!);
        Assert.Equal("Egresado", (string?)(await Escenario.LeerAsync($"/api/v1/programas/{p}?alCorte=2011-12-31"))["estado"]);

        foreach (var d in new[] { "2009-06-30", "2009-12-31", "2010-06-30", "2011-12-31", "2012-06-30" })
            await Relato.AfirmarAsync(Escenario, Cliente, p, servicio, DateOnly.Parse(d, CultureInfo.InvariantCulture), Relato.ReportesDe(compromisos, c12));
    }

    /// <summary>
    /// A correction replaces what was registered before it, from its own date on, even when dated earlier than the
    /// calificación it replaces; a reapertura undoes the egreso at every cut-off, and a new egreso is dated again.
    /// </summary>
    [Fact]
    public async Task Correcciones_y_reaperturas_antes_y_despues()
    {
        var admin = ClienteCon("admin-alcorte", ["administrador"]);
        var servicio = await Escenario.ServicioAsync();
        var p = await Escenario.ProgramaAsync(servicio);
        var r = await Escenario.RecomendacionAsync(p);
        var a = (int)(await Escenario.CompromisoAsync(r, "2009-12"))["id"]!;
        var b = (int)(await Escenario.CompromisoAsync(r, "2010-12"))["id"]!;
        await Escenario.CalificarOkAsync(a, "Cumplido", "2009-12-31");
        await Escenario.CalificarOkAsync(b, "NoCumplido", "2010-12-31");
        await Escenario.CalificarOkAsync(b, "Cancelado", "2011-12-31", "Se descontinuó.");
        await Escenario.Esperar(await Cliente.PostAsJsonAsync($"/api/v1/programas/{p}/egreso", new { }), HttpStatusCode.OK);

        async Task<(string Calificacion, bool Vencido)> BAsync(string d)
        {
            var x = await Escenario.LeerAsync($"/api/v1/compromisos/{b}?alCorte={d}");
            return ((string)x["calificacion"]!, (bool)x["vencido"]!);
        }

        async Task<string> EstadoAsync(string d) => (string)(await Escenario.LeerAsync($"/api/v1/programas/{p}?alCorte={d}"))["estado"]!;

        Assert.Equal(("Pendiente", false), await BAsync("2010-06-30"));
        Assert.Equal(("NoCumplido", true), await BAsync("2010-12-31"));
        Assert.Equal(("Cancelado", false), await BAsync("2011-12-31"));
        Assert.Equal("EnSeguimiento", await EstadoAsync("2011-06-30"));
        Assert.Equal("Egresado", await EstadoAsync("2011-12-31"));
        await AfirmarAsync("2011-12-31");

        await Escenario.Esperar(await admin.PostAsJsonAsync($"/api/v1/programas/{p}/reapertura", new { motivo = "Oficio 7: B se canceló por error." }), HttpStatusCode.OK);
        Assert.Equal("EnSeguimiento", await EstadoAsync("2011-12-31"));
        Assert.Equal("EnSeguimiento", await EstadoAsync("2099-12-31"));
        Assert.Equal("En Seguimiento", (string?)(await Escenario.LeerAsync($"/api/v1/programas/{p}/informe?alCorte=2011-12-31"))["calificacion"]);
        Assert.Equal(("Cancelado", false), await BAsync("2011-12-31"));

        // Dated 31-12-2010, before the Cancelado it replaces: as of 2011 and later it is Cumplido, as today.
        await Escenario.Esperar(await admin.PostAsJsonAsync($"/api/v1/compromisos/{b}/correcciones",
            new { calificacion = "Cumplido", fecha = "2010-12-31", motivo = "El servicio acreditó el cumplimiento en 2010." }), HttpStatusCode.Created);
        Assert.Equal(("Pendiente", false), await BAsync("2010-06-30"));
        Assert.Equal(("Cumplido", false), await BAsync("2010-12-31"));
        Assert.Equal(("Cumplido", false), await BAsync("2011-12-31"));
        Assert.Equal("Cumplido", (string?)(await Escenario.LeerAsync($"/api/v1/compromisos/{b}"))["calificacion"]);
        await AfirmarAsync("2010-12-31");
        await AfirmarAsync("2011-12-31");

        // The egreso again takes the latest calificación's date, now 31-12-2010.
        await Escenario.Esperar(await Cliente.PostAsJsonAsync($"/api/v1/programas/{p}/egreso", new { }), HttpStatusCode.OK);
        Assert.Equal("EnSeguimiento", await EstadoAsync("2010-06-30"));
        Assert.Equal("Egresado", await EstadoAsync("2010-12-31"));
        foreach (var d in new[] { "2009-12-31", "2010-06-30", "2010-12-31", "2011-06-30", "2011-12-31" }) await AfirmarAsync(d);

        Task AfirmarAsync(string d) => Relato.AfirmarAsync(Escenario, Cliente, p, servicio, DateOnly.Parse(d, CultureInfo.InvariantCulture), []);
    }

    /// <summary>
    /// The domain rule, the EF projection and the SQL functions on the same histories, including ones only an
    /// administrator's corrections (or a legacy import) can produce: registration order decides, not fecha.
    /// </summary>
    [Fact]
    public async Task La_regla_la_consulta_y_la_funcion_sql_dicen_lo_mismo()
    {
        // (history in registration order, cut-off, expected calificación or null for Pendiente)
        (string, string, string?)[] casos =
        [
            ("", "2011-12-31", null),
            ("ParcialmenteCumplido@2009-12-31 Cumplido@2010-12-31", "2009-12-30", null),
            ("ParcialmenteCumplido@2009-12-31 Cumplido@2010-12-31", "2009-12-31", "ParcialmenteCumplido@2009-12-31"),
            ("ParcialmenteCumplido@2009-12-31 Cumplido@2010-12-31", "2010-12-30", "ParcialmenteCumplido@2009-12-31"),
            ("ParcialmenteCumplido@2009-12-31 Cumplido@2010-12-31", "2010-12-31", "Cumplido@2010-12-31"),
            ("Cumplido@2009-12-31 Cancelado@2011-12-31 Cumplido@2009-12-31", "2012-06-30", "Cumplido@2009-12-31"),
            ("Cumplido@2009-12-31 Cancelado@2011-12-31 Cumplido@2009-12-31", "2009-06-30", null),
            ("Cancelado@2011-12-31 Cumplido@2012-06-30", "2011-12-31", "Cancelado@2011-12-31"),
            ("Cancelado@2011-12-31 Cumplido@2012-06-30", "2012-06-30", "Cumplido@2012-06-30"),
            ("NoCumplido@2010-06-30 NoCumplido@2010-12-31 Cumplido@2010-06-30", "2010-12-31", "Cumplido@2010-06-30"),
            ("Cumplido@2009-12-31 NoCumplido@2009-12-31", "2009-12-31", "NoCumplido@2009-12-31"),
        ];
        var (_, r, _) = await Escenario.CompromisoPendienteAsync("2010-06");
        await using var conexion = new NpgsqlConnection(Factory.ConnectionString);
        await conexion.OpenAsync();
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CompromisosDbContext>();

        // Step i of a history is registered at hour i after the compromisos (written straight into the table, so the
        // instants can be chosen); each case is read as known at the end of every step, before the first, and as known
        // today (null), where the expected answer is the case's.
        var origen = DateTimeOffset.UtcNow.AddHours(1);
        foreach (var (historial, corte, esperadoHoy) in casos)
        {
            var id = (int)(await Escenario.CompromisoAsync(r, "2010-06"))["id"]!;
            var pasos = await HistoriaDirecta.EscribirAsync(conexion, id, historial, origen);

            var d = DateOnly.Parse(corte, CultureInfo.InvariantCulture);
            var instantes = Enumerable.Range(0, pasos).Select(i => (DateTimeOffset?)origen.AddHours(i).AddMinutes(30)).Prepend(origen.AddMinutes(-1)).Append(null);
            foreach (var t in instantes)
            {
                var caso = $"[{historial}] al {corte} conocido al {t:O}";
                var momento = new Momento(d, t);
                var filas = await db.Calificaciones.AsNoTracking().Where(k => k.CompromisoId == id).ToListAsync();
                var regla = Compromiso.CalificacionAlCorte(filas.Where(k => t is null || k.RegistradaEn <= t), d) is { } k
                    ? $"{k.Calificacion}@{k.Fecha:yyyy-MM-dd}" : null;
                var x = await db.Compromisos.AsNoTracking().Where(c => c.Id == id).ComoEstaban(db, momento).SingleAsync();
                var consulta = x.FechaCalificacion is { } f ? $"{x.Calificacion}@{f:yyyy-MM-dd}" : null;
                if (x.FechaCalificacion is null) Assert.Equal(Calificacion.Pendiente, x.Calificacion);
                await using var funcion = new NpgsqlCommand("SELECT calificacion || '@' || to_char(fecha, 'YYYY-MM-DD') FROM calificacion_al_corte($1, $2, $3)", conexion)
                {
                    Parameters = { new() { Value = id }, new() { Value = d }, new() { Value = (object?)t ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz } },
                };
                var sql = (string?)await funcion.ExecuteScalarAsync();
                if (t is null) Assert.True(esperadoHoy == regla, $"regla {caso}: {regla}");
                // Before its first step the history is empty: Pendiente, whatever the cut-off.
                if (t < origen) Assert.True(regla is null, $"regla {caso}: {regla}");
                Assert.True(regla == consulta, $"consulta {caso}: {consulta}, regla {regla}");
                Assert.True(regla == sql, $"sql {caso}: {sql}, regla {regla}");

                // vencido from that calificación: due 2010-06, so vencido from June 2010 on unless Cumplido or Cancelado.
                var vencidoRegla = Compromiso.EstaVencido(new DateOnly(2010, 6, 1), x.Calificacion, d);
                var vencidoConsulta = await db.Compromisos.AsNoTracking().Where(c => c.Id == id).ComoEstaban(db, momento).Vencidos(d, true).AnyAsync();
                await using var vencidoSql = new NpgsqlCommand(
                    "SELECT vencido_al_corte(c.fecha_vencimiento, coalesce(k.calificacion, 'Pendiente'), $2) FROM compromisos c " +
                    "LEFT JOIN LATERAL calificacion_al_corte(c.id, $2, $3) k ON true WHERE c.id = $1", conexion)
                {
                    Parameters = { new() { Value = id }, new() { Value = d }, new() { Value = (object?)t ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz } },
                };
                Assert.Equal(vencidoRegla, vencidoConsulta);
                Assert.Equal(vencidoRegla, (bool)(await vencidoSql.ExecuteScalarAsync())!);
            }
        }

        // Egresado at a cut-off, today and as known between the egreso and the reapertura: an egresado programa, one in
        // follow-up, and one reopened.
        var admin = ClienteCon("admin-alcorte", ["administrador"]);
        var servicio = (int)(await Escenario.LeerAsync($"/api/v1/recomendaciones/{r}"))["programaId"]!;
        servicio = (int)(await Escenario.LeerAsync($"/api/v1/programas/{servicio}"))["servicioId"]!;
        var programas = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            var p = await Escenario.ProgramaAsync(servicio, $"Programa {i}");
            var c = (int)(await Escenario.CompromisoAsync(await Escenario.RecomendacionAsync(p)))["id"]!;
            programas.Add(p);
            if (i == 1) continue;
            await Escenario.CalificarOkAsync(c, "Cumplido", "2010-12-31");
            await Escenario.Esperar(await Cliente.PostAsJsonAsync($"/api/v1/programas/{p}/egreso", new { }), HttpStatusCode.OK);
            if (i == 2) await Escenario.Esperar(await admin.PostAsJsonAsync($"/api/v1/programas/{p}/reapertura", new { motivo = "Revisión." }), HttpStatusCode.OK);
        }

        var reapertura = await db.Egresos.Where(e => e.ProgramaId == programas[2]).MaxAsync(e => e.RegistradoEn);
        var antesDeReabrir = reapertura.AddTicks(-1);
        (string, DateTimeOffset?, int[])[] preguntas =
        [
            ("2010-12-30", null, []), ("2010-12-31", null, [programas[0]]), ("2099-12-31", null, [programas[0]]),
            ("2010-12-30", antesDeReabrir, []), ("2010-12-31", antesDeReabrir, [programas[0], programas[2]]),
            ("2010-12-31", reapertura, [programas[0]]),
        ];
        foreach (var (corte, t, egresados) in preguntas)
        {
            var d = DateOnly.Parse(corte, CultureInfo.InvariantCulture);
            var momento = new Momento(d, t);
            var caso = $"al {corte} conocido al {t:O}";
            if (t is null)
            {
                var entidades = await db.Programas.AsNoTracking().Where(p => programas.Contains(p.Id)).ToListAsync();
                Assert.Equal(egresados, entidades.Where(p => p.EgresadoAl(d)).Select(p => p.Id).Order());
            }

            var consulta = db.Programas.Where(p => programas.Contains(p.Id)).ComoEstaban(db, momento);
            Assert.True(egresados.SequenceEqual(await consulta.Egresados(d, true).Select(x => x.Programa.Id).OrderBy(x => x).ToListAsync()), caso);
            Assert.Equal(programas.Except(egresados), await consulta.Egresados(d, false).Select(x => x.Programa.Id).OrderBy(x => x).ToListAsync());
            await using var sql = new NpgsqlCommand(
                "SELECT p.id FROM programas p LEFT JOIN LATERAL egreso_conocido(p.id, $3) e ON true WHERE p.id = ANY($1) " +
                "AND egresado_al_corte(CASE WHEN $3 IS NULL THEN p.fecha_egreso ELSE e.fecha_egreso END, $2) ORDER BY p.id", conexion)
            {
                Parameters = { new() { Value = programas.ToArray() }, new() { Value = d }, new() { Value = (object?)t ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz } },
            };
            var ids = new List<int>();
            await using (var lector = await sql.ExecuteReaderAsync())
                while (await lector.ReadAsync()) ids.Add(lector.GetInt32(0));
            Assert.True(egresados.SequenceEqual(ids), caso);
        }
    }

    /// <summary>
    /// The Informe (JSON and text) as produced at a cut-off, without what only a reading as known at an instant prints
    /// (its conocidoAl), so that one produced then and one read as known then can be compared.
    /// </summary>
    private async Task<string> InformeSinInstanteAsync(int programa, string corte, DateTimeOffset? conocidoAl)
    {
        var ruta = $"/api/v1/programas/{programa}/informe?alCorte={corte}" + (conocidoAl is { } t ? "&conocidoAl=" + Relato.Instante(t) : "");
        var json = (JsonObject)JsonNode.Parse(await Cliente.GetStringAsync(ruta))!;
        Assert.Equal(conocidoAl is null ? null : json["conocidoAl"]?.GetValue<DateTimeOffset>(), conocidoAl);
        json.Remove("conocidoAl");
        var texto = (await Cliente.GetStringAsync(ruta + "&formato=texto")).Split('\n')
            .Where(l => !l.StartsWith("Registro conocido al:", StringComparison.Ordinal));
        return json.ToJsonString() + "\n" + string.Join('\n', texto);
    }

    private static readonly string[] Cortes = ["2009-06-30", "2009-12-31", "2010-06-30", "2010-12-31", "2011-06-30", "2011-12-31"];
    private static readonly string[] Calificaciones = ["ParcialmenteCumplido", "NoCumplido", "Cumplido", "Cancelado"];

    /// <summary>
    /// Random histories (calificaciones, reportes, egreso, reapertura, a correction possibly dated before the
    /// calificación it replaces), read at random cut-offs: every read tells the Informe's story. At points of the
    /// history the Informe of every cut-off is kept as it was produced then; at the end, read as known at each of those
    /// instants, each is the same again (and every other read agrees with it).
    /// </summary>
    [Fact]
    public async Task En_historias_al_azar_cada_lectura_cuenta_lo_que_el_informe()
    {
        var admin = ClienteCon("admin-alcorte", ["administrador"]);
        var casos = int.TryParse(Environment.GetEnvironmentVariable("ALCORTE_CASOS"), out var n) ? n : 12;
        await Gen.Int.SampleAsync(
            async semilla =>
            {
                await Factory.ResetAsync();
                var azar = new Random(semilla);
                var servicio = await Escenario.ServicioAsync();
                var p = await Escenario.ProgramaAsync(servicio);
                var reportes = new List<(int Compromiso, DateOnly Corte)>();
                var compromisos = new List<int>();
                var recuerdos = new List<(DateTimeOffset Instante, List<(int, DateOnly)> Reportes, Dictionary<string, string> Informes)>();

                // Every write before this instant has answered, and none runs until the reads below are done.
                async Task RecordarAsync()
                {
                    var instante = DateTimeOffset.UtcNow;
                    var informes = new Dictionary<string, string>();
                    foreach (var d in Cortes) informes[d] = await InformeSinInstanteAsync(p, d, null);
                    recuerdos.Add((instante, reportes.ToList(), informes));
                }

                for (var rec = 0; rec < 2; rec++)
                {
                    var r = await Escenario.RecomendacionAsync(p);
                    for (var i = azar.Next(1, 3); i > 0; i--)
                    {
                        var vence = new DateOnly(2009, 6, 1).AddMonths(azar.Next(0, 36));
                        var c = (int)(await Escenario.CompromisoAsync(r, vence.ToString("yyyy-MM", CultureInfo.InvariantCulture)))["id"]!;
                        compromisos.Add(c);
                        var corte = azar.Next(0, Cortes.Length);
                        for (var paso = azar.Next(0, 4); paso > 0 && corte < Cortes.Length; paso--, corte += azar.Next(0, 3))
                        {
                            var cal = Calificaciones[azar.Next(Calificaciones.Length)];
                            await Escenario.CalificarOkAsync(c, cal, Cortes[corte], cal == "Cancelado" ? "Sin presupuesto." : null);
                            if (cal is "Cumplido" or "Cancelado") break;
                        }

                        foreach (var corteReporte in Cortes.Where(_ => azar.Next(4) == 0))
                        {
                            await Escenario.CrearAsync($"/api/v1/compromisos/{c}/reportes", new { corte = corteReporte, texto = "Avance." });
                            reportes.Add((c, DateOnly.Parse(corteReporte, CultureInfo.InvariantCulture)));
                        }
                    }
                }

                // Egreso when possible; then, sometimes, a reapertura with a correction and a new egreso.
                await RecordarAsync();
                var egreso = await Cliente.PostAsJsonAsync($"/api/v1/programas/{p}/egreso", new { });
                if (egreso.IsSuccessStatusCode && azar.Next(2) == 0)
                {
                    await RecordarAsync();
                    await Escenario.Esperar(await admin.PostAsJsonAsync($"/api/v1/programas/{p}/reapertura", new { motivo = "Revisión." }), HttpStatusCode.OK);
                    await RecordarAsync();
                    var c = compromisos[azar.Next(compromisos.Count)];
                    await Escenario.Esperar(await admin.PostAsJsonAsync($"/api/v1/compromisos/{c}/correcciones",
                        new { calificacion = Calificaciones[azar.Next(Calificaciones.Length)], fecha = Cortes[azar.Next(Cortes.Length)], motivo = "Error." }), HttpStatusCode.Created);
                    if (azar.Next(2) == 0)
                    {
                        await RecordarAsync();
                        await Cliente.PostAsJsonAsync($"/api/v1/programas/{p}/egreso", new { });
                    }
                }

                foreach (var d in new[] { Cortes[azar.Next(Cortes.Length)], Cortes[azar.Next(Cortes.Length)], "2010-03-15", "2012-12-31" })
                    await Relato.AfirmarAsync(Escenario, Cliente, p, servicio, DateOnly.Parse(d, CultureInfo.InvariantCulture), reportes);

                foreach (var (instante, conocidos, informes) in recuerdos)
                {
                    foreach (var (d, entonces) in informes)
                        Assert.Equal(entonces, await InformeSinInstanteAsync(p, d, instante));
                    var corte = Cortes[azar.Next(Cortes.Length)];
                    await Relato.AfirmarAsync(Escenario, Cliente, p, servicio, DateOnly.Parse(corte, CultureInfo.InvariantCulture), conocidos, instante);
                }
            },
            iter: casos,
            threads: 1);
    }

    /// <summary>
    /// EXPLAIN of the as-of list (vencidos at a cut-off, one ministerio's page) on a few thousand compromisos: the page is
    /// still walked in id order on the same index and stops at the page, the calificación in effect read per row by the
    /// index (compromiso_id, id), and the statistics inline calificacion_al_corte instead of calling it per row.
    /// </summary>
    [Fact]
    public async Task La_lista_al_corte_usa_los_mismos_indices_y_la_funcion_se_inlinea()
    {
        var (p, r, c) = await Escenario.CompromisoPendienteAsync();
        await using var conexion = new NpgsqlConnection(Factory.ConnectionString);
        await conexion.OpenAsync();
        // A few thousand compromisos with one or two calificaciones each, in one statement.
        await using (var carga = new NpgsqlCommand($"""
            INSERT INTO compromisos (recomendacion_id, programa_id, secuencia, numero, texto, fecha_vencimiento, calificacion, fecha_calificacion)
            SELECT {r}, {p}, g + 1, '1.' || (g + 1), 'Compromiso ' || g, date '2009-01-01' + (g % 48) * interval '1 month', 'Cumplido', date '2011-12-31'
              FROM generate_series(1, 4000) g;
            INSERT INTO calificaciones (compromiso_id, calificacion, fecha, registrada_en, registrada_por)
            SELECT id, 'NoCumplido', date '2010-12-31', now(), 'carga' FROM compromisos WHERE id <> {c}
            UNION ALL SELECT id, 'Cumplido', date '2011-12-31', now(), 'carga' FROM compromisos WHERE id <> {c};
            ANALYZE compromisos; ANALYZE calificaciones; ANALYZE programas;
            """, conexion))
            await carga.ExecuteNonQueryAsync();

        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CompromisosDbContext>();
        var ministerio = await db.Compromisos.Where(x => x.Id == c).Select(x => EF.Property<int>(x, CompromisosDbContext.MinisterioDelCompromiso)).SingleAsync();
        var d = new DateOnly(2011, 6, 30);
        var consulta = db.Compromisos.AsNoTracking()
            .Where(x => EF.Property<int>(x, CompromisosDbContext.MinisterioDelCompromiso) == ministerio)
            .ComoEstaban(db, new Momento(d, null)).Vencidos(d, true)
            .Where(x => x.Compromiso.Id > 0).OrderBy(x => x.Compromiso.Id).Take(51);
        var plan = await ExplicarAsync(conexion, consulta.ToQueryString());
        salida.WriteLine(plan);
        Assert.Matches(@"Index Scan using (ix_compromisos_ministerio_id_id|pk_compromisos) on public\.compromisos", plan);
        Assert.Contains("ix_calificaciones_compromiso_id_id", plan, StringComparison.Ordinal);
        Assert.StartsWith("Limit", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("Sort Key: c.id", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("Seq Scan", plan, StringComparison.Ordinal);
        Assert.Equal(51, await consulta.CountAsync());

        // As known at an instant too: the same walk, the instants checked on the rows it reads.
        var conocido = db.Compromisos.AsNoTracking()
            .Where(x => EF.Property<int>(x, CompromisosDbContext.MinisterioDelCompromiso) == ministerio)
            .ComoEstaban(db, new Momento(d, DateTimeOffset.UtcNow)).Vencidos(d, true)
            .Where(x => x.Compromiso.Id > 0).OrderBy(x => x.Compromiso.Id).Take(51);
        var planConocido = await ExplicarAsync(conexion, conocido.ToQueryString());
        salida.WriteLine(planConocido);
        Assert.Matches(@"Index Scan using (ix_compromisos_ministerio_id_id|pk_compromisos) on public\.compromisos", planConocido);
        Assert.Contains("ix_calificaciones_compromiso_id_id", planConocido, StringComparison.Ordinal);
        Assert.StartsWith("Limit", planConocido, StringComparison.Ordinal);
        Assert.DoesNotContain("Seq Scan", planConocido, StringComparison.Ordinal);

        var estadistica = await ExplicarAsync(conexion,
            "SELECT count(*) FILTER (WHERE vencido_al_corte(c.fecha_vencimiento, coalesce(k.calificacion, 'Pendiente'), date '2011-06-30')) " +
            "FROM programas p LEFT JOIN compromisos c ON c.programa_id = p.id LEFT JOIN LATERAL calificacion_al_corte(c.id, date '2011-06-30', NULL) k ON true");
        salida.WriteLine(estadistica);
        Assert.DoesNotContain("calificacion_al_corte", estadistica, StringComparison.Ordinal);
        Assert.DoesNotContain("vencido_al_corte", estadistica, StringComparison.Ordinal);
        Assert.Contains("ix_calificaciones_compromiso_id_id", estadistica, StringComparison.Ordinal);
    }

    private static async Task<string> ExplicarAsync(NpgsqlConnection conexion, string sql)
    {
        // ToQueryString lists the parameters' values in comments before the SQL: inline them so the text runs alone.
        await using var cmd = new NpgsqlCommand("EXPLAIN (COSTS OFF, VERBOSE) " + Relato.SinDeclaraciones(sql), conexion);
        var lineas = new List<string>();
        await using var lector = await cmd.ExecuteReaderAsync();
        while (await lector.ReadAsync()) lineas.Add(lector.GetString(0));
        return string.Join("\n", lineas);
    }
}

/// <summary>What the reads say about a programa at a cut-off, checked against its Informe.</summary>
internal static class Relato
{
    public static List<(int, DateOnly)> ReportesDe(JsonArray compromisos, int sinReporteEn2009)
    {
        // The seed: every compromiso reported at 31-12-2009 except 1.2, reported at 31-12-2011 only.
        var ids = compromisos.Select(c => (int)c!["id"]!).ToList();
        return ids.Where(id => id != sinReporteEn2009).Select(id => (id, new DateOnly(2009, 12, 31)))
            .Append((sinReporteEn2009, new DateOnly(2011, 12, 31))).ToList();
    }

    /// <summary>EF's ToQueryString puts "-- @p='…'" lines before the SQL; inline those values so EXPLAIN can run it.</summary>
    public static string SinDeclaraciones(string sql)
    {
        var lineas = sql.Split('\n');
        var valores = new Dictionary<string, string>();
        foreach (var l in lineas.Where(l => l.StartsWith("-- @", StringComparison.Ordinal)))
        {
            var igual = l.IndexOf('=', StringComparison.Ordinal);
            var nombre = l[3..igual];
            var valor = l[(igual + 1)..].Split(" (", 2)[0].Trim();
            valores[nombre] = valor.StartsWith('\'') && DateOnly.TryParse(valor.Trim('\''), CultureInfo.InvariantCulture, out _) ? $"DATE {valor}"
                : valor.StartsWith('{') ? $"ARRAY[{valor.Trim('{', '}', ' ')}]" // an array parameter: "{ 'Cumplido', 'Cancelado' }"
                : valor;
        }

        var cuerpo = string.Join("\n", lineas.Where(l => !l.StartsWith("--", StringComparison.Ordinal)));
        foreach (var (nombre, valor) in valores.OrderByDescending(v => v.Key.Length)) cuerpo = cuerpo.Replace(nombre, valor, StringComparison.Ordinal);
        return cuerpo;
    }

    /// <summary>
    /// Every read at cut-off <paramref name="d"/> (and, when given, as known at <paramref name="conocidoAl"/>, with the
    /// reportes registered by then) against the Informe of the same moment.
    /// </summary>
    public static async Task AfirmarAsync(Escenario e, HttpClient cliente, int programa, int servicio, DateOnly d,
        IReadOnlyList<(int Compromiso, DateOnly Corte)> reportes, DateTimeOffset? conocidoAl = null)
    {
        var corte = d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            + (conocidoAl is { } t ? "&conocidoAl=" + Instante(t) : "");
        var donde = $"al {corte}";
        var mes = new DateOnly(d.Year, d.Month, 1);
        var soloCorte = d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        // The reference: the Informe's compromisos and header.
        var informe = await e.LeerAsync($"/api/v1/programas/{programa}/informe?alCorte={corte}");
        var porNumero = informe["recomendaciones"]!.AsArray().SelectMany(r => r!["compromisos"]!.AsArray())
            .ToDictionary(c => (string)c!["numero"]!, c => (Calificacion: (string)c!["calificacion"]!, Fecha: (string?)c["fechaCalificacion"], Vence: (string)c["fechaVencimiento"]!));
        var egresado = (string?)informe["calificacion"] == "Egresado";

        var lista = await TodosAsync(e, $"/api/v1/compromisos?programaId={programa}&alCorte={corte}");
        Assert.Equal(porNumero.Count, lista.Count);
        var esperado = new Dictionary<int, (string Calificacion, string? Fecha, bool Vencido, DateOnly Vence)>();
        foreach (var c in lista)
        {
            var (cal, fecha, vence) = porNumero[(string)c["numero"]!];
            var venceMes = DateOnly.ParseExact(vence + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture);
            var vencido = Compromiso.EstaVencido(venceMes, Enum.Parse<Calificacion>(cal), d);
            var id = (int)c["id"]!;
            esperado[id] = (cal, fecha, vencido, venceMes);
            Assert.True(cal == (string?)c["calificacion"] && fecha == (string?)c["fechaCalificacion"] && vencido == (bool)c["vencido"]!, $"lista {donde}, {c["numero"]}: {c.ToJsonString()}");
            var uno = await e.LeerAsync($"/api/v1/compromisos/{id}?alCorte={corte}");
            Assert.True(cal == (string?)uno["calificacion"] && fecha == (string?)uno["fechaCalificacion"] && vencido == (bool)uno["vencido"]!, $"GET {donde}, {c["numero"]}: {uno.ToJsonString()}");
        }

        var deRecomendaciones = new List<JsonObject>();
        foreach (var r in await TodosAsync(e, $"/api/v1/programas/{programa}/recomendaciones"))
            deRecomendaciones.AddRange(await TodosAsync(e, $"/api/v1/recomendaciones/{(int)r["id"]!}/compromisos?alCorte={corte}"));
        Assert.Equal(esperado.OrderBy(x => x.Key).Select(x => $"{x.Key} {x.Value.Calificacion} {(x.Value.Vencido ? "true" : "false")}"),
            deRecomendaciones.OrderBy(c => (int)c["id"]!).Select(c => $"{c["id"]} {c["calificacion"]} {c["vencido"]}"));

        Assert.Equal(Ids(esperado.Where(x => x.Value.Vencido)), await IdsAsync(e, $"/api/v1/compromisos?programaId={programa}&vencidos=true&alCorte={corte}"));
        Assert.Equal(Ids(esperado.Where(x => !x.Value.Vencido)), await IdsAsync(e, $"/api/v1/compromisos?programaId={programa}&vencidos=false&alCorte={corte}"));
        foreach (var cal in Enum.GetNames<Calificacion>())
            Assert.Equal(Ids(esperado.Where(x => x.Value.Calificacion == cal)), await IdsAsync(e, $"/api/v1/compromisos?servicioId={servicio}&calificacion={cal}&alCorte={corte}"));

        var lineasCsv = (await cliente.GetStringAsync($"/api/v1/compromisos?programaId={programa}&formato=csv&alCorte={corte}"))
            .Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        // Counted from the end: the texts before these columns may hold quoted commas.
        var columnas = lineasCsv[0].Split(',');
        var (desdeFinCalificacion, desdeFinVencido) = (columnas.Length - Array.IndexOf(columnas, "calificacion"), columnas.Length - Array.IndexOf(columnas, "vencido"));
        var exportado = lineasCsv.Skip(1).Select(l => l.Split(',')).Select(f => $"{f[0]} {f[^desdeFinCalificacion]} {f[^desdeFinVencido]}");
        Assert.Equal(esperado.OrderBy(x => x.Key).Select(x => $"{x.Key} {x.Value.Calificacion} {(x.Value.Vencido ? "true" : "false")}"), exportado);

        if (d.Month is 6 or 12 && d.Day == DateTime.DaysInMonth(d.Year, d.Month))
        {
            var pendientes = esperado.Where(x => x.Value.Vencido && !reportes.Contains((x.Key, d)));
            var conocido = conocidoAl is { } c ? "&conocidoAl=" + Instante(c) : "";
            Assert.Equal(Ids(pendientes), await IdsAsync(e, $"/api/v1/servicios/{servicio}/pendientes?corte={soloCorte}{conocido}"));
        }

        var programaAlCorte = await e.LeerAsync($"/api/v1/programas/{programa}?alCorte={corte}");
        Assert.Equal(egresado ? "Egresado" : "EnSeguimiento", (string?)programaAlCorte["estado"]);
        Assert.Equal((string?)informe["fechaEgreso"], (string?)programaAlCorte["fechaEgreso"]);
        Assert.Equal(egresado ? [] : [programa], await IdsAsync(e, $"/api/v1/programas?servicioId={servicio}&estado=EnSeguimiento&alCorte={corte}"));
        var todosCerrados = esperado.Count > 0 && esperado.Values.All(x => x.Calificacion is "Cumplido" or "Cancelado");
        Assert.Equal(!egresado && todosCerrados ? esperado.Values.Max(x => x.Fecha) : null, (string?)programaAlCorte["egresoPropuesto"]?["fecha"]);

        var grupo = (await e.LeerAsync($"/api/v1/estadisticas/cumplimiento?agruparPor=servicio&alCorte={corte}"))["grupos"]!.AsArray()
            .Single(g => (int)g!["id"]! == servicio)!;
        var v = esperado.Values;
        int Cuantos(Func<(string Calificacion, string? Fecha, bool Vencido, DateOnly Vence), bool> f) => v.Count(f);
        var exigibles = Cuantos(x => x.Vence <= mes);
        var cumplidos = Cuantos(x => x.Vence <= mes && x.Calificacion == "Cumplido");
        var cancelados = Cuantos(x => x.Vence <= mes && x.Calificacion == "Cancelado");
        var porCalificacion = grupo["porCalificacion"]!;
        Assert.Equal(
            $"{Cuantos(x => x.Calificacion == "Pendiente")} {Cuantos(x => x.Calificacion == "Cumplido")} {Cuantos(x => x.Calificacion == "ParcialmenteCumplido")} " +
            $"{Cuantos(x => x.Calificacion == "NoCumplido")} {Cuantos(x => x.Calificacion == "Cancelado")} | {v.Count} {Cuantos(x => x.Vencido)} {exigibles} {cumplidos} {cancelados} | " +
            $"{(egresado ? 0 : 1)} {(egresado ? 1 : 0)} | " +
            (exigibles - cancelados == 0 ? "null" : Math.Round(100m * cumplidos / (exigibles - cancelados), 1, MidpointRounding.AwayFromZero).ToString("0.0", CultureInfo.InvariantCulture)),
            $"{porCalificacion["pendiente"]} {porCalificacion["cumplido"]} {porCalificacion["parcialmenteCumplido"]} {porCalificacion["noCumplido"]} {porCalificacion["cancelado"]} | " +
            $"{grupo["total"]} {grupo["vencidos"]} {grupo["exigibles"]} {grupo["cumplidosExigibles"]} {grupo["canceladosExigibles"]} | " +
            $"{grupo["programasEnSeguimiento"]} {grupo["programasEgresados"]} | {grupo["porcentajeCumplimiento"]?.ToJsonString() ?? "null"}");
    }

    /// <summary>An instant as the query takes it: RFC 3339 in UTC, to the tick.</summary>
    public static string Instante(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static List<int> Ids<T>(IEnumerable<KeyValuePair<int, T>> filas) => filas.Select(x => x.Key).Order().ToList();

    private static async Task<List<int>> IdsAsync(Escenario e, string ruta) =>
        (await TodosAsync(e, ruta)).Select(c => (int)c["id"]!).Order().ToList();

    private static async Task<List<JsonObject>> TodosAsync(Escenario e, string ruta)
    {
        var todos = new List<JsonObject>();
        string? cursor = null;
        do
        {
            var pagina = await e.LeerAsync(ruta + (ruta.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "limit=200" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}"));
            todos.AddRange(pagina["items"]!.AsArray().Select(x => x!.AsObject()));
            cursor = (string?)pagina["nextCursor"];
        }
        while (cursor is not null);
        return todos;
    }
}
