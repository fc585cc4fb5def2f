using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using CompromisosApi.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace CompromisosApi.IntegrationTests;

/// <summary>
/// Who may write what, checked for every write operation the served OpenAPI document lists, so that a new endpoint
/// can't escape the matrix: an operation missing from <see cref="Permitidos"/> fails the test.
/// </summary>
public sealed class AutorizacionTests(ApiFactory factory) : PruebaApi(factory)
{
    private static readonly Dictionary<string, string[]> Permitidos = new()
    {
        ["CrearMinisterio"] = ["administrador"],
        ["ActualizarMinisterio"] = ["administrador"],
        ["CrearServicio"] = ["administrador"],
        ["ActualizarServicio"] = ["administrador"],
        ["CrearPrograma"] = ["analista"],
        ["ActualizarPrograma"] = ["analista"],
        ["EgresarPrograma"] = ["analista"],
        ["CrearRecomendacion"] = ["analista"],
        ["ActualizarRecomendacion"] = ["analista"],
        ["CrearCompromiso"] = ["analista"],
        ["ActualizarCompromiso"] = ["analista"],
        ["CalificarCompromiso"] = ["analista"],
        ["CalificarCorte"] = ["analista"],
        ["RegistrarReportesDeCorte"] = ["analista", "servicio"],
        ["RegistrarReporte"] = ["analista", "servicio"],
        ["RegistrarMedioVerificacion"] = ["analista", "servicio"],
        ["RegistrarMedioVerificacionConArchivo"] = ["analista", "servicio"],
        ["ImportarRegistro"] = ["analista", "administrador"],
        ["ReabrirPrograma"] = ["administrador"],
        ["CorregirCalificacion"] = ["administrador"],
        ["CrearSuscripcion"] = ["administrador"],
        ["EliminarSuscripcion"] = ["administrador"],
        ["ReactivarSuscripcion"] = ["administrador"],
    };

    private static readonly string[] TodosLosRoles = ["analista", "servicio", "administrador"];

    private sealed record Operacion(string Id, string Metodo, string Ruta, JsonNode Definicion);

