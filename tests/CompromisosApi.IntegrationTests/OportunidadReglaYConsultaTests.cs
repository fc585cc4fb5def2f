using System.Globalization;
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

/// <summary>Timeliness computed by the domain rule, the query and the SQL function agrees.</summary>
public sealed class OportunidadReglaYConsultaTests(ApiFactory factory) : PruebaDeOportunidad(factory)
{
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
