using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using CompromisosApi.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit.Abstractions;

namespace CompromisosApi.IntegrationTests;

/// <summary>The Red de Interoperabilidad's headers: validated, echoed, the token's RUN winning, and each request traced.</summary>
public sealed class TrazasEncabezadosTests(ApiFactory factory) : PruebaDeTrazas(factory)
{
    [Fact]
    public async Task Una_lectura_con_los_encabezados_de_la_red_deja_su_traza_y_el_id_de_transaccion_vuelve()
    {
        var programa = await Escenario.ProgramaAsync();
        var id = NuevoId();
        const string traza = "4bf92f3577b34da6a3ce929d0e0e4736";
        var pedido = Pedido(HttpMethod.Get, $"/api/v1/programas/{programa}", new Dictionary<string, string>
        {
            [Organismo] = "13.01",
            [Run] = "12345678-5",
            [Procedimiento] = "SEGUIMIENTO-COMPROMISOS",
            [Transaccion] = id,
            ["traceparent"] = $"00-{traza}-00f067aa0ba902b7-01",
        });
        var r = await Cliente.SendAsync(pedido);
        await Escenario.Esperar(r, HttpStatusCode.OK);
        Assert.Equal(id, EcoDe(r));

        var fila = Assert.Single(await TrazasAsync(id));
        Assert.Equal("GET", fila["metodo"]);
        Assert.Equal("ObtenerPrograma", fila["operacion"]);
        Assert.Equal("/api/v1/programas/{id:int}", fila["ruta"]);
        Assert.Equal(programa.ToString(System.Globalization.CultureInfo.InvariantCulture), fila["recurso_id"]);
        Assert.Equal("13.01", fila["organismo_solicitante"]);
        Assert.Equal("12345678-5", fila["funcionario_run"]);
        Assert.Equal("SEGUIMIENTO-COMPROMISOS", fila["procedimiento"]);
        Assert.Equal(traza, fila["trace_id"]);
        Assert.Equal("ana", fila["sujeto"]);
        Assert.Equal((short)200, fila["status"]);
        Assert.Equal("exito", fila["resultado"]);
        Assert.Null(fila["tipo_problema"]);
        Assert.Equal("08.02", fila["proveedor"]);
        var ocurrida = (DateTime)fila["ocurrida_en"]!;
        Assert.InRange(ocurrida, DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddSeconds(1));
    }

    [Fact]
    public async Task Sin_id_de_transaccion_se_genera_uno_que_vuelve_tambien_en_un_error_y_lo_nombra_su_traza()
    {
        var r = await ClienteAnonimo().GetAsync("/api/v1/programas/987654");
        await Problemas.AfirmarAsync(r, HttpStatusCode.NotFound, "urn:compromisos:no-encontrado");
        var id = EcoDe(r);
        Assert.True(Guid.TryParse(id, out var guid) && guid.Version == 7, id);

        var fila = Assert.Single(await TrazasAsync(id));
        Assert.Equal((short)404, fila["status"]);
        Assert.Equal("error", fila["resultado"]);
        Assert.Equal("urn:compromisos:no-encontrado", fila["tipo_problema"]);
        Assert.Equal("987654", fila["recurso_id"]);
        Assert.Null(fila["sujeto"]);
        Assert.Null(fila["organismo_solicitante"]);

        // Two requests without one get two ids.
        var otra = await ClienteAnonimo().GetAsync("/api/v1/programas/987654");
        Assert.NotEqual(id, EcoDe(otra));
    }

    public static TheoryData<string, string> EncabezadosMalos() => new()
    {
        { Run, "12345678-4" },          // check digit wrong
        { Run, "12.345.678-5" },        // dots
        { Run, "123456789-5" },         // nine digits
        { Run, "12345678" },            // no check digit
        { Run, "abc" },
        { Organismo, new string('A', 51) },
        { Organismo, "13 01" },
        { Organismo, "13.01'; DROP TABLE trazas;--" },
        { Procedimiento, "trámite" },
        { Procedimiento, new string('P', 101) },
        { Transaccion, "id con espacios" },
        { Transaccion, new string('a', 101) },
        { Transaccion, "<script>" },
    };

    [Theory]
    [MemberData(nameof(EncabezadosMalos))]
    public async Task Un_encabezado_no_valido_es_400_que_lo_nombra_y_tambien_deja_traza(string encabezado, string valor)
    {
        var id = NuevoId();
        var encabezados = new Dictionary<string, string> { [encabezado] = valor };
        if (encabezado != Transaccion) encabezados[Transaccion] = id;
        var r = await Cliente.SendAsync(Pedido(HttpMethod.Get, "/api/v1/programas", encabezados));
        await Problemas.Validacion(r, encabezado);
        var eco = EcoDe(r);
        if (encabezado == Transaccion)
        {
            // Never echoed back as sent: a generated one instead.
            Assert.NotEqual(valor, eco);
            Assert.True(Guid.TryParse(eco, out _), eco);
        }
        else
        {
            Assert.Equal(id, eco);
        }

        var fila = Assert.Single(await TrazasAsync(eco));
        Assert.Equal((short)400, fila["status"]);
        Assert.Equal("urn:compromisos:entrada-invalida", fila["tipo_problema"]);
        // A value refused is not recorded either.
        Assert.DoesNotContain(valor, fila.Values.OfType<string>());
    }

