using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CompromisosApi.Features.Demo;
using CompromisosApi.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CompromisosApi.IntegrationTests;

/// <summary>
/// conocidoAl: the record as it had been registered at an instant. What a read said then, it says again when asked
/// as known then, whatever was corrected, reopened or added afterwards; and the Informe, byte for byte.
/// </summary>
public sealed class ConocidoAlInformeTests(ApiFactory factory) : PruebaApi(factory)
{
    private static readonly string[] Formatos = ["json", "texto", "html", "pdf"];

    private static string Instante(DateTimeOffset t) => Relato.Instante(t);

    private async Task<Dictionary<string, byte[]>> InformesAsync(int programa, string consulta)
    {
        var informes = new Dictionary<string, byte[]>();
        foreach (var f in Formatos)
        {
            var r = await Cliente.GetAsync($"/api/v1/programas/{programa}/informe?{consulta}&formato={f}");
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            informes[f] = await r.Content.ReadAsByteArrayAsync();
        }

        return informes;
    }

    /// <summary>
    /// Issue 13, part 3: an Informe produced at a cut-off, then a reapertura, a correction and a new egreso; the Informe
    /// asked as known at the instant it was produced is the same bytes in all four formats, while today's has changed.
    /// </summary>
    [Fact]
    public async Task El_informe_de_antes_de_una_correccion_se_reproduce_byte_a_byte()
    {
        var servicio = await Escenario.ServicioAsync();
        var p = await Escenario.ProgramaAsync(servicio);
        var r = await Escenario.RecomendacionAsync(p);
        var a = (int)(await Escenario.CompromisoAsync(r, "2010-06"))["id"]!;
        var b = (int)(await Escenario.CompromisoAsync(r, "2010-12"))["id"]!;
        await Escenario.CalificarOkAsync(a, "Cumplido", "2010-06-30", "Acreditado.");
        await Escenario.CalificarOkAsync(b, "NoCumplido", "2010-12-31", "Sin avance.");
        await Escenario.CalificarOkAsync(b, "Cancelado", "2011-06-30", "Se descontinuó.");
        await Escenario.Esperar(await Cliente.PostAsJsonAsync($"/api/v1/programas/{p}/egreso", new { }), HttpStatusCode.OK);

        var entonces = DateTimeOffset.UtcNow;
        var consulta = $"alCorte=2011-06-30&conocidoAl={Instante(entonces)}";
        var producidos = await InformesAsync(p, consulta);
        var hoyAntes = await InformesAsync(p, "alCorte=2011-06-30");

        await Escenario.Esperar(await Cliente.PostAsJsonAsync($"/api/v1/programas/{p}/reapertura", new { motivo = "Oficio 12: B se canceló por error." }), HttpStatusCode.OK);
        await Escenario.Esperar(await Cliente.PostAsJsonAsync($"/api/v1/compromisos/{b}/correcciones",
            new { calificacion = "Cumplido", fecha = "2011-06-30", observacion = "Acreditado en 2011.", motivo = "El servicio acreditó el cumplimiento." }), HttpStatusCode.Created);
        await Escenario.CrearAsync($"/api/v1/compromisos/{a}/reportes", new { corte = "2010-06-30", texto = "Reporte tardío." });
        await Escenario.Esperar(await Cliente.PostAsJsonAsync($"/api/v1/programas/{p}/egreso", new { }), HttpStatusCode.OK);

        var reproducidos = await InformesAsync(p, consulta);
        foreach (var f in Formatos) Assert.True(producidos[f].SequenceEqual(reproducidos[f]), $"formato {f}");
        var hoyDespues = await InformesAsync(p, "alCorte=2011-06-30");
        foreach (var f in Formatos) Assert.False(hoyAntes[f].SequenceEqual(hoyDespues[f]), $"formato {f}: la corrección no cambió el informe de hoy");

        // The header says both, and only a reading as known at an instant prints the instant.
        var texto = System.Text.Encoding.UTF8.GetString(producidos["texto"]);
        Assert.Contains("Fecha Egreso: 30-06-2011", texto, StringComparison.Ordinal);
        Assert.Contains("Registro conocido al: ", texto, StringComparison.Ordinal);
        Assert.DoesNotContain("Registro conocido al", System.Text.Encoding.UTF8.GetString(hoyAntes["texto"]), StringComparison.Ordinal);
        Assert.Contains("Cancelado (30-06-2011)", texto, StringComparison.Ordinal);
        Assert.Contains("Cumplido (30-06-2011)", System.Text.Encoding.UTF8.GetString(hoyDespues["texto"]), StringComparison.Ordinal);
        var json = JsonNode.Parse(producidos["json"])!;
        Assert.Equal(entonces, json["conocidoAl"]!.GetValue<DateTimeOffset>());
        Assert.Equal("2011-06-30", (string?)json["alCorte"]);
    }

