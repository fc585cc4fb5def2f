using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using CompromisosApi.Features.Demo;
using CompromisosApi.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CompromisosApi.IntegrationTests;

/// <summary>
/// The budget law's codes (issue 17): ministerio.codigo (partida), servicio.codigo (partida.capítulo) and
/// programa.codigoPresupuestario (partida.capítulo.programa): set on create, PUT and import, well formed, agreeing with
/// the parent's, unique, filtered, in the informe's JSON, and the demo's INDAP at 13.03.
/// </summary>
public sealed class CodigosOficialesTests(ApiFactory factory) : PruebaApi(factory)
{
    private static readonly string Fixture = Path.Combine(Repositorio.Raiz, "src/CompromisosApi/Features/Demo/redes-por-rubro-2007.importacion.json");

    private static JsonObject Documento() => JsonNode.Parse(File.ReadAllText(Fixture))!.AsObject();

    private Task<HttpResponseMessage> Importar(JsonNode doc) =>
        Cliente.PostAsync("/api/v1/importaciones", new StringContent(doc.ToJsonString(), Encoding.UTF8, "application/json"));

    private Task<HttpResponseMessage> Post(string ruta, object cuerpo) => Cliente.PostAsJsonAsync(ruta, cuerpo);

    private async Task<int> MinisterioAsync(string? codigo, string nombre = "Ministerio de Agricultura") =>
        (int)(await Escenario.CrearAsync("/api/v1/ministerios", new { nombre, codigo }))["id"]!;

    private async Task<int> ServicioAsync(int ministerio, string? codigo, string nombre = "Instituto de Desarrollo Agropecuario") =>
        (int)(await Escenario.CrearAsync("/api/v1/servicios", new { nombre, sigla = "INDAP", ministerioId = ministerio, codigo }))["id"]!;

    private async Task<int> ProgramaAsync(int servicio, string? codigoPresupuestario, string nombre = "Programa") =>
        (int)(await Escenario.CrearAsync("/api/v1/programas",
            new { nombre, servicioId = servicio, anioEvaluacion = 2019, lineaEvaluacion = "EPG", codigoPresupuestario }))["id"]!;

    private async Task<HttpResponseMessage> PutAsync(string ruta, object cuerpo)
    {
        var (_, etag) = await Escenario.LeerConEtagAsync(ruta);
        return await Cliente.SendAsync(Escenario.Put(ruta, cuerpo, etag));
    }

