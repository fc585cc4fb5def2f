using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using CompromisosApi.IntegrationTests.Infrastructure;

namespace CompromisosApi.IntegrationTests;

public sealed class ImportacionTests(ApiFactory factory) : PruebaApi(factory)
{
    private static readonly string Fixture = Path.Combine(Repositorio.Raiz, "src/CompromisosApi/Features/Demo/redes-por-rubro-2007.importacion.json");

    private static JsonObject Documento() => JsonNode.Parse(File.ReadAllText(Fixture))!.AsObject();

    private Task<HttpResponseMessage> Importar(JsonNode doc) =>
        Cliente.PostAsync("/api/v1/importaciones", new StringContent(doc.ToJsonString(), Encoding.UTF8, "application/json"));

    [Fact]
    public async Task Importa_el_registro_completo_y_lo_devuelve_verbatim()
    {
        var doc = Documento();
        var r = await Importar(doc);

        await Escenario.Esperar(r, HttpStatusCode.Created);
        var resultado = (await r.Content.ReadFromJsonAsync<JsonObject>())!;
        var id = (int)resultado["programaId"]!;
        Assert.Equal($"/api/v1/programas/{id}", r.Headers.Location!.ToString());
        Assert.True((bool)resultado["creado"]!);
        Assert.Equal([4, 5, 5, 5, 4], new[] { "recomendaciones", "compromisos", "calificaciones", "reportes", "mediosVerificacion" }.Select(k => (int)resultado[k]!));
        Assert.Equal("Egresado", (string?)resultado["estado"]);
        var auditoria = (await Escenario.LeerAsync($"/api/v1/auditoria?entidad=Programa&entidadId={id}"))["items"]!.AsArray().Single()!;
        Assert.Equal("ImportarRegistro", (string?)auditoria["operacion"]);
        Assert.Equal("Egresado", (string?)auditoria["despues"]!["estado"]);
        Assert.Null(auditoria["antes"]);

        var programa = await Escenario.LeerAsync($"/api/v1/programas/{id}");
        Assert.Equal("2011-12-31", (string?)programa["fechaEgreso"]);
        var compromisos = (await Escenario.LeerAsync($"/api/v1/compromisos?programaId={id}"))["items"]!.AsArray();
        var esperados = doc["recomendaciones"]!.AsArray().SelectMany(x => x!["compromisos"]!.AsArray()).ToList();
        Assert.Equal(esperados.Select(e => (string?)e!["texto"]), compromisos.Select(c => (string?)c!["texto"]));
        Assert.Equal(esperados.Select(e => (string?)e!["numero"]), compromisos.Select(c => (string?)c!["numero"]));
        var reporte = (await Escenario.LeerAsync($"/api/v1/compromisos/{(int)compromisos[0]!["id"]!}/reportes"))["items"]![0]!;
        Assert.Equal((string?)esperados[0]!["reportes"]![0]!["texto"], (string?)reporte["texto"]);
    }

