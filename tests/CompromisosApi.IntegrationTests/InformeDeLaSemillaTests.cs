using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CompromisosApi.Features.Demo;
using CompromisosApi.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CompromisosApi.IntegrationTests;

/// <summary>What the Informe says: the seed report's facts, and at an earlier cut-off what the record said then.</summary>
public sealed class InformeDeLaSemillaTests(ApiFactory factory) : PruebaDeInforme(factory)
{
    [Fact]
    public async Task El_texto_es_el_informe_de_egreso_de_la_semilla_linea_por_linea()
    {
        var id = await CargarDemoAsync();

        var r = await PedirAsync($"/api/v1/programas/{id}/informe", "text/plain");
        await Escenario.Esperar(r, HttpStatusCode.OK);
        Assert.Equal("text/plain; charset=utf-8", r.Content.Headers.ContentType!.ToString());
        var texto = await r.Content.ReadAsStringAsync();

        var lineas = texto.Split('\n');
        Assert.Equal([.. EncabezadoDeLaSemilla, CabeceraDeTabla], lineas.Take(8));
        EnOrden(texto, [.. EncabezadoDeLaSemilla, CabeceraDeTabla, .. HechosDeLaSemilla()]);

        // Fragments exactly as the seed report prints them.
        Assert.Contains("Observación: Calificación: Cancelado (31-12-2011) Medios de Verificación: Documento Marco\nMarco Lógico mejorado\n", texto);
        Assert.Equal(3, texto.Split("Observación: Idem compromiso 1.1. Calificación: Cumplido (31-12-2009)").Length - 1);
        Assert.Equal(5, texto.Split("Fecha de Vencimiento: Diciembre 2009 | ").Length - 1);
        Assert.Contains("Medios de Verificación: minuta explicativa compromisos y justificaciones redes por rubro\nmarco final validado por fomento\n", texto);

        // The whole text, built from the seed with DOMAIN.md's template: one block per compromiso, a blank line apart.
        var bloques = CompromisosDeLaSemilla.Select(x =>
        {
            var (rec, comp) = x;
            var medios = comp["mediosVerificacion"]!.AsArray().Select(m => (string)m!).ToList();
            return $"{(int)rec["numero"]!}. {(string)rec["texto"]!} | {NumeroEnRecomendacion(comp)} {(string)comp["texto"]!} " +
                $"Fecha de Vencimiento: {(string)comp["fechaVencimientoTexto"]!} | {(string)comp["cumplimiento"]!} " +
                (comp["observacion"] is { } obs ? $"Observación: {(string)obs!} " : "Observación: ") +
                $"Calificación: {(string)comp["calificacion"]!} ({Fecha(comp["fechaCalificacion"])})" +
                (medios.Count > 0 ? " Medios de Verificación: " + string.Join("\n", medios) : "") + "\n";
        });
        var esperado = string.Join("\n", EncabezadoDeLaSemilla) + "\n" + CabeceraDeTabla + "\n" + string.Join("\n", bloques);
        Assert.Equal(esperado, texto);
    }

    [Fact]
    public async Task El_json_es_el_registro_de_la_semilla_campo_por_campo()
    {
        var id = await CargarDemoAsync();

        var r = await PedirAsync($"/api/v1/programas/{id}/informe?alCorte=2011-12-31");
        await Escenario.Esperar(r, HttpStatusCode.OK);
        Assert.Equal("application/json", r.Content.Headers.ContentType!.MediaType);
        var informe = (await r.Content.ReadFromJsonAsync<JsonObject>())!;

        Assert.Equal("INFORME DE EGRESO DEL SISTEMA DE CUMPLIMIENTO DE COMPROMISOS", (string?)informe["titulo"]);
        Assert.Equal((string?)Semilla["programa"], (string?)informe["programa"]);
        Assert.Equal((string?)Semilla["ministerio"], (string?)informe["ministerio"]);
        Assert.Equal((string?)Semilla["servicio"]!["nombre"], (string?)informe["servicio"]);
        Assert.Equal((int)Semilla["anioEvaluacion"]!, (int)informe["anioEvaluacion"]!);
        Assert.Equal("EPG", (string?)informe["lineaEvaluacion"]);
        Assert.Equal((string?)Semilla["calificacionPrograma"], (string?)informe["calificacion"]);
        Assert.Equal((string?)Semilla["fechaEgreso"], (string?)informe["fechaEgreso"]);
        Assert.Equal("2011-12-31", (string?)informe["alCorte"]);

        var recomendaciones = informe["recomendaciones"]!.AsArray();
        Assert.Equal(Semilla["recomendaciones"]!.AsArray().Count, recomendaciones.Count);
        foreach (var (rec, esperada) in recomendaciones.Zip(Semilla["recomendaciones"]!.AsArray()))
        {
            Assert.Equal((int)esperada!["numero"]!, (int)rec!["numero"]!);
            Assert.Equal((string?)esperada["texto"], (string?)rec["texto"]);
            var compromisos = rec["compromisos"]!.AsArray();
            Assert.Equal(esperada["compromisos"]!.AsArray().Count, compromisos.Count);
            foreach (var (comp, e) in compromisos.Zip(esperada["compromisos"]!.AsArray()))
            {
                Assert.Equal((string?)e!["numero"], (string?)comp!["numero"]);
                Assert.Equal(NumeroEnRecomendacion(e), (string?)comp["numeroEnRecomendacion"]);
                Assert.Equal((string?)e["texto"], (string?)comp["texto"]);
                Assert.Equal((string?)e["fechaVencimiento"], (string?)comp["fechaVencimiento"]);
                Assert.Equal((string?)e["fechaVencimientoTexto"], (string?)comp["fechaVencimientoTexto"]);
                Assert.Equal((string?)e["cumplimiento"], (string?)comp["cumplimiento"]);
                Assert.Equal((string?)e["observacion"], (string?)comp["observacion"]);
                Assert.Equal((string?)e["calificacion"], (string?)comp["calificacion"]);
                Assert.Equal((string?)e["calificacion"], (string?)comp["calificacionTexto"]);
                Assert.Equal((string?)e["fechaCalificacion"], (string?)comp["fechaCalificacion"]);
                Assert.Equal(e["mediosVerificacion"]!.AsArray().Select(m => (string)m!), comp["mediosVerificacion"]!.AsArray().Select(m => (string)m!));
            }
        }
    }

