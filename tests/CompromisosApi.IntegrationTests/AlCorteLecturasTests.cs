using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using CompromisosApi.Domain;
using CompromisosApi.Features.Demo;
using CompromisosApi.IntegrationTests.Infrastructure;
using CsCheck;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace CompromisosApi.IntegrationTests;

/// <summary>
/// alCorte means one thing everywhere: the record as it stood at the cut-off. The Informe is the reference; every other
/// read that takes a cut-off must tell its story.
/// </summary>
public sealed class AlCorteLecturasTests(ApiFactory factory) : PruebaApi(factory)
{
    private async Task<int> DemoAsync()
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DemoSeeder>().CargarAsync(CancellationToken.None);
    }

    private async Task<List<int>> IdsAsync(string ruta) =>
        (await Escenario.LeerAsync(ruta))["items"]!.AsArray().Select(c => (int)c!["id"]!).ToList();

    /// <summary>The table of issue 13: the seed's record (the demo import) read as of 31-12-2009, and as of 31-12-2011.</summary>
    [Fact]
    public async Task El_registro_de_la_semilla_al_31_12_2009_es_el_del_informe_en_cada_lectura()
    {
        var p = await DemoAsync();
        var compromisos = (await Escenario.LeerAsync($"/api/v1/compromisos?programaId={p}"))["items"]!.AsArray();
        var c12 = (int)compromisos.Single(c => (string?)c!["numero"] == "1.2")!["id"]!;
        var servicio = (int)(await Escenario.LeerAsync($"/api/v1/programas/{p}"))["servicioId"]!;

        var informe = await Escenario.LeerAsync($"/api/v1/programas/{p}/informe?alCorte=2009-12-31");
        Assert.Equal("En Seguimiento", (string?)informe["calificacion"]);
        var enInforme = informe["recomendaciones"]![0]!["compromisos"]![1]!;
        Assert.Equal("1.2", (string?)enInforme["numero"]);
        Assert.Equal("Pendiente", (string?)enInforme["calificacion"]);

        var uno = await Escenario.LeerAsync($"/api/v1/compromisos/{c12}?alCorte=2009-12-31");
        Assert.Equal("Pendiente", (string?)uno["calificacion"]);
        Assert.Null((string?)uno["fechaCalificacion"]);
        Assert.True((bool)uno["vencido"]!);

        Assert.Equal([c12], await IdsAsync("/api/v1/compromisos?vencidos=true&alCorte=2009-12-31"));
        Assert.Equal([c12], await IdsAsync("/api/v1/compromisos?calificacion=Pendiente&alCorte=2009-12-31"));
        Assert.Empty(await IdsAsync("/api/v1/compromisos?calificacion=Cancelado&alCorte=2009-12-31"));
        Assert.Equal([c12], await IdsAsync($"/api/v1/servicios/{servicio}/pendientes?corte=2009-12-31"));

        var grupo = (await Escenario.LeerAsync("/api/v1/estadisticas/cumplimiento?alCorte=2009-12-31"))["grupos"]!.AsArray().Single()!;
        Assert.Equal(80.0m, (decimal)grupo["porcentajeCumplimiento"]!);
        Assert.Equal(1, (int)grupo["vencidos"]!);
        Assert.Equal(0, (int)grupo["porCalificacion"]!["cancelado"]!);
        Assert.Equal(1, (int)grupo["porCalificacion"]!["pendiente"]!);
        Assert.Equal(1, (int)grupo["programasEnSeguimiento"]!);
        Assert.Equal(0, (int)grupo["programasEgresados"]!);

        var programa = await Escenario.LeerAsync($"/api/v1/programas/{p}?alCorte=2009-12-31");
        Assert.Equal("EnSeguimiento", (string?)programa["estado"]);
        Assert.Null((string?)programa["fechaEgreso"]);
        Assert.Null(programa["egresoPropuesto"]);
        Assert.Equal([p], await IdsAsync("/api/v1/programas?estado=EnSeguimiento&alCorte=2009-12-31"));
        Assert.Empty(await IdsAsync("/api/v1/programas?estado=Egresado&alCorte=2009-12-31"));

        var csv = await Cliente.GetStringAsync("/api/v1/compromisos?formato=csv&alCorte=2009-12-31");
        var fila = csv.Split("\r\n").Single(l => l.Contains(",1.2,", StringComparison.Ordinal));
        Assert.EndsWith(",2009-12,Pendiente,,true,,false", fila, StringComparison.Ordinal);

        // At the egreso's cut-off the same reads show the record as it is today.
        Assert.Equal("Cancelado", (string?)(await Escenario.LeerAsync($"/api/v1/compromisos/{c12}?alCorte=2011-12-31"))["calificacion"]);
        Assert.Empty(await IdsAsync("/api/v1/compromisos?vencidos=true&alCorte=2011-12-31"));
        Assert.Empty(await IdsAsync($"/api/v1/servicios/{servicio}/pendientes?corte=2011-12-31"));
        var fin = (await Escenario.LeerAsync("/api/v1/estadisticas/cumplimiento?alCorte=2011-12-31"))["grupos"]!.AsArray().Single()!;
        Assert.Equal(100.0m, (decimal)fin["porcentajeCumplimiento"]!);
        Assert.Equal(1, (int)fin["programasEgresados"]!);
        Assert.Equal("Egresado", (string?)(await Escenario.LeerAsync($"/api/v1/programas/{p}?alCorte=2011-12-31"))["estado"]);

        foreach (var d in new[] { "2009-06-30", "2009-12-31", "2010-06-30", "2011-12-31", "2012-06-30" })
            await Relato.AfirmarAsync(Escenario, Cliente, p, servicio, DateOnly.Parse(d, CultureInfo.InvariantCulture), Relato.ReportesDe(compromisos, c12));
    }

    /// <summary>
    /// A correction replaces what was registered before it, from its own date on, even when dated earlier than the
    /// calificación it replaces; a reapertura undoes the egreso at every cut-off, and a new egreso is dated again.
    /// </summary>
    [Fact]
    public async Task Correcciones_y_reaperturas_antes_y_despues()
    {
        var admin = ClienteCon("admin-alcorte", ["administrador"]);
        var servicio = await Escenario.ServicioAsync();
        var p = await Escenario.ProgramaAsync(servicio);
        var r = await Escenario.RecomendacionAsync(p);
        var a = (int)(await Escenario.CompromisoAsync(r, "2009-12"))["id"]!;
        var b = (int)(await Escenario.CompromisoAsync(r, "2010-12"))["id"]!;
        await Escenario.CalificarOkAsync(a, "Cumplido", "2009-12-31");
        await Escenario.CalificarOkAsync(b, "NoCumplido", "2010-12-31");
        await Escenario.CalificarOkAsync(b, "Cancelado", "2011-12-31", "Se descontinuó.");
        await Escenario.Esperar(await Cliente.PostAsJsonAsync($"/api/v1/programas/{p}/egreso", new { }), HttpStatusCode.OK);

        async Task<(string Calificacion, bool Vencido)> BAsync(string d)
        {
            var x = await Escenario.LeerAsync($"/api/v1/compromisos/{b}?alCorte={d}");
            return ((string)x["calificacion"]!, (bool)x["vencido"]!);
        }

        async Task<string> EstadoAsync(string d) => (string)(await Escenario.LeerAsync($"/api/v1/programas/{p}?alCorte={d}"))["estado"]!;

        Assert.Equal(("Pendiente", false), await BAsync("2010-06-30"));
        Assert.Equal(("NoCumplido", true), await BAsync("2010-12-31"));
        Assert.Equal(("Cancelado", false), await BAsync("2011-12-31"));
        Assert.Equal("EnSeguimiento", await EstadoAsync("2011-06-30"));
        Assert.Equal("Egresado", await EstadoAsync("2011-12-31"));
        await AfirmarAsync("2011-12-31");

        await Escenario.Esperar(await admin.PostAsJsonAsync($"/api/v1/programas/{p}/reapertura", new { motivo = "Oficio 7: B se canceló por error." }), HttpStatusCode.OK);
        Assert.Equal("EnSeguimiento", await EstadoAsync("2011-12-31"));
        Assert.Equal("EnSeguimiento", await EstadoAsync("2099-12-31"));
        Assert.Equal("En Seguimiento", (string?)(await Escenario.LeerAsync($"/api/v1/programas/{p}/informe?alCorte=2011-12-31"))["calificacion"]);
        Assert.Equal(("Cancelado", false), await BAsync("2011-12-31"));

        // Dated 31-12-2010, before the Cancelado it replaces: as of 2011 and later it is Cumplido, as today.
        await Escenario.Esperar(await admin.PostAsJsonAsync($"/api/v1/compromisos/{b}/correcciones",
            new { calificacion = "Cumplido", fecha = "2010-12-31", motivo = "El servicio acreditó el cumplimiento en 2010." }), HttpStatusCode.Created);
        Assert.Equal(("Pendiente", false), await BAsync("2010-06-30"));
        Assert.Equal(("Cumplido", false), await BAsync("2010-12-31"));
        Assert.Equal(("Cumplido", false), await BAsync("2011-12-31"));
        Assert.Equal("Cumplido", (string?)(await Escenario.LeerAsync($"/api/v1/compromisos/{b}"))["calificacion"]);
        await AfirmarAsync("2010-12-31");
        await AfirmarAsync("2011-12-31");

        // The egreso again takes the latest calificación's date, now 31-12-2010.
        await Escenario.Esperar(await Cliente.PostAsJsonAsync($"/api/v1/programas/{p}/egreso", new { }), HttpStatusCode.OK);
        Assert.Equal("EnSeguimiento", await EstadoAsync("2010-06-30"));
        Assert.Equal("Egresado", await EstadoAsync("2010-12-31"));
        foreach (var d in new[] { "2009-12-31", "2010-06-30", "2010-12-31", "2011-06-30", "2011-12-31" }) await AfirmarAsync(d);

        Task AfirmarAsync(string d) => Relato.AfirmarAsync(Escenario, Cliente, p, servicio, DateOnly.Parse(d, CultureInfo.InvariantCulture), []);
    }
}
