using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CompromisosApi.IntegrationTests.Infrastructure;

namespace CompromisosApi.IntegrationTests;

/// <summary>After egreso the record is closed: later changes are an administrator's corrections, with a reason, audited.</summary>
public sealed class CorreccionesTests(ApiFactory factory) : PruebaApi(factory)
{
    private async Task<(int Programa, int Compromiso)> EgresadoAsync()
    {
        var (p, _, c) = await Escenario.CompromisoPendienteAsync();
        await Escenario.CalificarOkAsync(c, "Cancelado", "2011-12-31", "Se descontinuó el programa.");
        await Escenario.Esperar(await Cliente.PostAsJsonAsync($"/api/v1/programas/{p}/egreso", new { }), HttpStatusCode.OK);
        return (p, c);
    }

    [Fact]
    public async Task Un_administrador_reabre_corrige_y_el_programa_vuelve_a_egresar_todo_auditado()
    {
        var (p, c) = await EgresadoAsync();
        var admin = ClienteCon("admin-1", ["administrador"]);

        // A closed record can't be corrected in place: reopen first.
        await Problemas.Regla(await admin.PostAsJsonAsync($"/api/v1/compromisos/{c}/correcciones",
            new { calificacion = "Cumplido", fecha = "2011-12-31", motivo = "Error de registro" }), "programa-egresado");

        var reapertura = await admin.PostAsJsonAsync($"/api/v1/programas/{p}/reapertura", new { motivo = "Oficio 123: la calificación de 1.1 fue un error." });
        await Escenario.Esperar(reapertura, HttpStatusCode.OK);
        var programa = await Escenario.LeerAsync($"/api/v1/programas/{p}");
        Assert.Equal("EnSeguimiento", (string?)programa["estado"]);
        Assert.Null((string?)programa["fechaEgreso"]);

        var correccion = await admin.PostAsJsonAsync($"/api/v1/compromisos/{c}/correcciones",
            new { calificacion = "Cumplido", fecha = "2011-12-31", observacion = "Cumplió.", motivo = "El servicio acreditó el cumplimiento." });
        await Escenario.Esperar(correccion, HttpStatusCode.Created);

        var historial = (await Escenario.LeerAsync($"/api/v1/compromisos/{c}/calificaciones"))["items"]!.AsArray();
        Assert.Equal(["Cancelado", "Cumplido"], historial.Select(h => (string)h!["calificacion"]!));
        Assert.Null((string?)historial[0]!["motivoCorreccion"]);
        Assert.Equal("El servicio acreditó el cumplimiento.", (string?)historial[1]!["motivoCorreccion"]);
        Assert.Equal("admin-1", (string?)historial[1]!["registradaPor"]);
        Assert.Equal("Cumplido", (string?)(await Escenario.LeerAsync($"/api/v1/compromisos/{c}"))["calificacion"]);

        await Escenario.Esperar(await Cliente.PostAsJsonAsync($"/api/v1/programas/{p}/egreso", new { }), HttpStatusCode.OK);

        var auditoria = (await Escenario.LeerAsync("/api/v1/auditoria?actor=admin-1"))["items"]!.AsArray();
        Assert.Equal(["ReabrirPrograma", "CorregirCalificacion"], auditoria.Select(a => (string)a!["operacion"]!));
        Assert.Equal("Oficio 123: la calificación de 1.1 fue un error.", (string?)auditoria[0]!["motivo"]);
        Assert.Equal("Egresado", (string?)auditoria[0]!["antes"]!["estado"]);
        Assert.Equal("Cancelado", (string?)auditoria[1]!["antes"]!["calificacion"]);
        Assert.Equal("Cumplido", (string?)auditoria[1]!["despues"]!["calificacion"]);
    }

    [Fact]
    public async Task Sin_motivo_o_hacia_Pendiente_o_sin_egreso_se_rechaza()
    {
        var (p, c) = await EgresadoAsync();
        var admin = ClienteCon("admin-2", ["administrador"]);

        await Problemas.Validacion(await admin.PostAsJsonAsync($"/api/v1/programas/{p}/reapertura", new { motivo = " " }), "motivo");
        await Escenario.Esperar(await admin.PostAsJsonAsync($"/api/v1/programas/{p}/reapertura", new { motivo = "Corrección" }), HttpStatusCode.OK);
        await Problemas.Regla(await admin.PostAsJsonAsync($"/api/v1/programas/{p}/reapertura", new { motivo = "Otra vez" }), "programa-no-egresado");
        await Problemas.Validacion(await admin.PostAsJsonAsync($"/api/v1/compromisos/{c}/correcciones",
            new { calificacion = "Cumplido", fecha = "2011-12-31", motivo = "" }), "motivo");
        await Problemas.Regla(await admin.PostAsJsonAsync($"/api/v1/compromisos/{c}/correcciones",
            new { calificacion = "Pendiente", fecha = "2011-12-31", motivo = "Volver atrás" }), "sin-retorno-a-pendiente");
        Assert.Single((await Escenario.LeerAsync($"/api/v1/compromisos/{c}/calificaciones"))["items"]!.AsArray());
    }
}
