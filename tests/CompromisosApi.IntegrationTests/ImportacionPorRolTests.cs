using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using CompromisosApi.IntegrationTests.Infrastructure;
using Npgsql;

namespace CompromisosApi.IntegrationTests;

/// <summary>
/// The import obeys the role table of the single operations: the catalog is the administrador's, the record (and its
/// calificaciones and egreso) the analista's. A refused import writes nothing and says what was refused.
/// </summary>
public sealed class ImportacionPorRolTests(ApiFactory factory) : PruebaApi(factory)
{
    private const string Tipo = "urn:compromisos:importacion-no-autorizada";
    private static readonly string Fixture = Path.Combine(Repositorio.Raiz, "src/CompromisosApi/Features/Demo/redes-por-rubro-2007.importacion.json");

    private static JsonObject Documento() => JsonNode.Parse(File.ReadAllText(Fixture))!.AsObject();

    private static Task<HttpResponseMessage> Importar(HttpClient cliente, JsonNode doc) =>
        cliente.PostAsync("/api/v1/importaciones", new StringContent(doc.ToJsonString(), Encoding.UTF8, "application/json"));

    private static List<string> Rechazos(JsonObject problema) =>
        problema["rechazos"]!.AsArray().Select(r => $"{(string)r!["ruta"]!} {(string)r["operacion"]!} {(string)r["rol"]!}").ToList();

    /// <summary>Rows of the record and audit entries by this actor, straight from PostgreSQL.</summary>
    private async Task<(long Ministerios, long Servicios, long Programas, long Compromisos, long Calificaciones, long Eventos, long Auditoria)> ContarAsync(string actor)
    {
        await using var conexion = new NpgsqlConnection(Factory.ConnectionString);
        await conexion.OpenAsync();
        await using var comando = new NpgsqlCommand("""
            SELECT (SELECT count(*) FROM ministerios), (SELECT count(*) FROM servicios), (SELECT count(*) FROM programas),
                   (SELECT count(*) FROM compromisos), (SELECT count(*) FROM calificaciones), (SELECT count(*) FROM eventos),
                   (SELECT count(*) FROM auditoria WHERE actor_sujeto = @actor)
            """, conexion);
        comando.Parameters.AddWithValue("actor", actor);
        await using var lector = await comando.ExecuteReaderAsync();
        await lector.ReadAsync();
        return (lector.GetInt64(0), lector.GetInt64(1), lector.GetInt64(2), lector.GetInt64(3), lector.GetInt64(4), lector.GetInt64(5), lector.GetInt64(6));
    }

    private async Task<JsonObject> AfirmarRechazoAsync(HttpResponseMessage r, string? tipo = Tipo)
    {
        var problema = await Problemas.AfirmarAsync(r, HttpStatusCode.Forbidden, tipo);
        // The answer is what the contract declares for the operation's 403.
        var contrato = JsonNode.Parse(await Cliente.GetStringAsync("/swagger/v1/swagger.json"))!;
        var esquema = contrato["paths"]!["/api/v1/importaciones"]!["post"]!["responses"]!["403"]!["content"]!["application/problem+json"]!["schema"]!;
        Assert.Null(Esquemas.Validar(contrato, esquema, problema, "$"));
        return problema;
    }

    [Fact]
    public async Task Un_analista_no_crea_ministerio_ni_servicio_al_importar()
    {
        var actor = "analista-" + Guid.NewGuid().ToString("N")[..8];
        var analista = ClienteCon(actor, ["analista"]);

        var problema = await AfirmarRechazoAsync(await Importar(analista, Documento()));

        Assert.Equal(["ministerio CrearMinisterio administrador", "servicio CrearServicio administrador"], Rechazos(problema));
        Assert.Equal((0, 0, 0, 0, 0, 0, 0), await ContarAsync(actor));

        // With the ministerio there, only the servicio is refused.
        await new Escenario(ClienteCon("admin", ["administrador"])).CrearAsync("/api/v1/ministerios", new { nombre = "Ministerio de Agricultura" });
        problema = await AfirmarRechazoAsync(await Importar(analista, Documento()));
        Assert.Equal(["servicio CrearServicio administrador"], Rechazos(problema));
        Assert.Equal((1, 0, 0, 0, 0, 0, 0), await ContarAsync(actor));
    }

