using System.Text.Json;
using System.Text.RegularExpressions;

namespace CompromisosApi.UnitTests;

/// <summary>
/// How the source is laid out (issue 14): one file per operation, Features/&lt;Area&gt;/&lt;OperationId&gt;.cs, which
/// declares that operation and no other; and no source file over <see cref="MaximoDeLineas"/> lines, apart from the
/// migrations EF Core generates.
/// </summary>
public sealed partial class EstructuraTests
{
    private const int MaximoDeLineas = 300;

    [Fact]
    public void Cada_operacion_del_contrato_tiene_su_archivo() =>
        SinFallas("Operaciones del contrato sin su archivo Features/<Área>/<OperationId>.cs que la declare",
            OperacionesSinArchivo(OperacionesDelContrato(), ArchivosDe("Features")));

    [Fact]
    public void Cada_archivo_declara_solo_su_propia_operacion() =>
        SinFallas("Operaciones declaradas fuera de su archivo", DeclaracionesAjenas(ArchivosDe("Features")));

    [Fact]
    public void Ningun_archivo_fuente_pasa_del_maximo_de_lineas() =>
        SinFallas($"Archivos de más de {MaximoDeLineas} líneas (divídalos por lo que hace cada parte)", Largos(ArchivosDe("")));

    [Fact]
    public void Las_reglas_se_rompen_y_lo_dicen()
    {
        var archivos = new Dictionary<string, string>
        {
            ["Features/A/Crear.cs"] = "g.MapPost(\"\", H).Documentar(\"Crear\", \"…\", \"…\");\ng.MapPost(\"x\", H).Documentar(\"CrearConArchivo\", \"…\", \"…\");",
            ["Features/A/Listar.cs"] = "g.MapGet(\"\", H)\n    .Documentar(\n        \"Listar\", \"…\", \"…\");",
            ["Features/B/Obtener.cs"] = "// the handler only, its mapping is elsewhere",
            ["Features/B/Largo.cs"] = string.Concat(Enumerable.Repeat("x\n", MaximoDeLineas + 1)),
        };

        Assert.Equal(["CrearConArchivo: sin archivo", "Obtener: Features/B/Obtener.cs no la declara"],
            OperacionesSinArchivo(["Crear", "CrearConArchivo", "Listar", "Obtener"], archivos));
        Assert.Equal(["Features/A/Crear.cs declara CrearConArchivo"], DeclaracionesAjenas(archivos));
        Assert.Equal([$"Features/B/Largo.cs: {MaximoDeLineas + 1} líneas"], Largos(archivos));
    }

    private static List<string> OperacionesSinArchivo(IEnumerable<string> operaciones, IReadOnlyDictionary<string, string> archivos) =>
        operaciones.Order(StringComparer.Ordinal).SelectMany(op =>
        {
            var suyos = archivos.Where(a => Regex.IsMatch(a.Key, $@"^Features/\w+/{op}\.cs$")).ToList();
            return suyos.Count switch
            {
                0 => [$"{op}: sin archivo"],
                > 1 => [$"{op}: más de un archivo ({string.Join(", ", suyos.Select(a => a.Key))})"],
                _ => Declaradas(suyos[0].Value).Contains(op) ? [] : new[] { $"{op}: {suyos[0].Key} no la declara" },
            };
        }).ToList();

    private static List<string> DeclaracionesAjenas(IReadOnlyDictionary<string, string> archivos) =>
        archivos.OrderBy(a => a.Key, StringComparer.Ordinal)
            .SelectMany(a => Declaradas(a.Value)
                .Where(op => op != Path.GetFileNameWithoutExtension(a.Key))
                .Select(op => $"{a.Key} declara {op}"))
            .ToList();

    private static List<string> Largos(IReadOnlyDictionary<string, string> archivos) =>
        archivos.Select(a => (a.Key, Lineas: a.Value.Split('\n').Length - (a.Value.EndsWith('\n') ? 1 : 0)))
            .Where(a => a.Lineas > MaximoDeLineas)
            .OrderBy(a => a.Key, StringComparer.Ordinal)
            .Select(a => $"{a.Key}: {a.Lineas} líneas")
            .ToList();

    /// <summary>An operation is declared where its endpoint is documented: <c>.Documentar("OperationId", …)</c>.</summary>
    private static IEnumerable<string> Declaradas(string codigo) =>
        Documentar().Matches(codigo).Select(m => m.Groups[1].Value);

    [GeneratedRegex(@"\.Documentar\(\s*""(\w+)""")]
    private static partial Regex Documentar();

    private static IEnumerable<string> OperacionesDelContrato()
    {
        using var contrato = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repositorio.Raiz, "api-spec", "openapi.json")));
        var operaciones = contrato.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(ruta => ruta.Value.EnumerateObject())
            .Where(o => o.Value.ValueKind == JsonValueKind.Object && o.Value.TryGetProperty("operationId", out _))
            .Select(o => o.Value.GetProperty("operationId").GetString()!)
            .ToList();
        Assert.NotEmpty(operaciones);
        return operaciones;
    }

    /// <summary>
    /// The C# and SQL files under src/CompromisosApi/&lt;carpeta&gt; by their path from there (with '/'), without the
    /// generated migrations and the build's output.
    /// </summary>
    private static Dictionary<string, string> ArchivosDe(string carpeta)
    {
        string[] fuera = ["Migrations", "obj", "bin"];
        return Directory.EnumerateFiles(Path.Combine(Repositorio.Fuente, carpeta), "*", SearchOption.AllDirectories)
            .Where(f => Path.GetExtension(f) is ".cs" or ".sql")
            .Select(f => Path.GetRelativePath(Repositorio.Fuente, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(r => !r.Split('/').Any(fuera.Contains))
            .ToDictionary(r => r, r => File.ReadAllText(Path.Combine(Repositorio.Fuente, r)));
    }

    private static void SinFallas(string que, List<string> fallas) =>
        Assert.True(fallas.Count == 0, que + ":\n" + string.Join("\n", fallas.Select(f => "    " + f)));
}
