using System.Net;
using System.Net.Http.Json;
using System.Text;
using CompromisosApi.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CompromisosApi.IntegrationTests;

/// <summary>Bad input always gets a 4xx problem+json naming the field, and writes nothing.</summary>
public sealed class EntradaInvalidaTests(ApiFactory factory) : PruebaApi(factory)
{
    private Task<HttpResponseMessage> PostCrudo(string ruta, string json) =>
        Cliente.PostAsync(ruta, new StringContent(json, Encoding.UTF8, "application/json"));

    /// <summary>The exception handler clears a failed request's headers: the security and quota headers survive it.</summary>
    [Fact]
    public async Task Las_respuestas_de_error_llevan_los_encabezados_de_seguridad_y_de_cupo()
    {
        foreach (var r in new[]
        {
            await Cliente.GetAsync("/api/v1/programas/999999"),
            await PostCrudo("/api/v1/programas", "{"),
            await ClienteAnonimo().PostAsync("/api/v1/ministerios", new StringContent("{}", Encoding.UTF8, "application/json")),
        })
        {
            Assert.True(r.StatusCode >= System.Net.HttpStatusCode.BadRequest);
            Assert.Equal("nosniff", r.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("DENY", r.Headers.GetValues("X-Frame-Options").Single());
            Assert.Equal("default-src 'none'; frame-ancestors 'none'", r.Headers.GetValues("Content-Security-Policy").Single());
            Assert.True(r.Headers.Contains("RateLimit"), $"{(int)r.StatusCode} sin RateLimit");
        }
    }

    [Fact]
    public async Task Un_valor_que_PostgreSQL_rechaza_no_deja_la_conexion_en_mal_estado_para_las_siguientes()
    {
        // A NUL character reaches a query (the catalog check of lineaEvaluacion) and PostgreSQL refuses it at bind.
        // That request is a 400; the pooled connection must then serve the next ones normally. (With Npgsql's
        // auto-prepare on, some of the following valid requests got another statement's rows and a 500.)
        var servicio = await Escenario.ServicioAsync();
        for (var i = 0; i < 25; i++)
        {
            var malo = await PostCrudo("/api/v1/programas",
                $$"""{"nombre":"P","servicioId":{{servicio}},"anioEvaluacion":2007,"lineaEvaluacion":"E\u0000"}""");
            Assert.Equal(HttpStatusCode.BadRequest, malo.StatusCode);
            var bueno = await PostCrudo("/api/v1/programas",
                $$"""{"nombre":"P","servicioId":-1,"anioEvaluacion":2007,"lineaEvaluacion":"EPG"}""");
            Assert.Equal(HttpStatusCode.BadRequest, bueno.StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await Cliente.GetAsync($"/api/v1/servicios/{servicio}")).StatusCode);
        }
    }

    [Fact]
    public async Task JSON_mal_formado()
    {
        await Problemas.Validacion(await PostCrudo("/api/v1/ministerios", "{\"nombre\": "), "nombre");
        await Problemas.Validacion(await PostCrudo("/api/v1/ministerios", "no es json"), "$");
        await Problemas.Validacion(await PostCrudo("/api/v1/ministerios", "{\"nombre\": \"x\",}"), "$");
    }

    /// <summary>What the framework refuses by itself (authorization, routing, the body limit) carries the contract's types.</summary>
    [Fact]
    public async Task Los_rechazos_del_marco_llevan_los_tipos_del_contrato()
    {
        var soloLectura = ClienteCon("vera", ["servicio"], servicioId: 1);
        await Problemas.AfirmarAsync(await soloLectura.PostAsJsonAsync("/api/v1/ministerios", new { nombre = "X" }),
            HttpStatusCode.Forbidden, "urn:compromisos:prohibido");
        foreach (var id in new[] { "abc", "1.5", "2147483648" })
        {
            var p = await Problemas.AfirmarAsync(await Cliente.GetAsync($"/api/v1/programas/{id}"), HttpStatusCode.NotFound, "urn:compromisos:no-encontrado");
            Assert.False(string.IsNullOrWhiteSpace((string?)p["detail"]));
        }

        await Problemas.AfirmarAsync(await Factory.CreateClient().PostAsJsonAsync("/api/v1/ministerios", new { nombre = "X" }),
            HttpStatusCode.Unauthorized, "urn:compromisos:no-autenticado");
        var metodo = await Cliente.DeleteAsync("/api/v1/programas/2");
        await Problemas.AfirmarAsync(metodo, HttpStatusCode.MethodNotAllowed, "urn:compromisos:metodo-no-permitido");
        Assert.Contains("GET", metodo.Content.Headers.Allow);
    }

