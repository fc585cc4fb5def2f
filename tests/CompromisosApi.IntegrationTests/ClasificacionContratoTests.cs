using System.Text.Json.Nodes;
using CompromisosApi.IntegrationTests.Infrastructure;

namespace CompromisosApi.IntegrationTests;

/// <summary>
/// The committed contract classifies every exposed field (x-clasificacion, D12 Art. 20) with one of the norm's classes,
/// and the committed Directorio de Datos is the one generated from it. Reads only the files: no service is started.
/// </summary>
public sealed class ClasificacionContratoTests
{
    private static JsonNode Comprometido() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Repositorio.Raiz, "api-spec", "openapi.json")))!;

    [Fact]
    public void Cada_propiedad_de_cada_esquema_tiene_una_clasificacion_valida()
    {
        var faltan = new List<string>();
        var desconocidas = new List<string>();
        foreach (var (esquema, campo, propiedad) in DirectorioDeDatos.Propiedades(Comprometido()))
        {
            var clase = propiedad[DirectorioDeDatos.Extension] is JsonValue v && v.TryGetValue<string>(out var t) ? t : null;
            if (clase is null) faltan.Add($"{esquema}.{campo}");
            else if (!DirectorioDeDatos.Clases.Contains(clase)) desconocidas.Add($"{esquema}.{campo} = {clase}");
        }

        Assert.True(faltan.Count == 0,
            $"Propiedades sin {DirectorioDeDatos.Extension} (decídalas en ClasificacionDeDatos y ejecute scripts/update-openapi.sh): " + string.Join(", ", faltan));
        Assert.True(desconocidas.Count == 0,
            $"Clasificaciones fuera de {string.Join('/', DirectorioDeDatos.Clases)}: " + string.Join(", ", desconocidas));
    }

    [Fact]
    public void El_directorio_de_datos_comprometido_es_el_generado_del_contrato()
    {
        Assert.True(File.Exists(DirectorioDeDatos.Archivo), "Falta api-spec/directorio-datos.csv: genérelo con scripts/update-openapi.sh");
        var generado = DirectorioDeDatos.Generar(Comprometido());
        Assert.True(File.ReadAllText(DirectorioDeDatos.Archivo) == generado,
            "api-spec/directorio-datos.csv difiere del generado desde api-spec/openapi.json. Ejecute scripts/update-openapi.sh y revise el diff.");
    }

    [Fact]
    public void Los_datos_personales_y_secretos_conocidos_estan_clasificados_asi()
    {
        var doc = Comprometido()["components"]!["schemas"]!;
        string? Clase(string esquema, string campo) => (string?)doc[esquema]!["properties"]![campo]![DirectorioDeDatos.Extension];
        Assert.Equal("personal", Clase("Traza", "funcionarioRun"));
        Assert.Equal("personal", Clase("Traza", "sujeto"));
        Assert.Equal("personal", Clase("EntradaAuditoria", "actorNombre"));
        Assert.Equal("personal", Clase("Reporte", "registradoPor"));
        Assert.Equal("secreto", Clase("SuscripcionCreada", "secreto"));
        Assert.Equal("estadistico", Clase("GrupoCumplimiento", "porcentajeCumplimiento"));
    }
}