    [Fact]
    public async Task Se_fijan_al_crear_y_con_PUT_se_leen_y_un_PUT_sin_codigo_lo_borra()
    {
        var m = await MinisterioAsync("13");
        var s = await ServicioAsync(m, "13.03");
        var p = await ProgramaAsync(s, "13.03.01");

        Assert.Equal("13", (string?)(await Escenario.LeerAsync($"/api/v1/ministerios/{m}"))["codigo"]);
        Assert.Equal("13.03", (string?)(await Escenario.LeerAsync($"/api/v1/servicios/{s}"))["codigo"]);
        Assert.Equal("13.03.01", (string?)(await Escenario.LeerAsync($"/api/v1/programas/{p}"))["codigoPresupuestario"]);

        var r = await PutAsync($"/api/v1/programas/{p}", new { nombre = "Programa", servicioId = s, anioEvaluacion = 2019, lineaEvaluacion = "EPG", codigoPresupuestario = "13.03.02" });
        await Escenario.Esperar(r, HttpStatusCode.OK);
        Assert.Equal("13.03.02", (string?)(await Escenario.LeerAsync($"/api/v1/programas/{p}"))["codigoPresupuestario"]);
        r = await PutAsync($"/api/v1/programas/{p}", new { nombre = "Programa", servicioId = s, anioEvaluacion = 2019, lineaEvaluacion = "EPG" });
        await Escenario.Esperar(r, HttpStatusCode.OK);
        var programa = await Escenario.LeerAsync($"/api/v1/programas/{p}");
        Assert.True(programa.ContainsKey("codigoPresupuestario"));
        Assert.Null((string?)programa["codigoPresupuestario"]);

        r = await PutAsync($"/api/v1/servicios/{s}", new { nombre = "INDAP", ministerioId = m, codigo = "13.04" });
        await Escenario.Esperar(r, HttpStatusCode.OK);
        Assert.Equal("13.04", (string?)(await Escenario.LeerAsync($"/api/v1/servicios/{s}"))["codigo"]);
        r = await PutAsync($"/api/v1/ministerios/{m}", new { nombre = "Ministerio de Agricultura" });
        await Escenario.Esperar(r, HttpStatusCode.OK);
        Assert.Null((string?)(await Escenario.LeerAsync($"/api/v1/ministerios/{m}"))["codigo"]);

        // Legacy rows: without codes, as before.
        var legado = await MinisterioAsync(null, "Ministerio sin código");
        Assert.Null((string?)(await Escenario.LeerAsync($"/api/v1/ministerios/{legado}"))["codigo"]);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("131")]
    [InlineData("AB")]
    [InlineData("13.")]
    [InlineData(" 13")]
    [InlineData("13\n")]
    [InlineData("")]
    public async Task Un_codigo_de_ministerio_mal_formado_es_400_que_nombra_el_campo(string codigo)
    {
        await Problemas.Validacion(await Post("/api/v1/ministerios", new { nombre = "M", codigo }), "codigo");
        var m = await MinisterioAsync("13");
        await Problemas.Validacion(await PutAsync($"/api/v1/ministerios/{m}", new { nombre = "M", codigo }), "codigo");
        Assert.Equal("13", (string?)(await Escenario.LeerAsync($"/api/v1/ministerios/{m}"))["codigo"]);
    }

    [Theory]
    [InlineData("13", "13.3", "13.03.1")]
    [InlineData("13", "1303", "13.0301")]
    [InlineData("13", "13.03.01", "13.03")]
    [InlineData("13", "13-03", "13.03.01.")]
    public async Task Un_codigo_de_servicio_o_programa_mal_formado_es_400_que_nombra_el_campo(string ministerio, string servicio, string programa)
    {
        var m = await MinisterioAsync(ministerio);
        await Problemas.Validacion(await Post("/api/v1/servicios", new { nombre = "S", ministerioId = m, codigo = servicio }), "codigo");
        var s = await ServicioAsync(m, ministerio + ".03");
        await Problemas.Validacion(
            await Post("/api/v1/programas", new { nombre = "P", servicioId = s, anioEvaluacion = 2019, lineaEvaluacion = "EPG", codigoPresupuestario = programa }),
            "codigoPresupuestario");
    }

    [Fact]
    public async Task Un_codigo_que_no_comienza_con_el_de_su_padre_es_400_que_nombra_el_campo()
    {
        var agricultura = await MinisterioAsync("13");
        var otro = await MinisterioAsync("14", "Ministerio de Bienes Nacionales");
        await Problemas.Validacion(await Post("/api/v1/servicios", new { nombre = "S", ministerioId = agricultura, codigo = "14.03" }), "codigo");
        var s = await ServicioAsync(agricultura, "13.03");
        await Problemas.Validacion(
            await Post("/api/v1/programas", new { nombre = "P", servicioId = s, anioEvaluacion = 2019, lineaEvaluacion = "EPG", codigoPresupuestario = "13.04.01" }),
            "codigoPresupuestario");

        // Moving a servicio to another ministerio keeps its code in agreement, or is refused.
        await Problemas.Validacion(await PutAsync($"/api/v1/servicios/{s}", new { nombre = "INDAP", ministerioId = otro, codigo = "13.03" }), "codigo");
        Assert.Equal(agricultura, (int)(await Escenario.LeerAsync($"/api/v1/servicios/{s}"))["ministerioId"]!);
        // And a programa moved to a servicio whose code it does not begin with.
        var p = await ProgramaAsync(s, "13.03.01");
        var s2 = await ServicioAsync(otro, "14.01", "Subsecretaría de Bienes Nacionales");
        await Problemas.Validacion(
            await PutAsync($"/api/v1/programas/{p}", new { nombre = "Programa", servicioId = s2, anioEvaluacion = 2019, lineaEvaluacion = "EPG", codigoPresupuestario = "13.03.01" }),
            "codigoPresupuestario");

        // A parent without a code constrains nothing (legacy catalogs are coded a piece at a time).
        var sinCodigo = await MinisterioAsync(null, "Ministerio sin código");
        await ServicioAsync(sinCodigo, "22.01", "Servicio con código");
    }

