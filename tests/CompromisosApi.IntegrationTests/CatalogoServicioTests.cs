using System.Text.Json.Nodes;
using CompromisosApi.IntegrationTests.Infrastructure;

namespace CompromisosApi.IntegrationTests;

/// <summary>
/// The committed catalog entry (api-spec/catalogo-servicio.json) is the one generated from the committed contract and
/// bench/RESULTS.md, and says what the network's catalog asks. Reads only the files: no service is started.
/// </summary>
public sealed class CatalogoServicioTests
{
    private static JsonNode Contrato() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Repositorio.Raiz, "api-spec", "openapi.json")))!;

    private static string Generado() => CatalogoDeServicio.Generar(Contrato(), File.ReadAllText(CatalogoDeServicio.Resultados));

    [Fact]
    public void El_catalogo_comprometido_es_el_generado_del_contrato_y_del_benchmark()
    {
        Assert.True(File.Exists(CatalogoDeServicio.Archivo), "Falta api-spec/catalogo-servicio.json: genérelo con scripts/update-openapi.sh");
        Assert.True(File.ReadAllText(CatalogoDeServicio.Archivo).ReplaceLineEndings("\n") == Generado(),
            "api-spec/catalogo-servicio.json difiere del generado desde api-spec/openapi.json y bench/RESULTS.md. Ejecute scripts/update-openapi.sh y revise el diff.");
    }

    [Fact]
    public void El_catalogo_declara_el_servicio_y_cada_operacion_con_sus_esquemas()
    {
        var catalogo = JsonNode.Parse(Generado())!;
        var servicio = catalogo["servicio"]!;
        foreach (var campo in new[] { "codigo", "nombre", "descripcion", "proveedor", "responsable", "version" })
            Assert.False(string.IsNullOrWhiteSpace((string?)servicio[campo]), $"servicio.{campo} vacío");
        foreach (var campo in new[] { "disponibilidad", "horario", "tiempoDeRespuesta" })
            Assert.False(string.IsNullOrWhiteSpace((string?)servicio["nivelDeServicio"]![campo]), $"nivelDeServicio.{campo} vacío");
        Assert.True((double)servicio["transaccionesPorSegundo"]!["sostenidas"]! > 0);

        var ids = Contrato()["paths"]!.AsObject().SelectMany(r => r.Value!.AsObject().Select(o => (string)o.Value!["operationId"]!)).Order().ToList();
        var operaciones = catalogo["operaciones"]!.AsArray();
        Assert.Equal(ids, operaciones.Select(o => (string)o!["operationId"]!).Order().ToList());

        var crear = operaciones.Single(o => (string)o!["operationId"]! == "CrearCompromiso")!;
        Assert.Contains(crear["entrada"]!["cuerpo"]!.AsArray(), c => (string)c!["esquema"]! == "CompromisoEntrada");
        Assert.Contains(crear["salida"]!.AsArray(), s => (string)s!["estado"]! == "201"
            && s["contenido"]!.AsArray().Any(c => (string)c!["esquema"]! == "Compromiso"));
        Assert.Contains(crear["entrada"]!["parametros"]!.AsArray(), p => (string)p!["nombre"]! == "Idempotency-Key" && (string)p["en"]! == "header");
        Assert.Contains(servicio["parametrosDeCadaOperacion"]!.AsArray(), p => (string)p!["nombre"]! == "X-Funcionario-Run" && (string)p["en"]! == "header");

        // What the benchmark measured, where it measured it: the E1 read holds more than the E4 write.
        var tps = (string id) => (double)operaciones.Single(o => (string)o!["operationId"]! == id)!["transaccionesPorSegundo"]!["sostenidas"]!;
        Assert.True(tps("ObtenerCompromiso") > tps("CalificarCompromiso"));
        Assert.Null(operaciones.Single(o => (string)o!["operationId"]! == "EliminarSuscripcion")!["transaccionesPorSegundo"]);
    }
}
