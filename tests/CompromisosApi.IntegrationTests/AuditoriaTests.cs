using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CompromisosApi.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CompromisosApi.IntegrationTests;

public sealed class AuditoriaTests(ApiFactory factory) : PruebaApi(factory)
{
    private async Task<JsonArray> EntradasDe(string actor) =>
        (await Escenario.LeerAsync($"/api/v1/auditoria?actor={actor}&limit=200"))["items"]!.AsArray();

    [Fact]
    public async Task El_DbContext_vuelve_al_pool_sin_los_cambios_de_su_unidad_de_trabajo()
    {
        // DbContexts are pooled and carry the unit of work's changes for the audit trail and the outbox: a context
        // that went back to the pool must not hand them (or the memory they hold) to the next request.
        List<CompromisosApi.Persistence.CambioRegistrado> cambios;
        await using (var alcance = Factory.Services.CreateAsyncScope())
        {
            var db = alcance.ServiceProvider.GetRequiredService<CompromisosApi.Persistence.CompromisosDbContext>();
            cambios = db.Cambios;
            await alcance.ServiceProvider.GetRequiredService<Mediator.IMediator>()
                .Send(new CompromisosApi.Features.Catalogo.CrearMinisterio("Ministerio del pool " + Guid.NewGuid().ToString("N")[..8]));
        }

        Assert.Empty(cambios);

        // A save outside a command (background jobs) starts the list afresh rather than piling up.
        await using (var alcance = Factory.Services.CreateAsyncScope())
        {
            var db = alcance.ServiceProvider.GetRequiredService<CompromisosApi.Persistence.CompromisosDbContext>();
            db.Ministerios.Add(new CompromisosApi.Domain.Ministerio("Uno " + Guid.NewGuid().ToString("N")[..8]));
            await db.SaveChangesAsync();
            db.Ministerios.Add(new CompromisosApi.Domain.Ministerio("Dos " + Guid.NewGuid().ToString("N")[..8]));
            await db.SaveChangesAsync();
            Assert.Single(db.Cambios);
        }
    }