    private async Task<List<Operacion>> EscriturasAsync()
    {
        var doc = JsonNode.Parse(await Cliente.GetStringAsync("/swagger/v1/swagger.json"))!;
        return doc["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Select(m => new Operacion((string)m.Value!["operationId"]!, m.Key.ToUpperInvariant(), p.Key, m.Value!)))
            .Where(o => o.Metodo != "GET")
            .ToList();
    }

    private async Task<Dictionary<string, string>> IdsAsync()
    {
        var (p, r, c) = await Escenario.CompromisoPendienteAsync();
        var programa = await Escenario.LeerAsync($"/api/v1/programas/{p}");
        var servicio = await Escenario.LeerAsync($"/api/v1/servicios/{(int)programa["servicioId"]!}");
        return new()
        {
            ["programa"] = p.ToString(),
            ["recomendacion"] = r.ToString(),
            ["compromiso"] = c.ToString(),
            ["servicio"] = ((int)servicio["id"]!).ToString(),
            ["ministerio"] = ((int)servicio["ministerioId"]!).ToString(),
        };
    }

    private static string Rellenar(string ruta, Dictionary<string, string> ids)
    {
        var recurso = ruta.Split('/', StringSplitOptions.RemoveEmptyEntries).SkipWhile(s => s is "api" or "v1").FirstOrDefault() ?? "";
        var clave = recurso switch
        {
            "ministerios" => "ministerio",
            "servicios" => "servicio",
            "programas" => "programa",
            "recomendaciones" => "recomendacion",
            _ => "compromiso",
        };
        return ruta.Replace("{id}", ids[clave]).Replace("{fecha}", "2009-12-31");
    }

    private static HttpRequestMessage Pedido(Operacion op, string ruta, string? token)
    {
        // An empty body: an allowed caller gets past authorization and meets validation (400); a forbidden one is
        // stopped before (401/403). Authorization is decided before the body is read.
        var m = new HttpRequestMessage(new HttpMethod(op.Metodo), ruta) { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        if (token is not null) m.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return m;
    }

    private static string SinFirma(string token) =>
        string.Join('.', Base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}"), token.Split('.')[1], "");

    private static string Base64Url(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Alterado(string token) =>
        token[..^2] + (token[^2] == 'A' ? "B" : "A") + token[^1];

    [Fact]
    public async Task Matriz_de_cada_escritura_por_token_y_rol()
    {
        var escrituras = await EscriturasAsync();
        var ids = await IdsAsync();
        var anonimo = ClienteAnonimo();
        var servicioId = int.Parse(ids["servicio"]);
        var valido = Tokens.Crear("ana", ["analista"]);
        var invalidos = new Dictionary<string, string?>
        {
            ["sin token"] = null,
            ["firma alterada"] = Alterado(valido),
            ["vencido"] = Tokens.Crear("ana", ["analista"], expira: DateTime.UtcNow.AddMinutes(-10)),
            ["otro emisor"] = Tokens.Crear("ana", ["analista"], emisor: "https://otro.example"),
            ["otra audiencia"] = Tokens.Crear("ana", ["analista"], audiencia: "otra-api"),
            ["alg none"] = SinFirma(valido),
            ["otra clave"] = Tokens.Crear("ana", ["analista"], clave: new byte[32]),
        };

        var sinMatriz = escrituras.Select(o => o.Id).Except(Permitidos.Keys).ToList();
        Assert.True(sinMatriz.Count == 0, $"Operaciones de escritura sin fila en la matriz: {string.Join(", ", sinMatriz)}");
        var fallas = new List<string>();
        var casos = 0;
        foreach (var op in escrituras)
        {
            var respuestas = op.Definicion["responses"]!.AsObject();
            if (!respuestas.ContainsKey("401") || !respuestas.ContainsKey("403") || op.Definicion["security"] is null)
                fallas.Add($"{op.Id}: el contrato no declara security, 401 y 403");

            var ruta = Rellenar(op.Ruta, ids);
            foreach (var (caso, token) in invalidos)
            {
                casos++;
                var r = await anonimo.SendAsync(Pedido(op, ruta, token));
                if (r.StatusCode != HttpStatusCode.Unauthorized) fallas.Add($"{op.Id} con {caso}: {(int)r.StatusCode}");
            }

            foreach (var rol in TodosLosRoles)
            {
                casos++;
                var token = Tokens.Crear($"u-{rol}", [rol], rol == "servicio" ? servicioId : null);
                var r = await anonimo.SendAsync(Pedido(op, ruta, token));
                var permitido = Permitidos[op.Id].Contains(rol);
                var ok = permitido ? r.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden) : r.StatusCode == HttpStatusCode.Forbidden;
                if (!ok) fallas.Add($"{op.Id} como {rol}: {(int)r.StatusCode}, se esperaba {(permitido ? "permitido" : "403")}");
            }
        }

        Assert.True(fallas.Count == 0, string.Join("\n", fallas));
        Assert.True(casos >= Permitidos.Count * 10, $"Solo {casos} casos");
    }

    /// <summary>
    /// A validly signed token without sub names no one: 401 for writes (it was accepted and audited as "sistema") and
    /// for reads too, as any token that fails validation is when presented; without a token a read is still public.
    /// </summary>
    [Fact]
    public async Task Un_token_sin_sub_o_invalido_es_401_tambien_en_lecturas()
    {
        var (p, _, _) = await Escenario.CompromisoPendienteAsync();
        var sinSujeto = Factory.CreateClient().Autenticar(Tokens.Crear(null, ["analista", "administrador"]));
        var antes = (await Escenario.LeerAsync("/api/v1/auditoria?actor=sistema&limit=200"))["items"]!.AsArray().Count;

        var escritura = await sinSujeto.PostAsJsonAsync("/api/v1/ministerios", new { nombre = "Ministerio sin sujeto" });
        await Problemas.AfirmarAsync(escritura, HttpStatusCode.Unauthorized);
        Assert.Contains("invalid_token", escritura.Headers.WwwAuthenticate.ToString());
        await Problemas.AfirmarAsync(await sinSujeto.GetAsync($"/api/v1/programas/{p}"), HttpStatusCode.Unauthorized);
        var vencido = Factory.CreateClient().Autenticar(Tokens.Crear("ana", ["analista"], expira: DateTime.UtcNow.AddMinutes(-10)));
        await Problemas.AfirmarAsync(await vencido.GetAsync($"/api/v1/programas/{p}"), HttpStatusCode.Unauthorized);

        Assert.Equal(HttpStatusCode.OK, (await ClienteAnonimo().GetAsync($"/api/v1/programas/{p}")).StatusCode);
        Assert.DoesNotContain((await Escenario.LeerAsync("/api/v1/ministerios?limit=200"))["items"]!.AsArray(), m => (string)m!["nombre"]! == "Ministerio sin sujeto");
        Assert.Equal(antes, (await Escenario.LeerAsync("/api/v1/auditoria?actor=sistema&limit=200"))["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task Las_respuestas_401_y_403_son_problem_json()
    {
        var sinToken = await ClienteAnonimo().PostAsJsonAsync("/api/v1/ministerios", new { nombre = "M" });
        await Problemas.AfirmarAsync(sinToken, HttpStatusCode.Unauthorized);
        Assert.Contains("Bearer", sinToken.Headers.WwwAuthenticate.ToString());
        await Problemas.AfirmarAsync(await ClienteCon("s", ["servicio"], 1).PostAsJsonAsync("/api/v1/ministerios", new { nombre = "M" }), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Un_servicio_no_escribe_en_compromisos_de_otro_servicio()
    {
        var sA = await Escenario.ServicioAsync("Ministerio de Agricultura", "INDAP");
        var sB = await Escenario.ServicioAsync("Ministerio de Educación", "JUNAEB");
        var rA = await Escenario.RecomendacionAsync(await Escenario.ProgramaAsync(sA, "A"));
        var rB = await Escenario.RecomendacionAsync(await Escenario.ProgramaAsync(sB, "B"));
        var cA = (int)(await Escenario.CompromisoAsync(rA))["id"]!;
        var cB = (int)(await Escenario.CompromisoAsync(rB))["id"]!;
        var usuarioA = ClienteCon("staff-indap", ["servicio"], sA);

        var escrituras = await EscriturasAsync();
        var conId = escrituras.Where(o => o.Ruta.Contains("{id}")).ToList();
        var fugas = new List<string>();
        var ids = new Dictionary<string, string>
        {
            ["compromiso"] = cB.ToString(), ["recomendacion"] = rB.ToString(), ["servicio"] = sB.ToString(),
            ["programa"] = (await Escenario.LeerAsync($"/api/v1/recomendaciones/{rB}"))["programaId"]!.ToString(),
            ["ministerio"] = (await Escenario.LeerAsync($"/api/v1/servicios/{sB}"))["ministerioId"]!.ToString(),
        };
        foreach (var op in conId)
        {
            var cuerpo = op.Id switch
            {
                "RegistrarReporte" => new JsonObject { ["corte"] = "2010-12-31", ["texto"] = "Intento ajeno" },
                "RegistrarMedioVerificacion" => new JsonObject { ["corte"] = "2010-12-31", ["titulo"] = "Intento ajeno" },
                _ => new JsonObject(),
            };
            HttpContent contenido = op.Id == "RegistrarMedioVerificacionConArchivo"
                ? new MultipartFormDataContent
                {
                    { new StringContent("Intento ajeno"), "titulo" },
                    { new StringContent("2010-12-31"), "corte" },
                    { new ByteArrayContent("%PDF-1.4 ajeno"u8.ToArray()), "archivo", "ajeno.pdf" },
                }
                : JsonContent.Create(cuerpo);
            var pedido = new HttpRequestMessage(new HttpMethod(op.Metodo), Rellenar(op.Ruta, ids)) { Content = contenido };
            var r = await usuarioA.SendAsync(pedido);
            if (r.StatusCode != HttpStatusCode.Forbidden) fugas.Add($"{op.Id}: {(int)r.StatusCode}");
        }

        Assert.True(fugas.Count == 0, "Fugas: " + string.Join(", ", fugas));
        Assert.Empty((await Escenario.LeerAsync($"/api/v1/compromisos/{cB}/reportes"))["items"]!.AsArray());
        Assert.Empty((await Escenario.LeerAsync($"/api/v1/compromisos/{cB}/medios-verificacion"))["items"]!.AsArray());

        // Its own servicio's compromisos it may report on.
        await Escenario.Esperar(await usuarioA.PostAsJsonAsync($"/api/v1/compromisos/{cA}/reportes", new { corte = "2010-12-31", texto = "Avance propio" }), HttpStatusCode.Created);
        await Escenario.Esperar(await usuarioA.PostAsJsonAsync($"/api/v1/compromisos/{cA}/medios-verificacion", new { corte = "2010-12-31", titulo = "Acta" }), HttpStatusCode.Created);
    }

    [Fact]
    public async Task Un_usuario_servicio_sin_claim_servicio_id_no_puede_reportar()
    {
        var (_, _, c) = await Escenario.CompromisoPendienteAsync();
        await Problemas.AfirmarAsync(await ClienteCon("sin-servicio", ["servicio"]).PostAsJsonAsync($"/api/v1/compromisos/{c}/reportes",
            new { corte = "2010-12-31", texto = "x" }), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Las_lecturas_son_publicas_salvo_que_la_configuracion_las_cierre()
    {
        var (p, _, _) = await Escenario.CompromisoPendienteAsync();
        Assert.Equal(HttpStatusCode.OK, (await ClienteAnonimo().GetAsync($"/api/v1/programas/{p}")).StatusCode);

        using var cerrada = Factory.WithWebHostBuilder(b => b.UseSetting("Autorizacion:LecturaPublica", "false"));
        await Problemas.AfirmarAsync(await cerrada.CreateClient().GetAsync($"/api/v1/programas/{p}"), HttpStatusCode.Unauthorized);
        var autenticado = cerrada.CreateClient().Autenticar(Tokens.Crear("lector", []));
        Assert.Equal(HttpStatusCode.OK, (await autenticado.GetAsync($"/api/v1/programas/{p}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await cerrada.CreateClient().GetAsync("/health/live")).StatusCode);
    }

    [Fact]
    public async Task Sobre_el_limite_responde_429_con_Retry_After_sin_afectar_a_otro_principal()
    {
        using var limitada = Factory.WithWebHostBuilder(b => b.UseSetting("LimitesDeUso:SolicitudesPorMinuto", "5"));
        var a = limitada.CreateClient().Autenticar(Tokens.Crear("sistema-a", ["analista"]));
        var b = limitada.CreateClient().Autenticar(Tokens.Crear("sistema-b", ["analista"]));

        var rafaga = new List<HttpResponseMessage>();
        for (var i = 0; i < 8; i++) rafaga.Add(await a.GetAsync("/api/v1/lineas-evaluacion"));

        Assert.Equal(5, rafaga.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal("\"por-principal\";r=4", rafaga[0].Headers.GetValues("RateLimit").Single());
        Assert.Equal("\"por-principal\";q=5;w=60", rafaga[0].Headers.GetValues("RateLimit-Policy").Single());
        var rechazada = rafaga.First(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        await Problemas.AfirmarAsync(rechazada, HttpStatusCode.TooManyRequests, "urn:compromisos:demasiadas-solicitudes");
        Assert.NotNull(rechazada.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, (await b.GetAsync("/api/v1/lineas-evaluacion")).StatusCode);
    }

    [Fact]
    public async Task Encabezados_de_seguridad_y_CORS_por_lista()
    {
        using var conCors = Factory.WithWebHostBuilder(b => b.UseSetting("Cors:OrigenesPermitidos:0", "https://portal.example.cl"));
        var cliente = conCors.CreateClient();

        var permitido = new HttpRequestMessage(HttpMethod.Get, "/api/v1/lineas-evaluacion");
        permitido.Headers.Add("Origin", "https://portal.example.cl");
        var r = await cliente.SendAsync(permitido);
        Assert.Equal("https://portal.example.cl", r.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("nosniff", r.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", r.Headers.GetValues("X-Frame-Options").Single());
        Assert.Contains("default-src 'none'", r.Headers.GetValues("Content-Security-Policy").Single());

        var ajeno = new HttpRequestMessage(HttpMethod.Get, "/api/v1/lineas-evaluacion");
        ajeno.Headers.Add("Origin", "https://otro.example.com");
        Assert.False((await cliente.SendAsync(ajeno)).Headers.Contains("Access-Control-Allow-Origin"));
    }
}