    [Fact]
    public async Task Un_codigo_duplicado_es_409()
    {
        var m = await MinisterioAsync("13");
        await Problemas.Regla(await Post("/api/v1/ministerios", new { nombre = "Otro ministerio", codigo = "13" }), "registro-duplicado");
        var otro = await MinisterioAsync("14", "Otro ministerio");
        await Problemas.Regla(await PutAsync($"/api/v1/ministerios/{otro}", new { nombre = "Otro ministerio", codigo = "13" }), "registro-duplicado");

        var s = await ServicioAsync(m, "13.03");
        await Problemas.Regla(await Post("/api/v1/servicios", new { nombre = "Otro servicio", ministerioId = m, codigo = "13.03" }), "registro-duplicado");
        await ProgramaAsync(s, "13.03.01");
        await Problemas.Regla(
            await Post("/api/v1/programas", new { nombre = "Otro", servicioId = s, anioEvaluacion = 2019, lineaEvaluacion = "EPG", codigoPresupuestario = "13.03.01" }),
            "registro-duplicado");

        // Null is not a value: any number of rows may lack a code.
        await MinisterioAsync(null, "Sin código 1");
        await MinisterioAsync(null, "Sin código 2");
    }

    [Fact]
    public async Task El_codigo_de_un_padre_no_cambia_si_sus_hijos_dejarian_de_comenzar_con_el()
    {
        var m = await MinisterioAsync("13");
        var s = await ServicioAsync(m, "13.03");
        await ProgramaAsync(s, "13.03.01");

        var problema = await Problemas.Regla(await PutAsync($"/api/v1/ministerios/{m}", new { nombre = "Ministerio de Agricultura", codigo = "14" }), "codigo-con-dependientes");
        Assert.Contains("13.03", (string?)problema["detail"]);
        Assert.Equal("13", (string?)(await Escenario.LeerAsync($"/api/v1/ministerios/{m}"))["codigo"]);
        await Problemas.Regla(await PutAsync($"/api/v1/servicios/{s}", new { nombre = "INDAP", ministerioId = m, codigo = "13.04" }), "codigo-con-dependientes");
        Assert.Equal("13.03", (string?)(await Escenario.LeerAsync($"/api/v1/servicios/{s}"))["codigo"]);

        // Children first, then the parent: the record stays consistent at every step.
        var p = (int)(await Escenario.LeerAsync("/api/v1/programas?codigoPresupuestario=13.03.01"))["items"]![0]!["id"]!;
        await Escenario.Esperar(await PutAsync($"/api/v1/programas/{p}", new { nombre = "Programa", servicioId = s, anioEvaluacion = 2019, lineaEvaluacion = "EPG" }), HttpStatusCode.OK);
        await Escenario.Esperar(await PutAsync($"/api/v1/servicios/{s}", new { nombre = "INDAP", ministerioId = m }), HttpStatusCode.OK);
        await Escenario.Esperar(await PutAsync($"/api/v1/ministerios/{m}", new { nombre = "Ministerio de Agricultura", codigo = "14" }), HttpStatusCode.OK);
        Assert.Equal("14", (string?)(await Escenario.LeerAsync($"/api/v1/ministerios/{m}"))["codigo"]);
    }