    /// <summary>The header prints the instant on Chile's clock, with its offset (summer time in March 2010).</summary>
    [Fact]
    public async Task El_encabezado_imprime_el_instante_en_hora_de_Chile()
    {
        var p = await DemoAsync();
        // The demo was registered today: as known in 2010 it did not exist yet.
        var r = await Cliente.GetAsync($"/api/v1/programas/{p}/informe?alCorte=2009-12-31&conocidoAl=2010-03-01T15:00:00Z&formato=texto");
        await Problemas.AfirmarAsync(r, HttpStatusCode.NotFound);

        var registrado = await RegistroDelDemoAsync(p);
        var texto = await Cliente.GetStringAsync($"/api/v1/programas/{p}/informe?alCorte=2009-12-31&conocidoAl={Instante(registrado.Importado)}&formato=texto");
        var esperado = "Registro conocido al: " + Features.Informes.Impresion.Instante(registrado.Importado);
        Assert.Contains(esperado + "\n", texto, StringComparison.Ordinal);
        Assert.Equal("01-03-2010 12:00:00 (hora de Chile, UTC-03:00)", Features.Informes.Impresion.Instante(new DateTimeOffset(2010, 3, 1, 15, 0, 0, TimeSpan.Zero)));
        Assert.Equal("01-07-2010 11:00:00 (hora de Chile, UTC-04:00)", Features.Informes.Impresion.Instante(new DateTimeOffset(2010, 7, 1, 15, 0, 0, TimeSpan.Zero)));
    }