    [Fact]
    public async Task Importar_dos_veces_el_mismo_registro_no_lo_duplica()
    {
        var primera = await Importar(Documento());
        await Escenario.Esperar(primera, HttpStatusCode.Created);
        var id = (int)(await primera.Content.ReadFromJsonAsync<JsonObject>())!["programaId"]!;

        // The same record, written differently: other key order and spacing.
        var reordenado = new JsonObject(Documento().Reverse().Select(kv => KeyValuePair.Create(kv.Key, kv.Value?.DeepClone())));
        var segunda = await Cliente.PostAsync("/api/v1/importaciones",
            new StringContent(reordenado.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }), Encoding.UTF8, "application/json"));

        await Escenario.Esperar(segunda, HttpStatusCode.OK);
        var resultado = (await segunda.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.False((bool)resultado["creado"]!);
        Assert.Equal(id, (int)resultado["programaId"]!);
        Assert.Single((await Escenario.LeerAsync("/api/v1/programas"))["items"]!.AsArray());
        Assert.Equal(5, (await Escenario.LeerAsync("/api/v1/compromisos"))["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task Importaciones_identicas_simultaneas_crean_un_solo_programa()
    {
        var respuestas = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Importar(Documento())));

        Assert.Single(respuestas, r => r.StatusCode == HttpStatusCode.Created);
        Assert.Equal(3, respuestas.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Single((await Escenario.LeerAsync("/api/v1/programas"))["items"]!.AsArray());
    }

    [Fact]
    public async Task Otro_registro_para_el_mismo_programa_responde_409_y_no_escribe()
    {
        await Escenario.Esperar(await Importar(Documento()), HttpStatusCode.Created);
        var distinto = Documento();
        distinto["recomendaciones"]![0]!["texto"] = "Otro texto";

        await Problemas.Regla(await Importar(distinto), "registro-duplicado");
        var programa = Assert.Single((await Escenario.LeerAsync("/api/v1/programas"))["items"]!.AsArray())!;
        var recomendaciones = (await Escenario.LeerAsync($"/api/v1/programas/{(int)programa["id"]!}/recomendaciones"))["items"]!.AsArray();
        Assert.Equal((string?)Documento()["recomendaciones"]![0]!["texto"], (string?)recomendaciones[0]!["texto"]);
    }

    [Fact]
    public async Task Reutiliza_ministerio_y_servicio_existentes_por_nombre()
    {
        var s = await Escenario.ServicioAsync("Ministerio de Agricultura", "Instituto de Desarrollo Agropecuario");
        var r = await Importar(Documento());
        await Escenario.Esperar(r, HttpStatusCode.Created);

        var programa = await Escenario.LeerAsync(r.Headers.Location!.ToString());
        Assert.Equal(s, (int)programa["servicioId"]!);
        Assert.Single((await Escenario.LeerAsync("/api/v1/ministerios"))["items"]!.AsArray());
        Assert.Single((await Escenario.LeerAsync("/api/v1/servicios"))["items"]!.AsArray());
    }

    [Theory]
    [InlineData("programa", "nombre", "programa.nombre")]
    [InlineData("compromiso", "numero", "recomendaciones[0].compromisos[1].numero")]
    public async Task Un_miembro_obligatorio_ausente_se_nombra_con_su_ruta(string donde, string miembro, string ruta)
    {
        var doc = Documento();
        var objeto = donde == "programa" ? doc["programa"]!.AsObject() : doc["recomendaciones"]![0]!["compromisos"]![1]!.AsObject();
        objeto.Remove(miembro);
        var problema = await Problemas.Validacion(await Importar(doc), ruta);
        Assert.Equal([ruta], problema["errors"]!.AsObject().Select(e => e.Key));
    }

    [Fact]
    public async Task Todos_los_problemas_del_documento_se_informan_juntos_con_su_ruta_y_nada_se_escribe()
    {
        var doc = Documento();
        doc["programa"]!["lineaEvaluacion"] = "XYZ";
        doc["recomendaciones"]![1]!["texto"] = " ";
        doc["recomendaciones"]![2]!["numero"] = 7;
        var c11 = doc["recomendaciones"]![0]!["compromisos"]![0]!;
        c11["calificaciones"]!.AsArray().Add(new JsonObject { ["calificacion"] = "NoCumplido", ["fecha"] = "2010-12-31" });
        doc["recomendaciones"]![0]!["compromisos"]![1]!["fechaVencimiento"] = "2009-13";
        doc["recomendaciones"]![3]!["compromisos"]![0]!["numero"] = "4.5";
        var c21 = doc["recomendaciones"]![1]!["compromisos"]![0]!;
        c21["calificaciones"] = new JsonArray(new JsonObject { ["calificacion"] = "ParcialmenteCumplido", ["fecha"] = "2009-12-31" });

        var problema = await Problemas.Validacion(await Importar(doc), "programa.lineaEvaluacion");

        var rutas = problema["errors"]!.AsObject().Select(e => e.Key).Order().ToList();
        Assert.Equal(
            [
                "fechaEgreso",
                "programa.lineaEvaluacion",
                "recomendaciones[0].compromisos[0].calificaciones[1]",
                "recomendaciones[0].compromisos[1].fechaVencimiento",
                "recomendaciones[1].texto",
                "recomendaciones[2].numero",
                "recomendaciones[3].compromisos[0].numero",
            ],
            rutas);
        Assert.Empty((await Escenario.LeerAsync("/api/v1/ministerios"))["items"]!.AsArray());
        Assert.Empty((await Escenario.LeerAsync("/api/v1/programas"))["items"]!.AsArray());
    }

    [Fact]
    public async Task Cancelado_sin_motivo_ni_reporte_del_corte_se_rechaza_tambien_al_importar()
    {
        var doc = Documento();
        var c12 = doc["recomendaciones"]![0]!["compromisos"]![1]!;
        c12["reportes"]![0]!["corte"] = "2011-06-30";

        var problema = await Problemas.Validacion(await Importar(doc), "recomendaciones[0].compromisos[1].calificaciones[0]");
        Assert.Contains("motivo", (string)problema["errors"]!["recomendaciones[0].compromisos[1].calificaciones[0]"]![0]!);
    }

    [Fact]
    public async Task Nulos_dentro_de_las_listas_son_400()
    {
        var doc = Documento();
        doc["recomendaciones"]![0]!["compromisos"]!.AsArray().Add(null);
        doc["recomendaciones"]!.AsArray().Add(null);
        var problema = await Problemas.AfirmarAsync(await Importar(doc), HttpStatusCode.BadRequest);
        Assert.NotEmpty(problema["errors"]!.AsObject());
        Assert.Empty((await Escenario.LeerAsync("/api/v1/programas"))["items"]!.AsArray());
    }
}