    [Fact]
    public async Task Un_administrador_no_califica_ni_egresa_al_importar()
    {
        var actor = "admin-" + Guid.NewGuid().ToString("N")[..8];
        var doc = Documento();

        var problema = await AfirmarRechazoAsync(await Importar(ClienteCon(actor, ["administrador"]), doc));

        var rechazos = Rechazos(problema);
        // The catalog is the administrador's: not refused. Each calificación (Cumplido, Cancelado) and the egreso are.
        Assert.DoesNotContain(rechazos, x => x.StartsWith("ministerio ") || x.StartsWith("servicio "));
        var calificaciones = doc["recomendaciones"]!.AsArray()
            .SelectMany((rec, i) => rec!["compromisos"]!.AsArray().SelectMany((c, j) => c!["calificaciones"]!.AsArray()
                .Select((_, k) => $"recomendaciones[{i}].compromisos[{j}].calificaciones[{k}] CalificarCompromiso analista")))
            .ToList();
        Assert.Equal(5, calificaciones.Count);
        Assert.Equal(calificaciones, rechazos.Where(x => x.Contains(" CalificarCompromiso ")));
        Assert.Equal("fechaEgreso EgresarPrograma analista", rechazos[^1]);
        Assert.Equal("programa CrearPrograma analista", rechazos[0]);
        Assert.All(rechazos, x => Assert.EndsWith(" analista", x));
        // Nothing written, not even the ministerio and servicio the administrador could have created.
        Assert.Equal((0, 0, 0, 0, 0, 0, 0), await ContarAsync(actor));
    }

    [Fact]
    public async Task Un_analista_importa_bajo_ministerio_y_servicio_existentes()
    {
        var servicio = await new Escenario(ClienteCon("admin", ["administrador"])).ServicioAsync("Ministerio de Agricultura", "Instituto de Desarrollo Agropecuario");
        var actor = "analista-" + Guid.NewGuid().ToString("N")[..8];

        var r = await Importar(ClienteCon(actor, ["analista"]), Documento());

        await Escenario.Esperar(r, HttpStatusCode.Created);
        Assert.Equal(servicio, (int)(await Escenario.LeerAsync(r.Headers.Location!.ToString()))["servicioId"]!);
        var (ministerios, servicios, programas, compromisos, calificaciones, _, auditoria) = await ContarAsync(actor);
        Assert.Equal((1, 1, 1, 5, 5, 1), (ministerios, servicios, programas, compromisos, calificaciones, auditoria));
    }

    [Fact]
    public async Task Un_token_con_ambos_roles_importa_el_registro_completo_con_su_catalogo()
    {
        var actor = "ambos-" + Guid.NewGuid().ToString("N")[..8];

        var r = await Importar(ClienteCon(actor, ["analista", "administrador"]), Documento());

        await Escenario.Esperar(r, HttpStatusCode.Created);
        var (ministerios, servicios, programas, compromisos, calificaciones, _, auditoria) = await ContarAsync(actor);
        Assert.Equal((1, 1, 1, 5, 5, 1), (ministerios, servicios, programas, compromisos, calificaciones, auditoria));

        // The same document again writes nothing, so either role gets its 200.
        foreach (var rol in new[] { "analista", "administrador" })
        {
            var otra = await Importar(ClienteCon(rol + "-" + actor, [rol]), Documento());
            await Escenario.Esperar(otra, HttpStatusCode.OK);
            Assert.False((bool)(await otra.Content.ReadFromJsonAsync<JsonObject>())!["creado"]!);
        }
    }

    [Fact]
    public async Task Un_token_de_servicio_no_importa()
    {
        var actor = "servicio-" + Guid.NewGuid().ToString("N")[..8];
        var servicio = await Escenario.ServicioAsync("Ministerio de Agricultura", "Instituto de Desarrollo Agropecuario");

        // Stopped by the endpoint's policy, before the document is read: the same 403 schema, without rechazos.
        var problema = await AfirmarRechazoAsync(await Importar(ClienteCon(actor, ["servicio"], servicio), Documento()), tipo: null);

        Assert.Null(problema["rechazos"]);
        Assert.Equal((1, 1, 0, 0, 0, 0, 0), await ContarAsync(actor));
    }
}