    private async Task<int> DemoAsync()
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DemoSeeder>().CargarAsync(CancellationToken.None);
    }

    /// <summary>The demo's instants: its import (the record after the 2009 cut-off, with the slip) and 3.1's correction.</summary>
    private async Task<(DateTimeOffset Importado, DateTimeOffset Corregido, int C31, int C12)> RegistroDelDemoAsync(int p)
    {
        var compromisos = (await Escenario.LeerAsync($"/api/v1/compromisos?programaId={p}"))["items"]!.AsArray();
        int Id(string numero) => (int)compromisos.Single(c => (string?)c!["numero"] == numero)!["id"]!;
        var historial = (await Escenario.LeerAsync($"/api/v1/compromisos/{Id("3.1")}/calificaciones"))["items"]!.AsArray();
        return (historial[0]!["registradaEn"]!.GetValue<DateTimeOffset>(), historial[1]!["registradaEn"]!.GetValue<DateTimeOffset>(), Id("3.1"), Id("1.2"));
    }

    /// <summary>
    /// The demo carries a correction made after the 2009 cut-off's Informe was first produced: as known before it, 3.1
    /// has no observación and the programa is in follow-up with 1.2 Pendiente; as known after the egreso, the seed.
    /// </summary>
    [Fact]
    public async Task El_demo_muestra_el_informe_de_2009_antes_y_despues_de_su_correccion()
    {
        var p = await DemoAsync();
        var (importado, corregido, c31, c12) = await RegistroDelDemoAsync(p);
        Assert.True(importado < corregido);
        var antes = Instante(importado);

        var informe = await Escenario.LeerAsync($"/api/v1/programas/{p}/informe?alCorte=2009-12-31&conocidoAl={antes}");
        var compromisos = informe["recomendaciones"]!.AsArray().SelectMany(r => r!["compromisos"]!.AsArray()).ToDictionary(c => (string)c!["numero"]!);
        Assert.Null((string?)compromisos["3.1"]!["observacion"]);
        Assert.Equal("Cumplido", (string?)compromisos["3.1"]!["calificacion"]);
        Assert.Equal("Pendiente", (string?)compromisos["1.2"]!["calificacion"]);
        Assert.Equal("En Seguimiento", (string?)informe["calificacion"]);
        var despues = await Escenario.LeerAsync($"/api/v1/programas/{p}/informe?alCorte=2009-12-31&conocidoAl={Instante(corregido)}");
        Assert.Equal("Idem compromiso 1.1.", (string?)despues["recomendaciones"]![2]!["compromisos"]![0]!["observacion"]);

        // As known at the import, even at today's cut-off: no 2011 calificación, reporte or medio, and no egreso.
        var hoy = await Escenario.LeerAsync($"/api/v1/programas/{p}/informe?conocidoAl={antes}");
        var c12Hoy = hoy["recomendaciones"]![0]!["compromisos"]![1]!;
        Assert.Equal("Pendiente", (string?)c12Hoy["calificacion"]);
        Assert.Null((string?)c12Hoy["cumplimiento"]);
        Assert.Empty(c12Hoy["mediosVerificacion"]!.AsArray());
        Assert.Equal("INFORME DE SEGUIMIENTO DEL SISTEMA DE CUMPLIMIENTO DE COMPROMISOS", (string?)hoy["titulo"]);

        var programa = await Escenario.LeerAsync($"/api/v1/programas/{p}?conocidoAl={antes}");
        Assert.Equal("EnSeguimiento", (string?)programa["estado"]);
        Assert.Equal("Egresado", (string?)(await Escenario.LeerAsync($"/api/v1/programas/{p}"))["estado"]);
        var uno = await Escenario.LeerAsync($"/api/v1/compromisos/{c12}?conocidoAl={antes}");
        Assert.Equal("Pendiente", (string?)uno["calificacion"]);
        Assert.True((bool)uno["vencido"]!);
        Assert.Equal([c12], (await Escenario.LeerAsync($"/api/v1/compromisos?vencidos=true&conocidoAl={antes}"))["items"]!.AsArray().Select(c => (int)c!["id"]!));
        // Search and filters at the same instant: 1.2 was not yet Cancelado.
        var buscados = (await Escenario.LeerAsync($"/api/v1/compromisos?calificacion=Pendiente&conocidoAl={antes}&q=marco%20l%C3%B3gico"))["items"]!.AsArray();
        Assert.Equal([c12], buscados.Select(c => (int)c!["id"]!));
        var grupo = (await Escenario.LeerAsync($"/api/v1/estadisticas/cumplimiento?conocidoAl={antes}"))["grupos"]!.AsArray().Single()!;
        Assert.Equal(80.0m, (decimal)grupo["porcentajeCumplimiento"]!);
        Assert.Equal(1, (int)grupo["programasEnSeguimiento"]!);
        Assert.Equal(1, (int)grupo["porCalificacion"]!["pendiente"]!);
        var servicio = (int)programa["servicioId"]!;
        Assert.Equal([c12], (await Escenario.LeerAsync($"/api/v1/servicios/{servicio}/pendientes?corte=2011-12-31&conocidoAl={antes}"))["items"]!.AsArray().Select(c => (int)c!["id"]!));
        Assert.Empty((await Escenario.LeerAsync($"/api/v1/servicios/{servicio}/pendientes?corte=2011-12-31"))["items"]!.AsArray());
        var csv = await Cliente.GetStringAsync($"/api/v1/compromisos?formato=csv&conocidoAl={antes}");
        Assert.EndsWith(",2009-12,Pendiente,,true,,false", csv.Split("\r\n").Single(l => l.Contains(",1.2,", StringComparison.Ordinal)), StringComparison.Ordinal);
    }
}