    [Fact]
    public async Task Los_filtros_encuentran_por_codigo_y_un_filtro_mal_formado_es_400()
    {
        var m = await MinisterioAsync("13");
        var m2 = await MinisterioAsync("14", "Otro ministerio");
        await MinisterioAsync(null, "Sin código");
        var s = await ServicioAsync(m, "13.03");
        await ServicioAsync(m, "13.01", "Subsecretaría de Agricultura");
        var p = await ProgramaAsync(s, "13.03.01");
        await ProgramaAsync(s, null, "Sin código");

        Assert.Equal([m], (await Escenario.LeerAsync("/api/v1/ministerios?codigo=13"))["items"]!.AsArray().Select(x => (int)x!["id"]!));
        Assert.Equal([m2], (await Escenario.LeerAsync("/api/v1/ministerios?codigo=14"))["items"]!.AsArray().Select(x => (int)x!["id"]!));
        Assert.Empty((await Escenario.LeerAsync("/api/v1/ministerios?codigo=15"))["items"]!.AsArray());
        Assert.Equal([s], (await Escenario.LeerAsync("/api/v1/servicios?codigo=13.03"))["items"]!.AsArray().Select(x => (int)x!["id"]!));
        Assert.Empty((await Escenario.LeerAsync($"/api/v1/servicios?codigo=13.03&ministerioId={m2}"))["items"]!.AsArray());
        Assert.Equal([p], (await Escenario.LeerAsync("/api/v1/programas?codigoPresupuestario=13.03.01"))["items"]!.AsArray().Select(x => (int)x!["id"]!));
        Assert.Equal(2, (await Escenario.LeerAsync("/api/v1/programas"))["items"]!.AsArray().Count);

        await Problemas.Validacion(await Cliente.GetAsync("/api/v1/ministerios?codigo=1"), "codigo");
        await Problemas.Validacion(await Cliente.GetAsync("/api/v1/servicios?codigo=13"), "codigo");
        await Problemas.Validacion(await Cliente.GetAsync("/api/v1/programas?codigoPresupuestario=13.03"), "codigoPresupuestario");
    }

    [Fact]
    public async Task Se_importan_de_ida_y_vuelta_el_informe_los_muestra_y_reimportar_no_cambia_nada()
    {
        var doc = Documento();
        var r = await Importar(doc);
        await Escenario.Esperar(r, HttpStatusCode.Created);
        var id = (int)(await r.Content.ReadFromJsonAsync<JsonObject>())!["programaId"]!;
        var programa = await Escenario.LeerAsync($"/api/v1/programas/{id}");
        Assert.Null((string?)programa["codigoPresupuestario"]);
        var servicio = await Escenario.LeerAsync($"/api/v1/servicios/{(int)programa["servicioId"]!}");
        Assert.Equal("13.03", (string?)servicio["codigo"]);
        Assert.Equal("13", (string?)(await Escenario.LeerAsync($"/api/v1/ministerios/{(int)servicio["ministerioId"]!}"))["codigo"]);
        var informe = await Escenario.LeerAsync($"/api/v1/programas/{id}/informe");
        Assert.Equal("13", (string?)informe["ministerioCodigo"]);
        Assert.Equal("13.03", (string?)informe["servicioCodigo"]);
        Assert.True(informe.ContainsKey("codigoPresupuestario"));
        Assert.Null((string?)informe["codigoPresupuestario"]);

        var otra = await Importar(Documento());
        await Escenario.Esperar(otra, HttpStatusCode.OK);
        Assert.False((bool)(await otra.Content.ReadFromJsonAsync<JsonObject>())!["creado"]!);

        // Another programa of the same servicio, with a code of its own: the ministerio and servicio are reused.
        doc["programa"]!["nombre"] = "Programa con código";
        doc["programa"]!["codigoPresupuestario"] = "13.03.01";
        r = await Importar(doc);
        await Escenario.Esperar(r, HttpStatusCode.Created);
        var conCodigo = (int)(await r.Content.ReadFromJsonAsync<JsonObject>())!["programaId"]!;
        Assert.Equal("13.03.01", (string?)(await Escenario.LeerAsync($"/api/v1/programas/{conCodigo}"))["codigoPresupuestario"]);
        Assert.Equal("13.03.01", (string?)(await Escenario.LeerAsync($"/api/v1/programas/{conCodigo}/informe"))["codigoPresupuestario"]);
        Assert.Equal((int)programa["servicioId"]!, (int)(await Escenario.LeerAsync($"/api/v1/programas/{conCodigo}"))["servicioId"]!);
    }

