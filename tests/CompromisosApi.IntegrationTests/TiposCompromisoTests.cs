using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using CompromisosApi.IntegrationTests.Infrastructure;

namespace CompromisosApi.IntegrationTests;

/// <summary>The tipos-compromiso catalog, compromiso.tipo and compromiso.prioritario (issue 18).</summary>
public sealed class TiposCompromisoTests(ApiFactory factory) : PruebaApi(factory)
{
    private static readonly string Fixture = Path.Combine(Repositorio.Raiz, "src/CompromisosApi/Features/Demo/redes-por-rubro-2007.importacion.json");

    private Task<HttpResponseMessage> PostCrudo(string ruta, string json) =>
        Cliente.PostAsync(ruta, new StringContent(json, Encoding.UTF8, "application/json"));

    [Fact]
    public async Task El_catalogo_tiene_los_seis_tipos()
    {
        var r = await Cliente.GetAsync("/api/v1/tipos-compromiso");
        await Escenario.Esperar(r, HttpStatusCode.OK);
        var tipos = (await r.Content.ReadFromJsonAsync<JsonArray>())!;
        Assert.Equal(
            new[]
            {
                ("AjustesDeDiseno", "Ajustes de diseño"), ("Coordinacion", "Coordinación"), ("GestionInterna", "Gestión interna"),
                ("MonitoreoYEvaluacion", "Monitoreo y evaluación"), ("RedisenoSustantivo", "Rediseño sustantivo"),
                ("SistemasDeInformacion", "Sistemas de información"),
            },
            tipos.Select(t => ((string)t!["codigo"]!, (string)t["nombre"]!)));
    }

    [Fact]
    public async Task Tipo_y_prioritario_se_fijan_al_crear_y_con_PUT()
    {
        var p = await Escenario.ProgramaAsync();
        var rec = await Escenario.RecomendacionAsync(p);
        var sin = await Escenario.CompromisoAsync(rec);
        Assert.Null((string?)sin["tipo"]);
        Assert.False((bool)sin["prioritario"]!);

        var c = await Escenario.CrearAsync($"/api/v1/recomendaciones/{rec}/compromisos",
            new { texto = "Con tipo", fechaVencimiento = "2010-06", tipo = "SistemasDeInformacion", prioritario = true });
        Assert.Equal("SistemasDeInformacion", (string?)c["tipo"]);
        Assert.True((bool)c["prioritario"]!);
        var ruta = $"/api/v1/compromisos/{(int)c["id"]!}";
        var (leido, etag) = await Escenario.LeerConEtagAsync(ruta);
        Assert.Equal("SistemasDeInformacion", (string?)leido["tipo"]);

        var r = await Cliente.SendAsync(Escenario.Put(ruta, new { texto = "Con tipo", fechaVencimiento = "2010-06", tipo = "Coordinacion", prioritario = false }, etag));
        await Escenario.Esperar(r, HttpStatusCode.OK);
        leido = await Escenario.LeerAsync(ruta);
        Assert.Equal("Coordinacion", (string?)leido["tipo"]);
        Assert.False((bool)leido["prioritario"]!);
    }

    [Fact]
    public async Task Un_tipo_desconocido_o_un_prioritario_no_booleano_es_400_que_nombra_el_campo()
    {
        var p = await Escenario.ProgramaAsync();
        var rec = await Escenario.RecomendacionAsync(p);
        await Problemas.Validacion(await Cliente.PostAsJsonAsync($"/api/v1/recomendaciones/{rec}/compromisos",
            new { texto = "x", fechaVencimiento = "2010-06", tipo = "Infraestructura" }), "tipo");
        await Problemas.Validacion(await Cliente.PostAsJsonAsync($"/api/v1/recomendaciones/{rec}/compromisos",
            new { texto = "x", fechaVencimiento = "2010-06", tipo = "sistemasdeinformacion" }), "tipo");
        await Problemas.Validacion(await PostCrudo($"/api/v1/recomendaciones/{rec}/compromisos",
            "{\"texto\":\"x\",\"fechaVencimiento\":\"2010-06\",\"prioritario\":\"si\"}"), "prioritario");

        var c = await Escenario.CompromisoAsync(rec);
        var ruta = $"/api/v1/compromisos/{(int)c["id"]!}";
        var (_, etag) = await Escenario.LeerConEtagAsync(ruta);
        await Problemas.Validacion(await Cliente.SendAsync(Escenario.Put(ruta, new { texto = "x", fechaVencimiento = "2010-06", tipo = "Otro" }, etag)), "tipo");
        Assert.Null((string?)(await Escenario.LeerAsync(ruta))["tipo"]);
    }

