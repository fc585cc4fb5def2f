using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using CompromisosApi.IntegrationTests.Infrastructure;
using CompromisosApi.Persistence;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CompromisosApi.IntegrationTests;

/// <summary>The monthly partitions and their retention, and the administradores' list and daily export.</summary>
public sealed class TrazasParticionesYConsultaTests(ApiFactory factory) : PruebaDeTrazas(factory)
{
    [Fact]
    public async Task Se_crean_particiones_adelantadas_y_la_retencion_elimina_un_mes_vencido_sin_bajar_de_doce()
    {
        var ahora = DateTime.UtcNow;
        var mes = new DateTime(ahora.Year, ahora.Month, 1, 0, 0, 0, DateTimeKind.Utc);
        string Nombre(DateTime m) => $"trazas_{m:yyyy_MM}";
        var vencido = mes.AddMonths(-25);
        var vigente = mes.AddMonths(-23);
        var doce = mes.AddMonths(-12);
        // As the owner role, as the service's own partitions are (a superuser's table would stop the owner's later grants),
        // and not pooled: no owner's session outlives the test.
        await using var c = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Factory.ConexionMigraciones ?? Factory.ConnectionString) { Pooling = false }.ConnectionString);
        await c.OpenAsync();
        async Task Ejecutar(string sql)
        {
            await using var cmd = new NpgsqlCommand(sql, c);
            await cmd.ExecuteNonQueryAsync();
        }

        async Task<bool> Existe(DateTime m)
        {
            await using var cmd = new NpgsqlCommand($"SELECT to_regclass('public.{Nombre(m)}') IS NOT NULL", c);
            return (bool)(await cmd.ExecuteScalarAsync())!;
        }

        foreach (var m in new[] { vencido, vigente, doce })
        {
            if (!await Existe(m))
                await Ejecutar($"CREATE TABLE {Nombre(m)} PARTITION OF trazas FOR VALUES FROM ('{m:yyyy-MM-dd}T00:00:00Z') TO ('{m.AddMonths(1):yyyy-MM-dd}T00:00:00Z')");
            await Ejecutar($"INSERT INTO trazas (ocurrida_en, duracion_ms, metodo, transaccion_id, status, resultado, proveedor) VALUES ('{m.AddDays(3):yyyy-MM-dd}T12:00:00Z', 1, 'GET', 'retencion-{m:yyyy-MM}', 200, 'exito', '08.02')");
        }

        var tarea = Factory.Services.GetRequiredService<MantenimientoDeTrazas>();
        await tarea.EjecutarAsync(CancellationToken.None);

        // 24 months by default: the month 25 months back is gone whole; 23 months back and 12 months back stay.
        Assert.False(await Existe(vencido));
        Assert.True(await Existe(vigente));
        Assert.True(await Existe(doce));
        Assert.Single(await LeerAsync(Factory.ConnectionString, $"retencion-{vigente:yyyy-MM}"));
        Assert.Empty(await LeerAsync(Factory.ConnectionString, $"retencion-{vencido:yyyy-MM}"));
        // Ahead: this month and the next two (Interoperabilidad:Trazas:MesesAdelantados).
        foreach (var m in new[] { mes, mes.AddMonths(1), mes.AddMonths(2) }) Assert.True(await Existe(m), Nombre(m));

        // 12 months is the floor: the month 12 months back has rows that are 11 to 12 months old, and stays.
        await using (var doceMeses = Factory.WithWebHostBuilder(b => b.UseSetting("Interoperabilidad:Trazas:MesesDeRetencion", "12")))
        {
            await doceMeses.Services.GetRequiredService<MantenimientoDeTrazas>().EjecutarAsync(CancellationToken.None);
        }

        Assert.False(await Existe(vigente));
        Assert.True(await Existe(doce));

        // Under 12 the service does not start, and the database refuses it to the runtime role whatever it asks.
        await using (var menos = Factory.WithWebHostBuilder(b => b.UseSetting("Interoperabilidad:Trazas:MesesDeRetencion", "11")))
        {
            var e = Assert.ThrowsAny<Exception>(() => menos.CreateClient());
            Assert.Contains("MesesDeRetencion", e.ToString(), StringComparison.Ordinal);
        }

        await using var app = new NpgsqlConnection(Factory.ConexionAplicacion);
        await app.OpenAsync();
        await using (var purgar = new NpgsqlCommand("SELECT trazas_purgar(1)", app))
        {
            var e = await Assert.ThrowsAsync<PostgresException>(() => purgar.ExecuteScalarAsync());
            Assert.Equal(PostgresErrorCodes.InvalidParameterValue, e.SqlState);
        }

        Assert.True(await Existe(doce));
        if (Factory.SinRolesSeparados is null)
        {
            // The runtime role can't drop a partition itself, nor delete traces.
            await using var borrar = new NpgsqlCommand($"DROP TABLE {Nombre(doce)}", app);
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, (await Assert.ThrowsAsync<PostgresException>(() => borrar.ExecuteNonQueryAsync())).SqlState);
            await using var eliminar = new NpgsqlCommand("DELETE FROM trazas", app);
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, (await Assert.ThrowsAsync<PostgresException>(() => eliminar.ExecuteNonQueryAsync())).SqlState);
        }
    }

    [Fact]
    public async Task Los_administradores_listan_con_filtros_y_paginas_y_exportan_el_dia_en_JSON_Lines()
    {
        var prefijo = NuevoId("lista");
        var organismo = "ORG-" + Guid.NewGuid().ToString("N")[..8];
        var enviados = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var t = $"{prefijo}-{i}";
            enviados.Add(t);
            var enc = new Dictionary<string, string> { [Transaccion] = t, [Organismo] = organismo };
            if (i < 2) enc[Run] = "12345678-5";
            var ruta = i == 4 ? "/api/v1/programas/424242" : "/api/v1/lineas-evaluacion";
            await Cliente.SendAsync(Pedido(HttpMethod.Get, ruta, enc));
        }

        await Feed.EsperarAsync(async () => await ContarAsync(Factory.ConnectionString, prefijo) == 5, "5 trazas");
        var admin = ClienteCon("admin", ["administrador"]);

        // Pages of 2 over the organismo: the five, in id order, no repeats, no gaps.
        var vistos = new List<JsonObject>();
        string? cursor = null;
        var paginas = 0;
        do
        {
            var pagina = await new Escenario(admin).LeerAsync($"/api/v1/trazas?organismo={organismo}&limit=2" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            vistos.AddRange(pagina["items"]!.AsArray().Select(x => x!.AsObject()));
            cursor = (string?)pagina["nextCursor"];
            paginas++;
        }
        while (cursor is not null);
        Assert.Equal(3, paginas);
        Assert.Equal(enviados, vistos.Select(x => (string)x["transaccionId"]!));
        Assert.Equal(vistos.Select(x => (long)x["id"]!).Order(), vistos.Select(x => (long)x["id"]!));
        var error = vistos.Single(x => (string)x["transaccionId"]! == $"{prefijo}-4");
        Assert.Equal(("error", 404, "ObtenerPrograma", "urn:compromisos:no-encontrado"),
            ((string)error["resultado"]!, (int)error["status"]!, (string?)error["operacion"], (string?)error["tipoProblema"]));

        async Task<List<string>> Ids(string consulta) =>
            (await new Escenario(admin).LeerAsync("/api/v1/trazas?" + consulta))["items"]!.AsArray().Select(x => (string)x!["transaccionId"]!).ToList();

        Assert.Equal(enviados.Take(2), await Ids($"organismo={organismo}&run=12345678-5"));
        Assert.Equal([$"{prefijo}-3"], await Ids($"transaccionId={prefijo}-3"));
        Assert.Equal([$"{prefijo}-4"], await Ids($"organismo={organismo}&operacion=ObtenerPrograma"));
        var instante = (DateTimeOffset)vistos[0]["ocurridaEn"]!;
        Assert.Empty(await Ids($"organismo={organismo}&hasta={Uri.EscapeDataString(instante.AddSeconds(-1).ToString("O"))}"));
        Assert.Equal(enviados, await Ids($"organismo={organismo}&desde={Uri.EscapeDataString(instante.ToString("O"))}&hasta={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(1).ToString("O"))}"));

        // Bad filters, and others than administradores.
        await Problemas.Validacion(await admin.GetAsync("/api/v1/trazas?run=12345678-4"), "run");
        await Problemas.Validacion(await admin.GetAsync("/api/v1/trazas?organismo=a%20b"), "organismo");
        await Problemas.Validacion(await admin.GetAsync("/api/v1/trazas?cursor=nada"), "cursor");
        await Problemas.AfirmarAsync(await ClienteCon("analista", ["analista"]).GetAsync("/api/v1/trazas"), HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.Unauthorized, (await ClienteAnonimo().GetAsync("/api/v1/trazas")).StatusCode);

        // The day's export: every trace of the day, one JSON object per line, in time order, ours among them.
        var dia = instante.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var r = await admin.GetAsync($"/api/v1/trazas/exportacion?fecha={dia}");
        await Escenario.Esperar(r, HttpStatusCode.OK);
        Assert.Equal("application/x-ndjson", r.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"trazas-{dia}.jsonl", r.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var texto = await r.Content.ReadAsStringAsync();
        Assert.EndsWith("\n", texto, StringComparison.Ordinal);
        var lineas = texto.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        var nuestras = lineas.Where(l => ((string)l["transaccionId"]!).StartsWith(prefijo, StringComparison.Ordinal)).ToList();
        Assert.Equal(enviados.Order(), nuestras.Select(l => (string)l["transaccionId"]!).Order());
        Assert.Equal(vistos.Select(v => v.ToJsonString()).Order(), nuestras.Select(n => n.ToJsonString()).Order());
        var instantes = lineas.Select(l => (DateTimeOffset)l["ocurridaEn"]!).ToList();
        Assert.Equal(instantes.Order(), instantes);
        Assert.All(instantes, i => Assert.Equal(dia, i.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));

        // Another day has none of them; a malformed day is 400.
        var otroDia = await admin.GetStringAsync("/api/v1/trazas/exportacion?fecha=2001-01-01");
        Assert.Equal("", otroDia);
        await Problemas.Validacion(await admin.GetAsync("/api/v1/trazas/exportacion?fecha=2026-1-1"), "fecha");
        await Problemas.Validacion(await admin.GetAsync("/api/v1/trazas/exportacion"), "fecha");
    }
}
