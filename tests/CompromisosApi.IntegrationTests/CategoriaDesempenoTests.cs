using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using CompromisosApi.IntegrationTests.Infrastructure;

namespace CompromisosApi.IntegrationTests;

/// <summary>programa.categoriaDesempeno (issue 18): set on create, PUT and import; read back; filtered; in the informe.</summary>
public sealed class CategoriaDesempenoTests(ApiFactory factory) : PruebaApi(factory)
{
    private static readonly string Fixture = Path.Combine(Repositorio.Raiz, "src/CompromisosApi/Features/Demo/redes-por-rubro-2007.importacion.json");

    private Task<HttpResponseMessage> PostCrudo(string ruta, string json) =>
        Cliente.PostAsync(ruta, new StringContent(json, Encoding.UTF8, "application/json"));

    private async Task<JsonObject> ProgramaAsync(int servicio, string? categoria, string nombre = "Programa") =>
        await Escenario.CrearAsync("/api/v1/programas", new { nombre, servicioId = servicio, anioEvaluacion = 2019, lineaEvaluacion = "EPG", categoriaDesempeno = categoria });

    [Fact]
    public async Task Se_fija_al_crear_y_con_PUT_y_null_es_no_registrada()
    {
        var s = await Escenario.ServicioAsync();
        var sin = await Escenario.CrearAsync("/api/v1/programas", new { nombre = "Sin categoría", servicioId = s, anioEvaluacion = 2019, lineaEvaluacion = "EPG" });
        Assert.True(sin.ContainsKey("categoriaDesempeno"));
        Assert.Null((string?)sin["categoriaDesempeno"]);

        var p = await ProgramaAsync(s, "MalDesempeno");
        Assert.Equal("MalDesempeno", (string?)p["categoriaDesempeno"]);
        var ruta = $"/api/v1/programas/{(int)p["id"]!}";
        var (leido, etag) = await Escenario.LeerConEtagAsync(ruta);
        Assert.Equal("MalDesempeno", (string?)leido["categoriaDesempeno"]);

        var r = await Cliente.SendAsync(Escenario.Put(ruta, new { nombre = "Programa", servicioId = s, anioEvaluacion = 2019, lineaEvaluacion = "EPG", categoriaDesempeno = "BuenDesempeno" }, etag));
        await Escenario.Esperar(r, HttpStatusCode.OK);
        Assert.Equal("BuenDesempeno", (string?)(await Escenario.LeerAsync(ruta))["categoriaDesempeno"]);

        // A PUT replaces the whole programa: without the member the category is no longer recorded.
        (_, etag) = await Escenario.LeerConEtagAsync(ruta);
        r = await Cliente.SendAsync(Escenario.Put(ruta, new { nombre = "Programa", servicioId = s, anioEvaluacion = 2019, lineaEvaluacion = "EPG" }, etag));
        await Escenario.Esperar(r, HttpStatusCode.OK);
        Assert.Null((string?)(await Escenario.LeerAsync(ruta))["categoriaDesempeno"]);
    }

    [Theory]
    [InlineData("\"Excelente\"")]
    [InlineData("\"maldesempeno\"")]
    [InlineData("3")]
    [InlineData("\"BuenDesempeno, MalDesempeno\"")]
    public async Task Un_valor_desconocido_es_400_que_nombra_el_campo(string valor)
    {
        var s = await Escenario.ServicioAsync();
        var cuerpo = $"{{\"nombre\":\"X\",\"servicioId\":{s},\"anioEvaluacion\":2019,\"lineaEvaluacion\":\"EPG\",\"categoriaDesempeno\":{valor}}}";
        await Problemas.Validacion(await PostCrudo("/api/v1/programas", cuerpo), "categoriaDesempeno");

        var p = await ProgramaAsync(s, null);
        var ruta = $"/api/v1/programas/{(int)p["id"]!}";
        var (_, etag) = await Escenario.LeerConEtagAsync(ruta);
        var put = new HttpRequestMessage(HttpMethod.Put, ruta) { Content = new StringContent(cuerpo, Encoding.UTF8, "application/json") };
        put.Headers.IfMatch.Add(System.Net.Http.Headers.EntityTagHeaderValue.Parse(etag));
        await Problemas.Validacion(await Cliente.SendAsync(put), "categoriaDesempeno");
        Assert.Null((string?)(await Escenario.LeerAsync(ruta))["categoriaDesempeno"]);

        await Problemas.Validacion(await Cliente.GetAsync("/api/v1/programas?categoriaDesempeno=Excelente"), "categoriaDesempeno");
    }

    [Fact]
    public async Task El_filtro_devuelve_solo_los_de_esa_categoria()
    {
        var s = await Escenario.ServicioAsync();
        var mal = (int)(await ProgramaAsync(s, "MalDesempeno", "A"))["id"]!;
        await ProgramaAsync(s, "BuenDesempeno", "B");
        await ProgramaAsync(s, null, "C");
        var mal2 = (int)(await ProgramaAsync(s, "MalDesempeno", "D"))["id"]!;

        var items = (await Escenario.LeerAsync("/api/v1/programas?categoriaDesempeno=MalDesempeno"))["items"]!.AsArray();
        Assert.Equal([mal, mal2], items.Select(x => (int)x!["id"]!));
        Assert.Empty((await Escenario.LeerAsync("/api/v1/programas?categoriaDesempeno=NoAplica"))["items"]!.AsArray());
        Assert.Equal(4, (await Escenario.LeerAsync("/api/v1/programas"))["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task Se_importa_y_el_informe_la_muestra_y_el_de_la_semilla_no()
    {
        var doc = JsonNode.Parse(File.ReadAllText(Fixture))!.AsObject();
        var semilla = await PostCrudo("/api/v1/importaciones", doc.ToJsonString());
        await Escenario.Esperar(semilla, HttpStatusCode.Created);
        var idSemilla = (int)(await semilla.Content.ReadFromJsonAsync<JsonObject>())!["programaId"]!;
        Assert.Null((string?)(await Escenario.LeerAsync($"/api/v1/programas/{idSemilla}"))["categoriaDesempeno"]);
        Assert.Null((string?)(await Escenario.LeerAsync($"/api/v1/programas/{idSemilla}/informe"))["categoriaDesempeno"]);
        Assert.DoesNotContain("Categoría de Desempeño", await Cliente.GetStringAsync($"/api/v1/programas/{idSemilla}/informe/html"));

        doc["programa"]!["nombre"] = "Otro programa";
        doc["programa"]!["categoriaDesempeno"] = "BajoDesempeno";
        var r = await PostCrudo("/api/v1/importaciones", doc.ToJsonString());
        await Escenario.Esperar(r, HttpStatusCode.Created);
        var id = (int)(await r.Content.ReadFromJsonAsync<JsonObject>())!["programaId"]!;
        Assert.Equal("BajoDesempeno", (string?)(await Escenario.LeerAsync($"/api/v1/programas/{id}"))["categoriaDesempeno"]);
        Assert.Equal("BajoDesempeno", (string?)(await Escenario.LeerAsync($"/api/v1/programas/{id}/informe"))["categoriaDesempeno"]);
        var html = await Cliente.GetStringAsync($"/api/v1/programas/{id}/informe/html");
        Assert.Contains("Categoría de Desempeño", html);
        Assert.Contains("Bajo Desempeño", html);

        doc["programa"]!["nombre"] = "Un tercero";
        doc["programa"]!["categoriaDesempeno"] = "Pésimo";
        await Problemas.Validacion(await PostCrudo("/api/v1/importaciones", doc.ToJsonString()), "programa.categoriaDesempeno");
    }
}