    [Fact]
    public async Task Cada_escritura_exitosa_deja_exactamente_una_entrada_y_las_fallidas_ninguna()
    {
        var actor = "auditado-" + Guid.NewGuid().ToString("N")[..8];
        var cliente = ClienteCon(actor, ["analista", "administrador"]);
        var escenario = new Escenario(cliente);
        var esperadas = new List<(string Operacion, string Entidad)>();
        var vistas = 0;

        async Task Paso(Func<Task<HttpResponseMessage>> escritura, string? operacion, string? entidad)
        {
            var r = await escritura();
            var entradas = await EntradasDe(actor);
            if (operacion is null)
            {
                Assert.True((int)r.StatusCode >= 400, $"Se esperaba una falla y llegó {(int)r.StatusCode}");
                Assert.Equal(vistas, entradas.Count);
                return;
            }

            Assert.True(r.IsSuccessStatusCode, $"{operacion}: {(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}");
            Assert.Equal(++vistas, entradas.Count);
            var ultima = entradas[^1]!;
            Assert.Equal(operacion, (string?)ultima["operacion"]);
            Assert.Equal(entidad, (string?)ultima["entidad"]);
            Assert.Equal(actor, (string?)ultima["actorSujeto"]);
            Assert.Contains("analista", ultima["actorRoles"]!.AsArray().Select(x => (string)x!));
            Assert.NotNull(ultima["despues"]);
            Assert.False(string.IsNullOrEmpty((string?)ultima["requestId"]));
            esperadas.Add((operacion, entidad!));
        }

        JsonObject? m = null, s = null, p = null, rec = null, c = null;
        await Paso(async () => { var r = await cliente.PostAsJsonAsync("/api/v1/ministerios", new { nombre = "Ministerio de Auditoría" }); m = await r.Content.ReadFromJsonAsync<JsonObject>(); return r; }, "CrearMinisterio", "Ministerio");
        await Paso(() => cliente.PostAsJsonAsync("/api/v1/ministerios", new { nombre = "Ministerio de Auditoría" }), null, null);
        var (_, etagM) = await escenario.LeerConEtagAsync($"/api/v1/ministerios/{(int)m!["id"]!}");
        await Paso(() => cliente.SendAsync(Escenario.Put($"/api/v1/ministerios/{(int)m["id"]!}", new { nombre = "Ministerio de Auditoría y Control" }, etagM)), "ActualizarMinisterio", "Ministerio");
        await Paso(async () => { var r = await cliente.PostAsJsonAsync("/api/v1/servicios", new { nombre = "Servicio Auditado", ministerioId = (int)m["id"]! }); s = await r.Content.ReadFromJsonAsync<JsonObject>(); return r; }, "CrearServicio", "Servicio");
        var (_, etagS) = await escenario.LeerConEtagAsync($"/api/v1/servicios/{(int)s!["id"]!}");
        await Paso(() => cliente.SendAsync(Escenario.Put($"/api/v1/servicios/{(int)s["id"]!}", new { nombre = "Servicio Auditado", sigla = "SA", ministerioId = (int)m["id"]! }, etagS)), "ActualizarServicio", "Servicio");
        await Paso(async () => { var r = await cliente.PostAsJsonAsync("/api/v1/programas", new { nombre = "Programa Auditado", servicioId = (int)s["id"]!, anioEvaluacion = 2010, lineaEvaluacion = "EPG" }); p = await r.Content.ReadFromJsonAsync<JsonObject>(); return r; }, "CrearPrograma", "Programa");
        var pid = (int)p!["id"]!;
        var (_, etagP) = await escenario.LeerConEtagAsync($"/api/v1/programas/{pid}");
        await Paso(() => cliente.SendAsync(Escenario.Put($"/api/v1/programas/{pid}", new { nombre = "Programa Auditado", servicioId = (int)s["id"]!, anioEvaluacion = 2011, lineaEvaluacion = "EPG" }, etagP)), "ActualizarPrograma", "Programa");
        await Paso(async () => { var r = await cliente.PostAsJsonAsync($"/api/v1/programas/{pid}/recomendaciones", new { texto = "Recomendación" }); rec = await r.Content.ReadFromJsonAsync<JsonObject>(); return r; }, "CrearRecomendacion", "Recomendacion");
        var (_, etagR) = await escenario.LeerConEtagAsync($"/api/v1/recomendaciones/{(int)rec!["id"]!}");
        await Paso(() => cliente.SendAsync(Escenario.Put($"/api/v1/recomendaciones/{(int)rec["id"]!}", new { texto = "Recomendación corregida" }, etagR)), "ActualizarRecomendacion", "Recomendacion");
        await Paso(async () => { var r = await cliente.PostAsJsonAsync($"/api/v1/recomendaciones/{(int)rec["id"]!}/compromisos", new { texto = "Compromiso", fechaVencimiento = "2010-12" }); c = await r.Content.ReadFromJsonAsync<JsonObject>(); return r; }, "CrearCompromiso", "Compromiso");
        var cid = (int)c!["id"]!;
        var (_, etagC) = await escenario.LeerConEtagAsync($"/api/v1/compromisos/{cid}");
        await Paso(() => cliente.SendAsync(Escenario.Put($"/api/v1/compromisos/{cid}", new { texto = "Compromiso corregido", fechaVencimiento = "2010-12" }, etagC)), "ActualizarCompromiso", "Compromiso");
        await Paso(() => cliente.SendAsync(Escenario.Put($"/api/v1/compromisos/{cid}", new { texto = "Otra vez", fechaVencimiento = "2010-12" }, etagC)), null, null);
        await Paso(() => cliente.PostAsJsonAsync($"/api/v1/compromisos/{cid}/reportes", new { corte = "2011-12-31", texto = "Cumplido." }), "RegistrarReporte", "ReporteCumplimiento");
        await Paso(() => cliente.PostAsJsonAsync($"/api/v1/compromisos/{cid}/medios-verificacion", new { corte = "2011-12-31", titulo = "Acta" }), "RegistrarMedioVerificacion", "MedioVerificacion");
        await Paso(() => escenario.CalificarAsync(cid, "Pendiente", "2010-12-31"), null, null);
        await Paso(() => escenario.CalificarAsync(cid, "Cumplido", "2010-12-31"), "CalificarCompromiso", "Compromiso");
        await Paso(() => cliente.PostAsJsonAsync($"/api/v1/programas/{pid}/egreso", new { }), "EgresarPrograma", "Programa");
        await Paso(() => cliente.PostAsJsonAsync($"/api/v1/programas/{pid}/recomendaciones", new { texto = "Tarde" }), null, null);

        var entradas = await EntradasDe(actor);
        Assert.Equal(esperadas.Select(e => e.Operacion), entradas.Select(e => (string)e!["operacion"]!));

        // Before and after of the principal entity: the calificación moved the compromiso from Pendiente to Cumplido.
        var calificacion = entradas.Single(e => (string?)e!["operacion"] == "CalificarCompromiso")!;
        Assert.Equal(cid.ToString(), (string?)calificacion["entidadId"]);
        Assert.Equal("Pendiente", (string?)calificacion["antes"]!["calificacion"]);
        Assert.Equal("Cumplido", (string?)calificacion["despues"]!["calificacion"]);
        Assert.Equal("RegistroCalificacion", (string?)calificacion["otrosCambios"]![0]!["entidad"]);
        var egreso = entradas.Single(e => (string?)e!["operacion"] == "EgresarPrograma")!;
        Assert.Equal("EnSeguimiento", (string?)egreso["antes"]!["estado"]);
        Assert.Equal("Egresado", (string?)egreso["despues"]!["estado"]);
        Assert.Null(entradas[0]!["antes"]);
    }

