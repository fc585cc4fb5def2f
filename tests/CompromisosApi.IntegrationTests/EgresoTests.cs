using System.Net;
using System.Net.Http.Json;
using CompromisosApi.IntegrationTests.Infrastructure;
using Npgsql;

namespace CompromisosApi.IntegrationTests;

public sealed class EgresoTests(ApiFactory factory) : PruebaApi(factory)
{
    private Task<HttpResponseMessage> Egresar(int programaId, object? cuerpo = null) =>
        Cliente.PostAsJsonAsync($"/api/v1/programas/{programaId}/egreso", cuerpo ?? new { }, Escenario.Json);

    [Fact]
    public async Task Con_compromisos_abiertos_responde_409_y_los_lista()
    {
        var p = await Escenario.ProgramaAsync();
        var r = await Escenario.RecomendacionAsync(p);
        var cumplido = (int)(await Escenario.CompromisoAsync(r))["id"]!;
        var parcial = (int)(await Escenario.CompromisoAsync(r))["id"]!;
        var pendiente = (int)(await Escenario.CompromisoAsync(r))["id"]!;
        await Escenario.CalificarOkAsync(cumplido, "Cumplido", "2009-12-31");
        await Escenario.CalificarOkAsync(parcial, "ParcialmenteCumplido", "2009-12-31");

        var problema = await Problemas.Regla(await Egresar(p), "egreso-con-compromisos-abiertos");

        var abiertos = problema["compromisosAbiertos"]!.AsArray();
        Assert.Equal([parcial, pendiente], abiertos.Select(a => (int)a!["id"]!));
        Assert.Equal(["1.2", "1.3"], abiertos.Select(a => (string)a!["numero"]!));
        Assert.Equal("EnSeguimiento", (string?)(await Escenario.LeerAsync($"/api/v1/programas/{p}"))["estado"]);
    }

    [Fact]
    public async Task Cumplidos_y_Cancelados_egresan_con_la_fecha_de_la_ultima_calificacion()
    {
        // The seed: four Cumplido at 31-12-2009, one Cancelado at 31-12-2011, Fecha Egreso 31-12-2011.
        var p = await Escenario.ProgramaAsync();
        var r = await Escenario.RecomendacionAsync(p);
        var ids = new List<int>();
        for (var i = 0; i < 5; i++) ids.Add((int)(await Escenario.CompromisoAsync(r))["id"]!);
        foreach (var id in ids.Take(4)) await Escenario.CalificarOkAsync(id, "Cumplido", "2009-12-31");
        await Escenario.CalificarOkAsync(ids[4], "Cancelado", "2011-12-31", "El programa se descontinuó.");

        var respuesta = await Egresar(p);

        await Escenario.Esperar(respuesta, HttpStatusCode.OK);
        var programa = await Escenario.LeerAsync($"/api/v1/programas/{p}");
        Assert.Equal("Egresado", (string?)programa["estado"]);
        Assert.Equal("2011-12-31", (string?)programa["fechaEgreso"]);
        Assert.NotNull(respuesta.Headers.ETag);
    }

    [Fact]
    public async Task Una_fecha_de_egreso_explicita_no_puede_ser_anterior_a_la_ultima_calificacion()
    {
        var (p, _, c) = await Escenario.CompromisoPendienteAsync();
        await Escenario.CalificarOkAsync(c, "Cumplido", "2010-06-30");

        await Problemas.Regla(await Egresar(p, new { fechaEgreso = "2009-12-31" }), "fecha-egreso-anterior");
        await Escenario.Esperar(await Egresar(p, new { fechaEgreso = "2010-12-31" }), HttpStatusCode.OK);
        Assert.Equal("2010-12-31", (string?)(await Escenario.LeerAsync($"/api/v1/programas/{p}"))["fechaEgreso"]);
    }

    [Fact]
    public async Task Un_programa_sin_compromisos_no_egresa()
    {
        var p = await Escenario.ProgramaAsync();
        await Problemas.Regla(await Egresar(p), "egreso-sin-compromisos");
    }

