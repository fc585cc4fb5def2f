using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CompromisosApi.IntegrationTests.Infrastructure;

namespace CompromisosApi.IntegrationTests;

public sealed class RegistroTests(ApiFactory factory) : PruebaApi(factory)
{
    [Fact]
    public async Task Crear_responde_201_con_Location_ETag_y_el_recurso()
    {
        var r = await Cliente.PostAsJsonAsync("/api/v1/ministerios", new { nombre = "Ministerio de Agricultura" });

        await Escenario.Esperar(r, HttpStatusCode.Created);
        var creado = (await r.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal($"/api/v1/ministerios/{(int)creado["id"]!}", r.Headers.Location!.ToString());
        var (leido, etag) = await Escenario.LeerConEtagAsync(r.Headers.Location.ToString());
        Assert.Equal(creado.ToJsonString(), leido.ToJsonString());
        Assert.Equal(r.Headers.ETag!.ToString(), etag);
    }

    [Fact]
    public async Task Programa_recomendaciones_y_compromisos_se_numeran_en_orden_y_guardan_el_texto_verbatim()
    {
        var s = await Escenario.ServicioAsync();
        const string nombre = "Microemprendimiento MYPIME Programa de Desarrollo de Redes Pro Rubro";
        var programa = await Escenario.CrearAsync("/api/v1/programas", new { nombre, servicioId = s, anioEvaluacion = 2007, lineaEvaluacion = "EPG" });
        Assert.Equal("EnSeguimiento", (string?)programa["estado"]);
        Assert.Null((string?)programa["fechaEgreso"]);
        var p = (int)programa["id"]!;

        var r1 = await Escenario.CrearAsync($"/api/v1/programas/{p}/recomendaciones", new { texto = "Uno" });
        // Verbatim: the quotes, dashes, spacing and typos of official texts survive untouched.
        const string texto = "  Informar cómo el rediseño del nuevo programa “Servicio de fomento” se hace cargo – quíe, apovar.\n\n- Línea 2  ";
        var r2 = await Escenario.CrearAsync($"/api/v1/programas/{p}/recomendaciones", new { texto });
        Assert.Equal([1, 2], new[] { (int)r1["numero"]!, (int)r2["numero"]! });

        var c21 = await Escenario.CompromisoAsync((int)r2["id"]!, "2009-12", texto);
        var c22 = await Escenario.CompromisoAsync((int)r2["id"]!, "2010-06");
        var c11 = await Escenario.CompromisoAsync((int)r1["id"]!, "2010-06");
        Assert.Equal(["2.1", "2.2", "1.1"], new[] { c21, c22, c11 }.Select(c => (string)c["numero"]!));
        Assert.Equal("Pendiente", (string?)c21["calificacion"]);
        Assert.Equal("2009-12", (string?)c21["fechaVencimiento"]);
        Assert.Equal(p, (int)c21["programaId"]!);

        Assert.Equal(nombre, (string?)(await Escenario.LeerAsync($"/api/v1/programas/{p}"))["nombre"]);
        Assert.Equal(texto, (string?)(await Escenario.LeerAsync($"/api/v1/recomendaciones/{(int)r2["id"]!}"))["texto"]);
        Assert.Equal(texto, (string?)(await Escenario.LeerAsync($"/api/v1/compromisos/{(int)c21["id"]!}"))["texto"]);
    }

    [Fact]
    public async Task Reportes_y_medios_se_guardan_en_orden_y_verbatim()
    {
        var (_, _, c) = await Escenario.CompromisoPendienteAsync();
        var largo = string.Concat(Enumerable.Repeat("Durante el año 2009 se descontinuó el programa Redes por Rubro. ", 2000));

        var r1 = await Escenario.CrearAsync($"/api/v1/compromisos/{c}/reportes", new { corte = "2009-06-30", texto = "Primer avance." });
        var r2 = await Escenario.CrearAsync($"/api/v1/compromisos/{c}/reportes", new { corte = "2009-12-31", texto = largo });
        await Escenario.CrearAsync($"/api/v1/compromisos/{c}/medios-verificacion", new { titulo = "minuta explicativa compromisos y justificaciones redes por rubro", corte = "2009-12-31" });
        await Escenario.CrearAsync($"/api/v1/compromisos/{c}/medios-verificacion", new { titulo = "marco final validado por fomento", corte = "2009-12-31" });

        var reportes = (await Escenario.LeerAsync($"/api/v1/compromisos/{c}/reportes"))["items"]!.AsArray();
        Assert.Equal(["Primer avance.", largo], reportes.Select(x => (string)x!["texto"]!));
        Assert.Equal(largo, (string?)(await Escenario.LeerAsync($"/api/v1/compromisos/{c}/reportes/{(long)r2["id"]!}"))["texto"]);
        Assert.Equal("2009-06-30", (string?)(await Escenario.LeerAsync($"/api/v1/compromisos/{c}/reportes/{(long)r1["id"]!}"))["corte"]);
        var medios = (await Escenario.LeerAsync($"/api/v1/compromisos/{c}/medios-verificacion"))["items"]!.AsArray();
        Assert.Equal(["minuta explicativa compromisos y justificaciones redes por rubro", "marco final validado por fomento"],
            medios.Select(x => (string)x!["titulo"]!));
    }

    [Fact]
    public async Task Ids_desconocidos_responden_404()
    {
        var (p, r, c) = await Escenario.CompromisoPendienteAsync();
        var rutas = new[]
        {
            "/api/v1/ministerios/999999", "/api/v1/servicios/999999", "/api/v1/programas/999999", "/api/v1/programas/999999/recomendaciones",
            "/api/v1/recomendaciones/999999", "/api/v1/recomendaciones/999999/compromisos", "/api/v1/compromisos/999999",
            "/api/v1/compromisos/999999/calificaciones", "/api/v1/compromisos/999999/reportes", "/api/v1/compromisos/999999/medios-verificacion",
            $"/api/v1/compromisos/{c}/calificaciones/999999", $"/api/v1/compromisos/{c}/reportes/999999", $"/api/v1/compromisos/{c}/medios-verificacion/999999",
        };
        foreach (var ruta in rutas)
            await Problemas.AfirmarAsync(await Cliente.GetAsync(ruta), HttpStatusCode.NotFound, "urn:compromisos:no-encontrado");

        await Problemas.AfirmarAsync(await Cliente.PostAsJsonAsync("/api/v1/programas/999999/recomendaciones", new { texto = "x" }), HttpStatusCode.NotFound);
        await Problemas.AfirmarAsync(await Cliente.PostAsJsonAsync("/api/v1/recomendaciones/999999/compromisos", new { texto = "x", fechaVencimiento = "2010-12" }), HttpStatusCode.NotFound);
        await Problemas.AfirmarAsync(await Escenario.CalificarAsync(999999, "Cumplido", "2010-12-31"), HttpStatusCode.NotFound);
        await Problemas.AfirmarAsync(await Cliente.PostAsJsonAsync("/api/v1/programas/999999/egreso", new { }), HttpStatusCode.NotFound);
        await Problemas.AfirmarAsync(await Cliente.SendAsync(Escenario.Put("/api/v1/compromisos/999999", new { texto = "x", fechaVencimiento = "2010-12" }, "\"1\"")), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Referencias_desconocidas_en_el_cuerpo_responden_404_y_no_escriben()
    {
        var s = await Escenario.ServicioAsync();
        await Problemas.AfirmarAsync(await Cliente.PostAsJsonAsync("/api/v1/servicios", new { nombre = "S", ministerioId = 999999 }), HttpStatusCode.NotFound);
        await Problemas.AfirmarAsync(await Cliente.PostAsJsonAsync("/api/v1/programas",
            new { nombre = "P", servicioId = 999999, anioEvaluacion = 2007, lineaEvaluacion = "EPG" }), HttpStatusCode.NotFound);

        var p = await Escenario.ProgramaAsync(s);
        var (_, etag) = await Escenario.LeerConEtagAsync($"/api/v1/programas/{p}");
        await Problemas.AfirmarAsync(await Cliente.SendAsync(Escenario.Put($"/api/v1/programas/{p}",
            new { nombre = "P", servicioId = 999999, anioEvaluacion = 2007, lineaEvaluacion = "EPG" }, etag)), HttpStatusCode.NotFound);

        Assert.Single((await Escenario.LeerAsync("/api/v1/servicios"))["items"]!.AsArray());
        Assert.Single((await Escenario.LeerAsync("/api/v1/programas"))["items"]!.AsArray());
        Assert.Equal(s, (int)(await Escenario.LeerAsync($"/api/v1/programas/{p}"))["servicioId"]!);
    }

    [Fact]
    public async Task Duplicados_responden_409()
    {
        await Escenario.CrearAsync("/api/v1/ministerios", new { nombre = "Ministerio de Agricultura" });
        await Problemas.Regla(await Cliente.PostAsJsonAsync("/api/v1/ministerios", new { nombre = "Ministerio de Agricultura" }), "registro-duplicado");

        var s = await Escenario.ServicioAsync("Ministerio de Educación", "JUNAEB");
        await Escenario.ProgramaAsync(s, "Programa de Alimentación Escolar", 2010);
        await Problemas.Regla(await Cliente.PostAsJsonAsync("/api/v1/programas",
            new { nombre = "Programa de Alimentación Escolar", servicioId = s, anioEvaluacion = 2010, lineaEvaluacion = "EPG" }), "registro-duplicado");
    }

    [Fact]
    public async Task PUT_actualiza_y_cambia_el_ETag()
    {
        var s = await Escenario.ServicioAsync();
        var p = await Escenario.ProgramaAsync(s);
        var (_, etag) = await Escenario.LeerConEtagAsync($"/api/v1/programas/{p}");

        var r = await Cliente.SendAsync(Escenario.Put($"/api/v1/programas/{p}",
            new { nombre = "Programa renombrado", servicioId = s, anioEvaluacion = 2008, lineaEvaluacion = "EI" }, etag));

        await Escenario.Esperar(r, HttpStatusCode.OK);
        var programa = await Escenario.LeerAsync($"/api/v1/programas/{p}");
        Assert.Equal("Programa renombrado", (string?)programa["nombre"]);
        Assert.Equal(2008, (int)programa["anioEvaluacion"]!);
        Assert.Equal("EI", (string?)programa["lineaEvaluacion"]);
        Assert.NotEqual(etag, r.Headers.ETag!.ToString());
    }

    [Fact]
    public async Task Listas_filtran_programas_y_servicios()
    {
        var s1 = await Escenario.ServicioAsync("Ministerio de Agricultura", "INDAP");
        var s2 = await Escenario.ServicioAsync("Ministerio de Educación", "JUNAEB");
        var p1 = await Escenario.ProgramaAsync(s1, "A", 2007);
        var p2 = await Escenario.ProgramaAsync(s2, "B", 2008);
        var m2 = (int)(await Escenario.LeerAsync($"/api/v1/servicios/{s2}"))["ministerioId"]!;

        async Task<List<int>> Ids(string ruta) => (await Escenario.LeerAsync(ruta))["items"]!.AsArray().Select(x => (int)x!["id"]!).ToList();
        Assert.Equal([p1], await Ids($"/api/v1/programas?servicioId={s1}"));
        Assert.Equal([p2], await Ids($"/api/v1/programas?ministerioId={m2}"));
        Assert.Equal([p2], await Ids("/api/v1/programas?anioEvaluacion=2008"));
        Assert.Equal([p1, p2], await Ids("/api/v1/programas?estado=EnSeguimiento&lineaEvaluacion=EPG"));
        Assert.Empty(await Ids("/api/v1/programas?estado=Egresado"));
        Assert.Equal([s2], await Ids($"/api/v1/servicios?ministerioId={m2}"));
    }

    [Fact]
    public async Task El_catalogo_de_lineas_trae_las_lineas_de_DIPRES()
    {
        var r = await Cliente.GetFromJsonAsync<JsonArray>("/api/v1/lineas-evaluacion");
        Assert.Equal(["ECG", "EFA", "EGI", "EI", "EPG", "EPN"], r!.Select(l => (string)l!["codigo"]!));
    }
}