    [Fact]
    public async Task Calificaciones_reportes_y_medios_muestran_quien_los_registro()
    {
        var (_, _, c) = await Escenario.CompromisoPendienteAsync();
        var programa = (await Escenario.LeerAsync($"/api/v1/compromisos/{c}"))["programaId"]!;
        var servicioId = (int)(await Escenario.LeerAsync($"/api/v1/programas/{programa}"))["servicioId"]!;
        var staff = ClienteCon("encargado-indap", ["servicio"], servicioId);
        await Escenario.Esperar(await staff.PostAsJsonAsync($"/api/v1/compromisos/{c}/reportes", new { corte = "2010-12-31", texto = "Avance" }), HttpStatusCode.Created);
        await Escenario.Esperar(await staff.PostAsJsonAsync($"/api/v1/compromisos/{c}/medios-verificacion", new { corte = "2010-12-31", titulo = "Acta" }), HttpStatusCode.Created);
        await Escenario.CalificarOkAsync(c, "Cumplido", "2010-12-31");

        Assert.Equal("encargado-indap", (string?)(await Escenario.LeerAsync($"/api/v1/compromisos/{c}/reportes"))["items"]![0]!["registradoPor"]);
        Assert.Equal("encargado-indap", (string?)(await Escenario.LeerAsync($"/api/v1/compromisos/{c}/medios-verificacion"))["items"]![0]!["registradoPor"]);
        Assert.Equal("ana", (string?)(await Escenario.LeerAsync($"/api/v1/compromisos/{c}/calificaciones"))["items"]![0]!["registradaPor"]);
    }

    [Theory]
    [InlineData("UPDATE auditoria SET operacion = 'nada'")]
    [InlineData("DELETE FROM auditoria")]
    [InlineData("TRUNCATE auditoria")]
    public async Task La_bitacora_no_se_puede_modificar_ni_borrar_ni_con_el_rol_del_servicio(string sql)
    {
        await Escenario.CrearAsync("/api/v1/ministerios", new { nombre = "Ministerio de Prueba" });
        await using var conexion = new NpgsqlConnection(Factory.ConnectionString);
        await conexion.OpenAsync();
        var antes = await Contar(conexion);

        var error = await Assert.ThrowsAsync<PostgresException>(async () =>
        {
            await using var comando = new NpgsqlCommand(sql, conexion);
            await comando.ExecuteNonQueryAsync();
        });

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
        Assert.Equal(antes, await Contar(conexion));
    }

