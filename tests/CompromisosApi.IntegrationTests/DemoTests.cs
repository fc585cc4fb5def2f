using System.Text.Json.Nodes;
using CompromisosApi.Features.Demo;
using CompromisosApi.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CompromisosApi.IntegrationTests;

/// <summary>The demo loads the real Informe de Egreso through the handlers, and the API gives it back whole.</summary>
public sealed class DemoTests(ApiFactory factory) : PruebaApi(factory)
{
    private async Task<int> CargarAsync()
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DemoSeeder>().CargarAsync(CancellationToken.None);
    }

    [Fact]
    public async Task El_caso_Redes_por_Rubro_queda_como_en_el_informe()
    {
        var id = await CargarAsync();
        var semilla = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Repositorio.Raiz, "tests/CompromisosApi.IntegrationTests/Fixtures/redes-por-rubro-2007.json")))!;

        var programa = await Escenario.LeerAsync($"/api/v1/programas/{id}");
        Assert.Equal((string?)semilla["programa"], (string?)programa["nombre"]);
        Assert.Equal(2007, (int)programa["anioEvaluacion"]!);
        Assert.Equal("Egresado", (string?)programa["estado"]);
        Assert.Equal("2011-12-31", (string?)programa["fechaEgreso"]);
        var servicio = await Escenario.LeerAsync($"/api/v1/servicios/{(int)programa["servicioId"]!}");
        Assert.Equal("Instituto de Desarrollo Agropecuario", (string?)servicio["nombre"]);
        Assert.Equal("INDAP", (string?)servicio["sigla"]);
        Assert.Equal("Ministerio de Agricultura", (string?)(await Escenario.LeerAsync($"/api/v1/ministerios/{(int)servicio["ministerioId"]!}"))["nombre"]);

        var recomendaciones = (await Escenario.LeerAsync($"/api/v1/programas/{id}/recomendaciones"))["items"]!.AsArray();
        Assert.Equal(4, recomendaciones.Count);
        var compromisosVistos = 0;
        foreach (var (rec, esperada) in recomendaciones.Zip(semilla["recomendaciones"]!.AsArray()))
        {
            Assert.Equal((int)esperada!["numero"]!, (int)rec!["numero"]!);
            Assert.Equal((string?)esperada["texto"], (string?)rec["texto"]);
            var compromisos = (await Escenario.LeerAsync($"/api/v1/recomendaciones/{(int)rec["id"]!}/compromisos"))["items"]!.AsArray();
            Assert.Equal(esperada["compromisos"]!.AsArray().Count, compromisos.Count);
            foreach (var (comp, e) in compromisos.Zip(esperada["compromisos"]!.AsArray()))
            {
                compromisosVistos++;
                var cid = (int)comp!["id"]!;
                Assert.Equal((string?)e!["numero"], (string?)comp["numero"]);
                Assert.Equal((string?)e["texto"], (string?)comp["texto"]);
                Assert.Equal((string?)e["fechaVencimiento"], (string?)comp["fechaVencimiento"]);
                Assert.Equal((string?)e["calificacion"], (string?)comp["calificacion"]);
                Assert.Equal((string?)e["fechaCalificacion"], (string?)comp["fechaCalificacion"]);

                // The one in effect is the last registered: for 3.1, the demo's correction of its 2009 observación.
                var historial = (await Escenario.LeerAsync($"/api/v1/compromisos/{cid}/calificaciones"))["items"]!.AsArray();
                var calificacion = historial[^1]!;
                Assert.Equal((string?)e["observacion"], (string?)calificacion["observacion"]);
                Assert.Equal((string?)e["numero"] == DemoSeeder.CompromisoCorregido ? 2 : 1, historial.Count);
                Assert.Equal((string?)e["numero"] == DemoSeeder.CompromisoCorregido ? DemoSeeder.MotivoCorreccion : null, (string?)calificacion["motivoCorreccion"]);
                var reporte = (await Escenario.LeerAsync($"/api/v1/compromisos/{cid}/reportes"))["items"]!.AsArray().Single()!;
                Assert.Equal((string?)e["cumplimiento"], (string?)reporte["texto"]);
                var medios = (await Escenario.LeerAsync($"/api/v1/compromisos/{cid}/medios-verificacion"))["items"]!.AsArray();
                Assert.Equal(e["mediosVerificacion"]!.AsArray().Select(m => (string)m!), medios.Select(m => (string)m!["titulo"]!));
            }
        }

        Assert.Equal(5, compromisosVistos);
        var calificados = (await Escenario.LeerAsync($"/api/v1/compromisos?programaId={id}"))["items"]!.AsArray();
        Assert.Equal(4, calificados.Count(c => (string?)c!["calificacion"] == "Cumplido" && (string?)c["fechaCalificacion"] == "2009-12-31"));
        Assert.Single(calificados, c => (string?)c!["calificacion"] == "Cancelado" && (string?)c["fechaCalificacion"] == "2011-12-31");
    }

    [Fact]
    public async Task Si_el_programa_ya_existe_con_otro_registro_no_impide_partir_ni_lo_toca()
    {
        var servicio = await Escenario.ServicioAsync();
        var existente = await Escenario.ProgramaAsync(servicio, "Microemprendimiento MYPIME Programa de Desarrollo de Redes Pro Rubro", 2007);

        Assert.Equal(existente, await CargarAsync());
        Assert.Empty((await Escenario.LeerAsync($"/api/v1/programas/{existente}/recomendaciones"))["items"]!.AsArray());
    }

    [Fact]
    public async Task Cargarla_dos_veces_no_la_duplica()
    {
        var primera = await CargarAsync();
        var segunda = await CargarAsync();

        Assert.Equal(primera, segunda);
        Assert.Single((await Escenario.LeerAsync("/api/v1/programas"))["items"]!.AsArray());
        Assert.Single((await Escenario.LeerAsync("/api/v1/ministerios"))["items"]!.AsArray());
    }
}