    [Fact]
    public async Task Un_RUN_con_K_se_acepta_en_minuscula_y_se_guarda_en_mayuscula()
    {
        // 10000013-K: 3·2 + 1·3 + 0·4 + 0·5 + 0·6 + 0·7 + 0·2 + 1·3 = 12; 11 − 12 mod 11 = 10 → K.
        var id = NuevoId();
        var r = await Cliente.SendAsync(Pedido(HttpMethod.Get, "/api/v1/lineas-evaluacion", new Dictionary<string, string> { [Run] = "10000013-k", [Transaccion] = id }));
        await Escenario.Esperar(r, HttpStatusCode.OK);
        Assert.Equal("10000013-K", Assert.Single(await TrazasAsync(id))["funcionario_run"]);
        await Problemas.Validacion(await Cliente.SendAsync(Pedido(HttpMethod.Get, "/api/v1/lineas-evaluacion", new Dictionary<string, string> { [Run] = "10000013-0" })), Run);
    }

    [Fact]
    public async Task El_RUN_del_token_gana_al_del_encabezado_y_su_claim_se_configura()
    {
        var conRun = Factory.CreateClient().Autenticar(Tokens.Crear("funcionaria", ["analista"], otros: new Dictionary<string, string> { ["run"] = "11111111-1" }));
        var id = NuevoId();
        var r = await conRun.SendAsync(Pedido(HttpMethod.Get, "/api/v1/programas", new Dictionary<string, string> { [Run] = "12345678-5", [Transaccion] = id }));
        await Escenario.Esperar(r, HttpStatusCode.OK);
        var fila = Assert.Single(await TrazasAsync(id));
        Assert.Equal("11111111-1", fila["funcionario_run"]);
        Assert.Equal("funcionaria", fila["sujeto"]);

        // A claim that is no valid RUN: none recorded, the header does not stand in for the identity provider.
        var runMalo = Factory.CreateClient().Autenticar(Tokens.Crear("funcionaria", ["analista"], otros: new Dictionary<string, string> { ["run"] = "11111111-2" }));
        id = NuevoId();
        await Escenario.Esperar(await runMalo.SendAsync(Pedido(HttpMethod.Get, "/api/v1/programas", new Dictionary<string, string> { [Run] = "12345678-5", [Transaccion] = id })), HttpStatusCode.OK);
        Assert.Null(Assert.Single(await TrazasAsync(id))["funcionario_run"]);

        // Without the claim, the header's.
        id = NuevoId();
        await Escenario.Esperar(await Cliente.SendAsync(Pedido(HttpMethod.Get, "/api/v1/programas", new Dictionary<string, string> { [Run] = "12345678-5", [Transaccion] = id })), HttpStatusCode.OK);
        Assert.Equal("12345678-5", Assert.Single(await TrazasAsync(id))["funcionario_run"]);

        // Another claim name, and other header names, by configuration.
        await using var otra = Factory.WithWebHostBuilder(b =>
        {
            b.UseSetting("Interoperabilidad:ClaimRun", "rut");
            b.UseSetting("Interoperabilidad:Encabezados:TransaccionId", "X-Id-Red");
        });
        var conRut = otra.CreateClient().Autenticar(Tokens.Crear("otro", ["analista"], otros: new Dictionary<string, string> { ["rut"] = "10000013-K", ["run"] = "11111111-1" }));
        id = NuevoId();
        r = await conRut.SendAsync(Pedido(HttpMethod.Get, "/api/v1/programas", new Dictionary<string, string> { ["X-Id-Red"] = id }));
        await Escenario.Esperar(r, HttpStatusCode.OK);
        Assert.Equal(id, Assert.Single(r.Headers.GetValues("X-Id-Red")));
        Assert.False(r.Headers.Contains(Transaccion));
        Assert.Equal("10000013-K", Assert.Single(await TrazasAsync(id))["funcionario_run"]);
        // The committed contract is the default configuration's: this host's answers carry X-Id-Red instead of the
        // X-Transaccion-Id it documents, and that is all they lack.
        Assert.All(Factory.Contrato.Tomar(), v => Assert.Contains("X-Transaccion-Id", v, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Apagada_la_traza_los_encabezados_siguen_validandose_y_el_id_vuelve_pero_nada_se_escribe()
    {
        await using var sinTraza = Factory.WithWebHostBuilder(b => b.UseSetting("Interoperabilidad:Trazas:Habilitada", "false"));
        var c = sinTraza.CreateClient();
        var id = NuevoId();
        var r = await c.SendAsync(Pedido(HttpMethod.Get, "/api/v1/lineas-evaluacion", new Dictionary<string, string> { [Transaccion] = id }));
        await Escenario.Esperar(r, HttpStatusCode.OK);
        Assert.Equal(id, EcoDe(r));
        await Problemas.Validacion(await c.SendAsync(Pedido(HttpMethod.Get, "/api/v1/lineas-evaluacion", new Dictionary<string, string> { [Run] = "1-1" })), Run);
        // A trace of the main host, after it, is written: this one's would be by then.
        var testigo = NuevoId();
        await Cliente.SendAsync(Pedido(HttpMethod.Get, "/api/v1/lineas-evaluacion", new Dictionary<string, string> { [Transaccion] = testigo }));
        await TrazasAsync(testigo);
        Assert.Empty(await LeerAsync(Factory.ConnectionString, id));
    }
}