    [Fact]
    public async Task Los_filtros_tipo_y_prioritario_y_las_exportaciones()
    {
        var p = await Escenario.ProgramaAsync();
        var rec = await Escenario.RecomendacionAsync(p);
        async Task<int> Crear(string? tipo, bool prioritario) => (int)(await Escenario.CrearAsync($"/api/v1/recomendaciones/{rec}/compromisos",
            new { texto = "x", fechaVencimiento = "2010-06", tipo, prioritario }))["id"]!;
        var a = await Crear("Coordinacion", true);
        var b = await Crear("Coordinacion", false);
        var c = await Crear(null, true);
        var d = await Crear("GestionInterna", false);

        async Task<int[]> Ids(string filtro) =>
            (await Escenario.LeerAsync($"/api/v1/compromisos?{filtro}"))["items"]!.AsArray().Select(x => (int)x!["id"]!).ToArray();
        Assert.Equal([a, b], await Ids("tipo=Coordinacion"));
        Assert.Equal([a, c], await Ids("prioritario=true"));
        Assert.Equal([b, d], await Ids("prioritario=false"));
        Assert.Equal([a], await Ids("tipo=Coordinacion&prioritario=true"));
        Assert.Empty(await Ids("tipo=RedisenoSustantivo"));
        // An unknown code is bad input, not an empty answer (outsider review), in the list and in its exports.
        await Problemas.Validacion(await Cliente.GetAsync("/api/v1/compromisos?tipo=Nope"), "tipo");
        await Problemas.Validacion(await Cliente.GetAsync("/api/v1/compromisos/csv?tipo=Nope"), "tipo");

        var csv = await Cliente.GetStringAsync("/api/v1/compromisos/csv?tipo=Coordinacion");
        var lineas = csv.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.EndsWith(",vencido,tipo,prioritario", lineas[0]);
        Assert.Equal(3, lineas.Length);
        Assert.EndsWith(",Coordinacion,true", lineas[1]);
        Assert.EndsWith(",Coordinacion,false", lineas[2]);
        var xlsx = await Cliente.GetAsync("/api/v1/compromisos/xlsx?prioritario=true");
        await Escenario.Esperar(xlsx, HttpStatusCode.OK);
    }

    [Fact]
    public async Task Se_importan_y_un_tipo_desconocido_nombra_su_ruta()
    {
        var doc = JsonNode.Parse(File.ReadAllText(Fixture))!.AsObject();
        var compromiso = doc["recomendaciones"]![0]!["compromisos"]![0]!;
        compromiso["tipo"] = "MonitoreoYEvaluacion";
        compromiso["prioritario"] = true;
        var r = await PostCrudo("/api/v1/importaciones", doc.ToJsonString());
        await Escenario.Esperar(r, HttpStatusCode.Created);
        var id = (int)(await r.Content.ReadFromJsonAsync<JsonObject>())!["programaId"]!;
        var items = (await Escenario.LeerAsync($"/api/v1/compromisos?programaId={id}"))["items"]!.AsArray();
        Assert.Equal("MonitoreoYEvaluacion", (string?)items[0]!["tipo"]);
        Assert.True((bool)items[0]!["prioritario"]!);
        Assert.All(items.Skip(1), x => Assert.Null((string?)x!["tipo"]));

        doc["programa"]!["nombre"] = "Otro";
        compromiso["tipo"] = "Desconocido";
        await Problemas.Validacion(await PostCrudo("/api/v1/importaciones", doc.ToJsonString()), "recomendaciones[0].compromisos[0].tipo");
    }
}
