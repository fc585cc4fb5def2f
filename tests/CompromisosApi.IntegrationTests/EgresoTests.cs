using System.Net;
using System.Net.Http.Json;
using CompromisosApi.IntegrationTests.Infrastructure;

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

    [Fact]
    public async Task Egreso_y_nuevo_compromiso_simultaneos_nunca_dejan_un_egresado_con_compromisos_abiertos()
    {
        var servicio = await Escenario.ServicioAsync();
        for (var intento = 0; intento < 5; intento++)
        {
            var p = await Escenario.ProgramaAsync(servicio, $"Programa {intento}");
            var r = await Escenario.RecomendacionAsync(p);
            var c = (int)(await Escenario.CompromisoAsync(r))["id"]!;
            await Escenario.CalificarOkAsync(c, "Cumplido", "2009-12-31");

            var enCurso = Egresar(p);
            var nuevoEnCurso = Cliente.PostAsJsonAsync($"/api/v1/recomendaciones/{r}/compromisos", new { texto = "Nuevo", fechaVencimiento = "2012-12" });
            var egreso = await enCurso;
            var nuevo = await nuevoEnCurso;

            var estado = (string?)(await Escenario.LeerAsync($"/api/v1/programas/{p}"))["estado"];
            var abiertos = (await Escenario.LeerAsync($"/api/v1/compromisos?programaId={p}&calificacion=Pendiente"))["items"]!.AsArray();
            Assert.False(estado == "Egresado" && abiertos.Count > 0, "Un programa egresado quedó con un compromiso abierto.");
            // Either the egreso wins (the new compromiso meets a closed record) or the compromiso does (the
            // egreso meets an open compromiso): exactly one of them succeeds.
            Assert.True((egreso.StatusCode == HttpStatusCode.OK) ^ (nuevo.StatusCode == HttpStatusCode.Created),
                $"egreso {(int)egreso.StatusCode}, compromiso {(int)nuevo.StatusCode}");
        }
    }
}
