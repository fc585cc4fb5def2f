using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CompromisosApi.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Npgsql;

namespace CompromisosApi.IntegrationTests;

/// <summary>
/// The audit trail is read by analistas, and webhook subscriptions are administradores' business: their entries are
/// administradores' only, and what they record of the URL carries no credential, down to the stored row.
/// </summary>
public sealed class AuditoriaReservadaTests(ApiFactory factory) : PruebaApi(factory)
{
    [Fact]
    public async Task Las_entradas_de_suscripciones_no_guardan_credenciales_y_solo_las_leen_administradores()
    {
        // Allowed to the loopback address, as an internal receiver would be; nothing is delivered (no relay).
        await using var instancia = Factory.WithWebHostBuilder(b =>
        {
            b.UseSetting("Webhooks:Habilitado", "false");
            b.UseSetting("Webhooks:PermitirDestinos:0", "127.0.0.1");
        });
        var sufijo = Guid.NewGuid().ToString("N")[..8];
        var adminSub = "admin-" + sufijo;
        var admin = instancia.CreateClient().Autenticar(Tokens.Crear(adminSub, ["administrador"]));
        var analista = new Escenario(instancia.CreateClient().Autenticar(Tokens.Crear("analista-" + sufijo, ["analista"])));
        var token = "tk-" + Guid.NewGuid().ToString("N");

        // An ordinary administrador write, which analistas do read: the filter must be exactly the subscriptions.
        await new Escenario(admin).CrearAsync("/api/v1/ministerios", new { nombre = "Ministerio " + sufijo });
        var r = await admin.PostAsJsonAsync("/api/v1/suscripciones",
            new { url = $"http://127.0.0.1:9/hook?token={token}&cliente=dipres", tipos = new[] { "programa.creado" } });
        await Escenario.Esperar(r, HttpStatusCode.Created);
        var creada = (await r.Content.ReadFromJsonAsync<JsonObject>())!;
        var id = (int)creada["id"]!;
        var secreto = (string)creada["secreto"]!;
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/suscripciones/{id}")).StatusCode);

        // The administrador sees both entries, with the URL redacted before and after.
        var suyas = (await new Escenario(admin).LeerAsync($"/api/v1/auditoria?entidad=Suscripcion&entidadId={id}"))["items"]!.AsArray();
        Assert.Equal(["CrearSuscripcion", "EliminarSuscripcion"], suyas.Select(e => (string)e!["operacion"]!));
        const string Redactada = "http://127.0.0.1:9/hook?token=[redactado]&cliente=[redactado]";
        Assert.Equal(Redactada, (string?)suyas[0]!["despues"]!["url"]);
        Assert.Equal(Redactada, (string?)suyas[1]!["antes"]!["url"]);
        Assert.Equal(Redactada, (string?)suyas[1]!["despues"]!["url"]);
        Assert.DoesNotContain(token, suyas.ToJsonString());
        Assert.DoesNotContain("whsec_", suyas.ToJsonString());

        // An analista, by every filter the list has, never meets them; the administrador's other write stays visible.
        var primera = (long)suyas[0]!["id"]!;
        var desde = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(-5).ToString("O"));
        var cursor = CompromisosApi.Common.Paginacion.Codificar(primera - 1);
        foreach (var consulta in new[]
        {
            "limit=200",
            "entidad=Suscripcion&limit=200",
            $"entidad=Suscripcion&entidadId={id}",
            $"actor={adminSub}&limit=200",
            $"desde={desde}&actor={adminSub}",
            $"cursor={cursor}&limit=200",
            $"cursor={cursor}&limit=1&entidad=Suscripcion",
        })
        {
            var vistas = (await analista.LeerAsync($"/api/v1/auditoria?{consulta}"))["items"]!.AsArray();
            Assert.DoesNotContain(vistas, e => (string?)e!["entidad"] == "Suscripcion");
            Assert.DoesNotContain(token, vistas.ToJsonString());
        }

        var delAdmin = (await analista.LeerAsync($"/api/v1/auditoria?actor={adminSub}"))["items"]!.AsArray();
        Assert.Equal(["CrearMinisterio"], delAdmin.Select(e => (string)e!["operacion"]!));
        Assert.Equal(3, (await new Escenario(admin).LeerAsync($"/api/v1/auditoria?actor={adminSub}"))["items"]!.AsArray().Count);

        // The stored rows themselves: no token, no secret, not even its SHA-256 (which a short secret would not survive).
        await using var conexion = new NpgsqlConnection(Factory.ConnectionString);
        await conexion.OpenAsync();
        await using var comando = new NpgsqlCommand("SELECT string_agg(a::text, ' ') FROM auditoria a WHERE entidad = 'Suscripcion' AND entidad_id = @id", conexion);
        comando.Parameters.AddWithValue("id", id.ToString());
        var filas = (string)(await comando.ExecuteScalarAsync())!;
        Assert.Contains("token=[redactado]", filas);
        Assert.DoesNotContain(token, filas);
        Assert.DoesNotContain(secreto["whsec_".Length..], filas);
        Assert.DoesNotContain(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secreto))), filas);

        // Subscriptions emit no events, so the public feed can't carry the URL either.
        Assert.DoesNotContain(token, await ClienteAnonimo().GetStringAsync("/api/v1/eventos?limit=200"));
    }
}
