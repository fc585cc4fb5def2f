using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using CompromisosApi.Domain;
using CompromisosApi.IntegrationTests.Infrastructure;
using CompromisosApi.Persistence;
using CsCheck;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit.Abstractions;

namespace CompromisosApi.IntegrationTests;

/// <summary>alCorte computed three ways (domain rule, EF projection, SQL function) agrees, and is computed with the indexes.</summary>
public sealed class AlCorteReglaYConsultaTests(ApiFactory factory, ITestOutputHelper salida) : PruebaApi(factory)
{
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