    private static async Task<long> Contar(NpgsqlConnection conexion)
    {
        await using var comando = new NpgsqlCommand("SELECT count(*) FROM auditoria", conexion);
        return (long)(await comando.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task Solo_analistas_y_administradores_leen_la_bitacora()
    {
        await Problemas.AfirmarAsync(await ClienteAnonimo().GetAsync("/api/v1/auditoria"), HttpStatusCode.Unauthorized);
        await Problemas.AfirmarAsync(await ClienteCon("s", ["servicio"], 1).GetAsync("/api/v1/auditoria"), HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, (await ClienteCon("a", ["administrador"]).GetAsync("/api/v1/auditoria?limit=1")).StatusCode);
    }

    /// <summary>
    /// desde and hasta are RFC 3339 instants with any offset: the same instant written at -03:00, +14:00 or -12:00, with
    /// or without fractional seconds, selects the same entries as in UTC; an instant that no UTC time can hold is a
    /// 400, never a 500.
    /// </summary>
    [Fact]
    public async Task desde_y_hasta_aceptan_cualquier_desfase_y_comparan_en_UTC()
    {
        // The audit trail outlives the tests' resets: a subject of this test alone.
        var actor = $"reloj-{Guid.NewGuid():N}";
        await Escenario.Esperar(await ClienteCon(actor, ["administrador"]).PostAsJsonAsync("/api/v1/ministerios", new { nombre = "Ministerio con hora" }), HttpStatusCode.Created);
        var entrada = (await EntradasDe(actor)).Single()!;
        var instante = DateTimeOffset.Parse((string)entrada["ocurridaEn"]!, System.Globalization.CultureInfo.InvariantCulture);
        string En(DateTimeOffset t, int horas, int minutos = 0) =>
            Uri.EscapeDataString(t.ToOffset(new TimeSpan(horas, minutos, 0)).ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", System.Globalization.CultureInfo.InvariantCulture));

        async Task<int> Cuantas(string consulta) =>
            (await Escenario.LeerAsync($"/api/v1/auditoria?actor={actor}&{consulta}"))["items"]!.AsArray().Count;

        foreach (var (h, m) in new[] { (-3, 0), (14, 0), (-12, 0), (5, 45), (-9, -30), (0, 0) })
        {
            Assert.Equal(1, await Cuantas($"desde={En(instante, h, m)}&hasta={En(instante, h, m)}"));
            Assert.Equal(0, await Cuantas($"desde={En(instante.AddTicks(10), h, m)}"));
            Assert.Equal(0, await Cuantas($"hasta={En(instante.AddTicks(-10), h, m)}"));
        }

        Assert.Equal(HttpStatusCode.OK, (await Cliente.GetAsync("/api/v1/auditoria?desde=2026-01-01T00:00:00-03:00")).StatusCode);
        foreach (var extremo in new[] { "9999-12-31T23:59:59.9999999-12:00", "0001-01-01T00:00:00%2B14:00", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z" })
        {
            var r = await Cliente.GetAsync($"/api/v1/auditoria?desde={extremo}&hasta={extremo}");
            Assert.True(r.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"{extremo}: {(int)r.StatusCode}");
            if (r.StatusCode == HttpStatusCode.BadRequest) await Problemas.AfirmarAsync(r, HttpStatusCode.BadRequest);
        }

        // PostgreSQL text can't hold NUL: a filter with one is bad input, not a database error.
        foreach (var filtro in new[] { "actor", "entidad", "entidadId" })
            await Problemas.Validacion(await Cliente.GetAsync($"/api/v1/auditoria?{filtro}=a%00b"), filtro);
    }
}