    [Fact]
    public async Task Al_31_12_2009_el_programa_sigue_en_seguimiento_y_el_1_2_pendiente()
    {
        var id = await CargarDemoAsync();

        var texto = await TextoAsync($"/api/v1/programas/{id}/informe?alCorte=2009-12-31");
        Assert.Equal(
            [
                "INFORME DE SEGUIMIENTO DEL SISTEMA DE CUMPLIMIENTO DE COMPROMISOS",
                EncabezadoDeLaSemilla[1], EncabezadoDeLaSemilla[2], EncabezadoDeLaSemilla[3], EncabezadoDeLaSemilla[4],
                "Calificación: En Seguimiento",
                "Fecha Corte: 31-12-2009",
                CabeceraDeTabla,
            ],
            texto.Split('\n').Take(8));
        Assert.DoesNotContain("Fecha Egreso", texto);
        Assert.Contains("2. Elaborar matriz de marco lógico del nuevo programa revisada y concordada con DIPRES. Fecha de Vencimiento: Diciembre 2009 | Observación: Calificación: Pendiente\n", texto);
        Assert.DoesNotContain("Cancelado", texto);
        Assert.DoesNotContain("Durante los años 2010 y 2011", texto);
        Assert.DoesNotContain("Documento Marco\n", texto);
        Assert.Equal(4, texto.Split("Calificación: Cumplido (31-12-2009)").Length - 1);

        var json = await Escenario.LeerAsync($"/api/v1/programas/{id}/informe?alCorte=2009-12-31");
        Assert.Equal("En Seguimiento", (string?)json["calificacion"]);
        Assert.Null(json["fechaEgreso"]);
        Assert.Equal("2009-12-31", (string?)json["alCorte"]);
        var c12 = json["recomendaciones"]![0]!["compromisos"]![1]!;
        Assert.Equal("1.2", (string?)c12["numero"]);
        Assert.Equal("Pendiente", (string?)c12["calificacion"]);
        Assert.Null(c12["fechaCalificacion"]);
        Assert.Null(c12["cumplimiento"]);
        Assert.Null(c12["observacion"]);
        Assert.Empty(c12["mediosVerificacion"]!.AsArray());

        // The day before the first cut-off nothing was qualified or reported yet.
        var antes = await Escenario.LeerAsync($"/api/v1/programas/{id}/informe?alCorte=2009-12-30");
        var compromisos = antes["recomendaciones"]!.AsArray().SelectMany(r => r!["compromisos"]!.AsArray()).ToList();
        Assert.All(compromisos, c => Assert.Equal("Pendiente", (string?)c!["calificacion"]));
        Assert.All(compromisos, c => Assert.Null(c!["cumplimiento"]));
    }

    [Fact]
    public async Task Al_31_12_2011_es_el_informe_de_egreso()
    {
        var id = await CargarDemoAsync();

        var texto = await TextoAsync($"/api/v1/programas/{id}/informe?alCorte=2011-12-31");

        Assert.Equal(EncabezadoDeLaSemilla, texto.Split('\n').Take(7));
        Assert.Contains("| Durante los años 2010 y 2011 el Programa de Asociatividad no ha funcionado", texto);
        Assert.Contains("Observación: Calificación: Cancelado (31-12-2011)", texto);
        Assert.Equal(texto, await TextoAsync($"/api/v1/programas/{id}/informe"));
    }