    [Fact]
    public async Task Sin_cuerpo_tambien_egresa()
    {
        var (p, _, c) = await Escenario.CompromisoPendienteAsync();
        await Escenario.CalificarOkAsync(c, "Cumplido", "2009-12-31");
        await Escenario.Esperar(await Cliente.PostAsync($"/api/v1/programas/{p}/egreso", null), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Despues_del_egreso_el_registro_es_de_solo_lectura()
    {
        var (p, r, c) = await Escenario.CompromisoPendienteAsync();
        await Escenario.CrearAsync($"/api/v1/compromisos/{c}/reportes", new { corte = "2009-12-31", texto = "Cumplido." });
        await Escenario.CalificarOkAsync(c, "Cumplido", "2009-12-31");
        await Escenario.Esperar(await Egresar(p), HttpStatusCode.OK);
        var (programa, etagP) = await Escenario.LeerConEtagAsync($"/api/v1/programas/{p}");
        var (_, etagR) = await Escenario.LeerConEtagAsync($"/api/v1/recomendaciones/{r}");
        var (_, etagC) = await Escenario.LeerConEtagAsync($"/api/v1/compromisos/{c}");
        var servicioId = (int)programa["servicioId"]!;

        var escrituras = new Func<Task<HttpResponseMessage>>[]
        {
            () => Cliente.SendAsync(Escenario.Put($"/api/v1/programas/{p}",
                new { nombre = "Otro", servicioId, anioEvaluacion = 2007, lineaEvaluacion = "EPG" }, etagP)),
            () => Cliente.PostAsJsonAsync($"/api/v1/programas/{p}/recomendaciones", new { texto = "Nueva" }),
            () => Cliente.SendAsync(Escenario.Put($"/api/v1/recomendaciones/{r}", new { texto = "Otra" }, etagR)),
            () => Cliente.PostAsJsonAsync($"/api/v1/recomendaciones/{r}/compromisos", new { texto = "Nuevo", fechaVencimiento = "2012-12" }),
            () => Cliente.SendAsync(Escenario.Put($"/api/v1/compromisos/{c}", new { texto = "Otro", fechaVencimiento = "2012-12" }, etagC)),
            () => Escenario.CalificarAsync(c, "Cancelado", "2012-12-31", "motivo"),
            () => Cliente.PostAsJsonAsync($"/api/v1/compromisos/{c}/reportes", new { corte = "2012-12-31", texto = "Tarde." }),
            () => Cliente.PostAsJsonAsync($"/api/v1/compromisos/{c}/medios-verificacion", new { titulo = "Documento", corte = "2012-12-31" }),
            () => Egresar(p),
        };
        foreach (var escritura in escrituras) await Problemas.Regla(await escritura(), "programa-egresado");

        Assert.Equal(programa.ToJsonString(), (await Escenario.LeerAsync($"/api/v1/programas/{p}")).ToJsonString());
        Assert.Single((await Escenario.LeerAsync($"/api/v1/programas/{p}/recomendaciones"))["items"]!.AsArray());
        Assert.Single((await Escenario.LeerAsync($"/api/v1/recomendaciones/{r}/compromisos"))["items"]!.AsArray());
        Assert.Single((await Escenario.LeerAsync($"/api/v1/compromisos/{c}/reportes"))["items"]!.AsArray());
        Assert.Empty((await Escenario.LeerAsync($"/api/v1/compromisos/{c}/medios-verificacion"))["items"]!.AsArray());
        Assert.Single((await Escenario.LeerAsync($"/api/v1/compromisos/{c}/calificaciones"))["items"]!.AsArray());
    }

    /// <summary>
    /// A compromiso being added (simulated from another connection: the programa held FOR SHARE, the row inserted,
    /// not yet committed) must hold the egreso back and then count: the egreso may not decide on the compromisos it
    /// read before that writer committed.
    /// </summary>
    [Fact]
    public async Task El_egreso_espera_a_un_compromiso_en_curso_y_lo_cuenta()
    {
        var (p, r, c) = await Escenario.CompromisoPendienteAsync();
        await Escenario.CalificarOkAsync(c, "Cumplido", "2009-12-31");

        await using var otra = new NpgsqlConnection(Factory.ConnectionString);
        await otra.OpenAsync();
        await using var tx = await otra.BeginTransactionAsync();
        await using (var escritura = new NpgsqlCommand(
            $"SELECT 1 FROM programas WHERE id = {p} FOR SHARE; " +
            "INSERT INTO compromisos (recomendacion_id, programa_id, secuencia, numero, texto, fecha_vencimiento, calificacion) " +
            $"VALUES ({r}, {p}, 2, '1.2', 'En curso', '2012-12-01', 'Pendiente')", otra, tx))
        {
            await escritura.ExecuteNonQueryAsync();
        }

        var egreso = Egresar(p);
        var termino = await Task.WhenAny(egreso, Task.Delay(TimeSpan.FromMilliseconds(700)));
        Assert.NotSame(egreso, termino);

        await tx.CommitAsync();
        var problema = await Problemas.Regla(await egreso, "egreso-con-compromisos-abiertos");
        Assert.Equal(["1.2"], problema["compromisosAbiertos"]!.AsArray().Select(x => (string)x!["numero"]!));
    }

    /// <summary>And a write under the programa waits for an egreso in flight, then meets the closed record.</summary>
    [Fact]
    public async Task Un_compromiso_nuevo_espera_al_egreso_en_curso_y_encuentra_el_registro_cerrado()
    {
        var (p, r, c) = await Escenario.CompromisoPendienteAsync();
        await Escenario.CalificarOkAsync(c, "Cumplido", "2009-12-31");

        await using var otra = new NpgsqlConnection(Factory.ConnectionString);
        await otra.OpenAsync();
        await using var tx = await otra.BeginTransactionAsync();
        await using (var egreso = new NpgsqlCommand(
            $"SELECT 1 FROM programas WHERE id = {p} FOR UPDATE; UPDATE programas SET estado = 'Egresado', fecha_egreso = '2009-12-31' WHERE id = {p}", otra, tx))
        {
            await egreso.ExecuteNonQueryAsync();
        }

        var nuevo = Cliente.PostAsJsonAsync($"/api/v1/recomendaciones/{r}/compromisos", new { texto = "Nuevo", fechaVencimiento = "2012-12" });
        var termino = await Task.WhenAny(nuevo, Task.Delay(TimeSpan.FromMilliseconds(700)));
        Assert.NotSame(nuevo, termino);

        await tx.CommitAsync();
        await Problemas.Regla(await nuevo, "programa-egresado");
        Assert.Single((await Escenario.LeerAsync($"/api/v1/recomendaciones/{r}/compromisos"))["items"]!.AsArray());
    }

    [Fact]
    public async Task La_fecha_de_egreso_no_puede_ser_futura()
    {
        var (p, _, c) = await Escenario.CompromisoPendienteAsync();
        await Escenario.CalificarOkAsync(c, "Cumplido", "2009-12-31");
        await Problemas.Validacion(await Egresar(p, new { fechaEgreso = DateTime.UtcNow.AddDays(3).ToString("yyyy-MM-dd") }), "fechaEgreso");
    }
}