    /// <summary>Kestrel's body limit (a test host has none): the real process.</summary>
    [SkippableFact]
    public async Task Un_cuerpo_sobre_el_limite_de_Kestrel_lleva_el_tipo_del_contrato()
    {
        Skip.If(!File.Exists(ServicioEnProceso.Dll), "El servicio no está compilado en Release: " + ServicioEnProceso.Dll);
        using var servicio = new ServicioEnProceso(Factory.Services.GetRequiredService<IConfiguration>().GetConnectionString("Compromisos")!);
        await servicio.EsperarListoAsync();
        // Kestrel answers as soon as it reads the declared length and closes: the body is never sent (an HTTP client
        // writing it would fail on the closed connection before reading the answer).
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(servicio.Url.Host, servicio.Url.Port);
        var flujo = tcp.GetStream();
        var cabecera = $"POST /api/v1/ministerios HTTP/1.1\r\nHost: {servicio.Url.Authority}\r\nAuthorization: Bearer {Tokens.Crear("ana", ["administrador"])}\r\n" +
            $"Content-Type: application/json\r\nContent-Length: {11 * 1024 * 1024}\r\n\r\n";
        await flujo.WriteAsync(Encoding.ASCII.GetBytes(cabecera));
        var respuesta = await new StreamReader(flujo, Encoding.UTF8).ReadToEndAsync();
        // The status line, the media type and the type (the body may come chunked).
        Assert.StartsWith("HTTP/1.1 413", respuesta, StringComparison.Ordinal);
        Assert.Contains("Content-Type: application/problem+json", respuesta, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\"type\":\"urn:compromisos:cuerpo-demasiado-grande\"", respuesta, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", respuesta, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cuerpo_ausente_o_de_otro_tipo()
    {
        await Problemas.AfirmarAsync(await Cliente.PostAsync("/api/v1/ministerios", null), HttpStatusCode.BadRequest);
        var r = await Cliente.PostAsync("/api/v1/ministerios", new StringContent("nombre=x", Encoding.UTF8, "text/plain"));
        // The contract's 415, not the framework's generic one (routing refuses it before any handler runs).
        var problema = await Problemas.AfirmarAsync(r, HttpStatusCode.UnsupportedMediaType, "urn:compromisos:tipo-no-admitido");
        Assert.Equal(["application/json"], problema["admitidos"]!.AsArray().Select(x => (string?)x));
    }

    [Fact]
    public async Task Campo_obligatorio_ausente_o_nulo()
    {
        await Problemas.Validacion(await PostCrudo("/api/v1/ministerios", "{}"), "nombre");
        await Problemas.Validacion(await PostCrudo("/api/v1/ministerios", "{\"nombre\": null}"), "nombre");
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task Texto_vacio(string texto)
    {
        var (p, r, c) = await Escenario.CompromisoPendienteAsync();
        await Problemas.Validacion(await Cliente.PostAsJsonAsync($"/api/v1/programas/{p}/recomendaciones", new { texto }), "texto");
        await Problemas.Validacion(await Cliente.PostAsJsonAsync($"/api/v1/recomendaciones/{r}/compromisos", new { texto, fechaVencimiento = "2010-12" }), "texto");
        await Problemas.Validacion(await Cliente.PostAsJsonAsync($"/api/v1/compromisos/{c}/reportes", new { corte = "2010-12-31", texto }), "texto");
        await Problemas.Validacion(await Cliente.PostAsJsonAsync($"/api/v1/compromisos/{c}/medios-verificacion", new { corte = "2010-12-31", titulo = texto }), "titulo");
        await Problemas.Validacion(await Cliente.PostAsJsonAsync("/api/v1/ministerios", new { nombre = texto }), "nombre");
        Assert.Single((await Escenario.LeerAsync($"/api/v1/programas/{p}/recomendaciones"))["items"]!.AsArray());
    }

    [Theory]
    [InlineData("2009-13")]
    [InlineData("2009-00")]
    [InlineData("2009-1")]
    [InlineData("diciembre 2009")]
    [InlineData("2009-12-31")]
    [InlineData("1800-12")]
    public async Task Mes_de_vencimiento_invalido(string mes)
    {
        var (_, r, c) = await Escenario.CompromisoPendienteAsync();
        await Problemas.Validacion(await Cliente.PostAsJsonAsync($"/api/v1/recomendaciones/{r}/compromisos", new { texto = "x", fechaVencimiento = mes }), "fechaVencimiento");
        var (_, etag) = await Escenario.LeerConEtagAsync($"/api/v1/compromisos/{c}");
        await Problemas.Validacion(await Cliente.SendAsync(Escenario.Put($"/api/v1/compromisos/{c}", new { texto = "x", fechaVencimiento = mes }, etag)), "fechaVencimiento");
        await Problemas.Validacion(await Cliente.GetAsync($"/api/v1/compromisos?venceDesde={mes}"), "venceDesde");
    }

    [Fact]
    public async Task Valor_de_enumeracion_desconocido()
    {
        var (p, _, c) = await Escenario.CompromisoPendienteAsync();
        await Problemas.Validacion(await PostCrudo($"/api/v1/compromisos/{c}/calificaciones", "{\"calificacion\":\"Aprobado\",\"fecha\":\"2009-12-31\"}"), "calificacion");
        await Problemas.Validacion(await PostCrudo($"/api/v1/compromisos/{c}/calificaciones", "{\"calificacion\":7,\"fecha\":\"2009-12-31\"}"), "calificacion");
        // Only exact names: no numbers, other casings or flag combinations (which would record a value nobody sent).
        foreach (var valor in new[] { "1", "\"cumplido\"", "\"Cumplido, ParcialmenteCumplido\"", "\"\"", "null" })
        {
            await Problemas.Validacion(await PostCrudo($"/api/v1/compromisos/{c}/calificaciones", $"{{\"calificacion\":{valor},\"fecha\":\"2009-12-31\"}}"), "calificacion");
        }

        await Problemas.AfirmarAsync(await Cliente.GetAsync("/api/v1/compromisos?calificacion=Aprobado"), HttpStatusCode.BadRequest);
        await Problemas.Validacion(await Cliente.GetAsync("/api/v1/compromisos?calificacion=99"), "calificacion");
        await Problemas.AfirmarAsync(await Cliente.GetAsync($"/api/v1/programas?estado=Cerrado&servicioId={p}"), HttpStatusCode.BadRequest);
        await Problemas.Validacion(await Cliente.GetAsync("/api/v1/programas?estado=5"), "estado");
        Assert.Empty((await Escenario.LeerAsync($"/api/v1/compromisos/{c}/calificaciones"))["items"]!.AsArray());
        Assert.Equal("Pendiente", (string?)(await Escenario.LeerAsync($"/api/v1/compromisos/{c}"))["calificacion"]);
    }

    [Theory]
    [InlineData(1996)]
    [InlineData(3000)]
    [InlineData(0)]
    public async Task Anio_de_evaluacion_fuera_de_rango(int anio)
    {
        var s = await Escenario.ServicioAsync();
        await Problemas.Validacion(await Cliente.PostAsJsonAsync("/api/v1/programas",
            new { nombre = "P", servicioId = s, anioEvaluacion = anio, lineaEvaluacion = "EPG" }), "anioEvaluacion");
    }

    [Fact]
    public async Task Linea_de_evaluacion_fuera_del_catalogo()
    {
        var s = await Escenario.ServicioAsync();
        await Problemas.Validacion(await Cliente.PostAsJsonAsync("/api/v1/programas",
            new { nombre = "P", servicioId = s, anioEvaluacion = 2007, lineaEvaluacion = "XYZ" }), "lineaEvaluacion");
    }

    [Fact]
    public async Task Fechas_invalidas()
    {
        var (_, _, c) = await Escenario.CompromisoPendienteAsync();
        await Problemas.Validacion(await PostCrudo($"/api/v1/compromisos/{c}/calificaciones", "{\"calificacion\":\"Cumplido\",\"fecha\":\"2009-02-30\"}"), "fecha");
        await Problemas.Validacion(await PostCrudo($"/api/v1/compromisos/{c}/calificaciones", "{\"calificacion\":\"Cumplido\",\"fecha\":\"1500-12-31\"}"), "fecha");
        await Problemas.Validacion(await Cliente.GetAsync("/api/v1/compromisos?alCorte=2013-13-01"), "alCorte");
        await Problemas.Validacion(await Cliente.GetAsync($"/api/v1/compromisos/{c}?alCorte=ayer"), "alCorte");
    }

    [Theory]
    [InlineData("limit=201", "limit")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=-5", "limit")]
    [InlineData("limit=abc", "limit")]
    [InlineData("cursor=basura", "cursor")]
    public async Task Parametros_de_pagina_invalidos(string consulta, string campo)
    {
        foreach (var ruta in new[] { "/api/v1/compromisos", "/api/v1/programas", "/api/v1/ministerios", "/api/v1/servicios" })
            await Problemas.Validacion(await Cliente.GetAsync($"{ruta}?{consulta}"), campo);
    }

    [Fact]
    public async Task Un_numero_donde_va_texto_y_viceversa()
    {
        await Problemas.Validacion(await PostCrudo("/api/v1/ministerios", "{\"nombre\": 12}"), "nombre");
        await Problemas.Validacion(await PostCrudo("/api/v1/servicios", "{\"nombre\": \"S\", \"ministerioId\": \"uno\"}"), "ministerioId");
    }

    [Fact]
    public async Task Varios_errores_se_informan_juntos()
    {
        var p = await Problemas.Validacion(await Cliente.PostAsJsonAsync("/api/v1/programas",
            new { nombre = "", servicioId = 0, anioEvaluacion = 1900, lineaEvaluacion = "" }), "nombre");
        Assert.Equal(["anioEvaluacion", "lineaEvaluacion", "nombre", "servicioId"], p["errors"]!.AsObject().Select(e => e.Key).Order());
    }

    [Fact]
    public async Task Campos_que_el_contrato_no_tiene_o_numeros_como_texto()
    {
        await Problemas.Validacion(await PostCrudo("/api/v1/ministerios", "{\"nombre\": \"M\", \"extra\": 1}"), "extra");
        var (_, _, c) = await Escenario.CompromisoPendienteAsync();
        await Problemas.Validacion(await PostCrudo($"/api/v1/compromisos/{c}/calificaciones",
            "{\"calificacion\":\"NoCumplido\",\"fecha\":\"2009-12-31\",\"observaciones\":\"typo\"}"), "observaciones");
        var m = await Escenario.CrearAsync("/api/v1/ministerios", new { nombre = "Ministerio del Interior" });
        await Problemas.Validacion(await PostCrudo("/api/v1/servicios", $"{{\"nombre\": \"S\", \"ministerioId\": \"{(int)m["id"]!}\"}}"), "ministerioId");
        // A member twice: the service does not pick one of the two values.
        await Problemas.Validacion(await PostCrudo($"/api/v1/compromisos/{c}/calificaciones",
            "{\"calificacion\":\"Cumplido\",\"fecha\":\"2009-12-31\",\"calificacion\":\"NoCumplido\"}"), "calificacion");
        Assert.Empty((await Escenario.LeerAsync($"/api/v1/compromisos/{c}/calificaciones"))["items"]!.AsArray());
    }

    [Fact]
    public async Task Textos_que_PostgreSQL_no_puede_guardar_o_demasiado_largos_son_400_no_503()
    {
        await Problemas.Validacion(await Cliente.PostAsJsonAsync("/api/v1/ministerios", new { nombre = "Ministerio\u0000 de Hacienda" }), "nombre");
        var s = await Escenario.ServicioAsync();
        await Problemas.Validacion(await Cliente.PostAsJsonAsync("/api/v1/programas",
            new { nombre = new string('語', 1000), servicioId = s, anioEvaluacion = 2007, lineaEvaluacion = "EPG" }), "nombre");
        // The longest name allowed (500 UTF-16 units, at most 1,500 bytes of UTF-8) fits the unique index.
        var p = await Escenario.ProgramaAsync(s, new string('語', 500));
        var r = await Escenario.RecomendacionAsync(p);
        var c = (int)(await Escenario.CompromisoAsync(r))["id"]!;
        await Problemas.Validacion(await Cliente.PostAsJsonAsync($"/api/v1/recomendaciones/{r}/compromisos",
            new { texto = new string('x', 20_001), fechaVencimiento = "2010-12" }), "texto");
        await Problemas.Validacion(await Cliente.PostAsJsonAsync($"/api/v1/compromisos/{c}/reportes",
            new { corte = "2010-12-31", texto = new string('x', 200_001) }), "texto");
    }

    [Fact]
    public async Task Una_calificacion_no_puede_fecharse_en_el_futuro()
    {
        var (_, _, c) = await Escenario.CompromisoPendienteAsync();
        var manana = DateTime.UtcNow.AddDays(3).ToString("yyyy-MM-dd");
        await Problemas.Validacion(await Escenario.CalificarAsync(c, "Cumplido", manana), "fecha");
        Assert.Equal("Pendiente", (string?)(await Escenario.LeerAsync($"/api/v1/compromisos/{c}"))["calificacion"]);
    }
}