    [Fact]
    public async Task Varios_reportes_se_unen_en_orden_y_cada_corte_muestra_su_calificacion()
    {
        var s = await Escenario.ServicioAsync("Ministerio de Economía, Fomento y Turismo", "Unidad de Compañías Pequeñas");
        var p = await Escenario.ProgramaAsync(s, "Programa de Pequeñas Compañías", 2009);
        var r = await Escenario.RecomendacionAsync(p, "Mejorar la focalización.");
        var c = (int)(await Escenario.CompromisoAsync(r, "2010-12", "Rediseñar la focalización."))["id"]!;
        await Escenario.CrearAsync($"/api/v1/compromisos/{c}/reportes", new { corte = "2010-06-30", texto = "Primer avance." });
        await Escenario.CrearAsync($"/api/v1/compromisos/{c}/medios-verificacion", new { titulo = "Minuta de junio", corte = "2010-06-30" });
        await Escenario.CalificarOkAsync(c, "ParcialmenteCumplido", "2010-06-30", "Falta el rediseño.");
        await Escenario.CrearAsync($"/api/v1/compromisos/{c}/reportes", new { corte = "2010-12-31", texto = "Segundo avance.\n\nCon dos párrafos." });
        await Escenario.CalificarOkAsync(c, "NoCumplido", "2010-12-31");
        await Escenario.RecomendacionAsync(p, "Una recomendación aún sin compromisos.");

        var junio = await TextoAsync($"/api/v1/programas/{p}/informe?alCorte=2010-06-30");
        Assert.Contains("\nMINISTERIO DE ECONOMÍA, FOMENTO Y TURISMO\nServicio: UNIDAD DE COMPAÑÍAS PEQUEÑAS\nAño: 2009\n", junio);
        Assert.Contains(
            "1. Mejorar la focalización. | 1. Rediseñar la focalización. Fecha de Vencimiento: Diciembre 2010 | Primer avance. " +
            "Observación: Falta el rediseño. Calificación: Parcialmente Cumplido (30-06-2010) Medios de Verificación: Minuta de junio\n",
            junio);
        Assert.EndsWith("\n\n2. Una recomendación aún sin compromisos. | |\n", junio);

        var diciembre = await Escenario.LeerAsync($"/api/v1/programas/{p}/informe?alCorte=2010-12-31");
        var comp = diciembre["recomendaciones"]![0]!["compromisos"]![0]!;
        Assert.Equal("Primer avance.\n\nSegundo avance.\n\nCon dos párrafos.", (string?)comp["cumplimiento"]);
        Assert.Equal("NoCumplido", (string?)comp["calificacion"]);
        Assert.Equal("No Cumplido", (string?)comp["calificacionTexto"]);
        Assert.Null(comp["observacion"]);
        Assert.Equal("Diciembre 2010", (string?)comp["fechaVencimientoTexto"]);
        Assert.Empty(diciembre["recomendaciones"]![1]!["compromisos"]!.AsArray());
        Assert.Contains("| Primer avance.\n\nSegundo avance.\n\nCon dos párrafos. Observación: Calificación: No Cumplido (31-12-2010) Medios de Verificación: Minuta de junio\n",
            await TextoAsync($"/api/v1/programas/{p}/informe?alCorte=2010-12-31"));
    }

    [Fact]
    public async Task Se_lee_con_un_numero_fijo_de_consultas()
    {
        var demo = await CargarDemoAsync();
        var chico = await Escenario.ProgramaAsync(await Escenario.ServicioAsync("Ministerio de Hacienda", "Dirección de Presupuestos"));
        await Escenario.CompromisoAsync(await Escenario.RecomendacionAsync(chico));

        async Task<int> ConsultasAsync(int programa)
        {
            using var contador = new ContadorDeConsultas(Factory.BaseDeDatos);
            await TextoAsync($"/api/v1/programas/{programa}/informe?alCorte=2011-12-31", "application/json");
            return contador.Consultas;
        }

        var conCinco = await ConsultasAsync(demo);
        var conUno = await ConsultasAsync(chico);

        Assert.Equal(conUno, conCinco);
        Assert.InRange(conCinco, 1, 6);
    }

    [Fact]
    public async Task Sin_alCorte_el_corte_es_hoy_en_Chile()
    {
        var (p, _, _) = await Escenario.CompromisoPendienteAsync();
        var chile = TimeZoneInfo.FindSystemTimeZoneById("America/Santiago");
        var antes = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, chile).DateTime);

        var informe = await Escenario.LeerAsync($"/api/v1/programas/{p}/informe");

        var despues = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, chile).DateTime);
        Assert.Contains(DateOnly.Parse((string)informe["alCorte"]!, CultureInfo.InvariantCulture), new[] { antes, despues });
        Assert.Equal("INFORME DE SEGUIMIENTO DEL SISTEMA DE CUMPLIMIENTO DE COMPROMISOS", (string?)informe["titulo"]);
        Assert.Contains("Fecha Corte: " + antes.ToString("dd-MM-yyyy", CultureInfo.InvariantCulture),
            await TextoAsync($"/api/v1/programas/{p}/informe?alCorte={antes:yyyy-MM-dd}"));
    }
}