    [Fact]
    public async Task Un_documento_con_codigos_mal_formados_o_inconsistentes_es_400_y_no_importa_nada()
    {
        async Task Rechazado(Action<JsonObject> cambio, string campo)
        {
            var doc = Documento();
            cambio(doc);
            await Problemas.Validacion(await Importar(doc), campo);
        }

        await Rechazado(d => d["ministerioCodigo"] = "130", "ministerioCodigo");
        await Rechazado(d => d["servicio"]!["codigo"] = "13.3", "servicio.codigo");
        await Rechazado(d => d["servicio"]!["codigo"] = "14.03", "servicio.codigo");
        await Rechazado(d => d["programa"]!["codigoPresupuestario"] = "13.03", "programa.codigoPresupuestario");
        await Rechazado(d => d["programa"]!["codigoPresupuestario"] = "13.04.01", "programa.codigoPresupuestario");
        Assert.Empty((await Escenario.LeerAsync("/api/v1/ministerios"))["items"]!.AsArray());

        // Against the catalog it reuses: the import does not change an existing ministerio's or servicio's code.
        var m = await MinisterioAsync("12");
        await Problemas.Validacion(await Importar(Documento()), "ministerioCodigo");
        await Escenario.Esperar(await PutAsync($"/api/v1/ministerios/{m}", new { nombre = "Ministerio de Agricultura", codigo = "13" }), HttpStatusCode.OK);
        var s = await ServicioAsync(m, "13.05");
        await Problemas.Validacion(await Importar(Documento()), "servicio.codigo");
        await Escenario.Esperar(await PutAsync($"/api/v1/servicios/{s}", new { nombre = "Instituto de Desarrollo Agropecuario", ministerioId = m, codigo = "13.03" }), HttpStatusCode.OK);
        var doc = Documento();
        doc["servicio"]!.AsObject().Remove("codigo");
        doc["programa"]!["codigoPresupuestario"] = "13.05.01";
        await Problemas.Validacion(await Importar(doc), "programa.codigoPresupuestario");
        Assert.Empty((await Escenario.LeerAsync("/api/v1/programas"))["items"]!.AsArray());
        await Escenario.Esperar(await Importar(Documento()), HttpStatusCode.Created);
    }

    [Fact]
    public async Task El_demo_tiene_la_partida_13_y_el_capitulo_13_03_de_INDAP()
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        var id = await scope.ServiceProvider.GetRequiredService<DemoSeeder>().CargarAsync(CancellationToken.None);

        var servicio = (await Escenario.LeerAsync("/api/v1/servicios?codigo=13.03"))["items"]!.AsArray().Single()!;
        Assert.Equal("Instituto de Desarrollo Agropecuario", (string?)servicio["nombre"]);
        Assert.Equal((int)servicio["id"]!, (int)(await Escenario.LeerAsync($"/api/v1/programas/{id}"))["servicioId"]!);
        var ministerio = (await Escenario.LeerAsync("/api/v1/ministerios?codigo=13"))["items"]!.AsArray().Single()!;
        Assert.Equal("Ministerio de Agricultura", (string?)ministerio["nombre"]);
        // No published source gives the evaluated program a budget programa of its own: no code.
        Assert.Null((string?)(await Escenario.LeerAsync($"/api/v1/programas/{id}"))["codigoPresupuestario"]);
    }
}
