using System.Text.RegularExpressions;
using CompromisosApi.Persistence;

namespace CompromisosApi.UnitTests;

/// <summary>
/// The objects EF does not model live in Persistence/Sql: every file is embedded, run by the initial migration in
/// ObjetosSql.Orden, says first what it is for, can be run again, and is listed in the README.
/// </summary>
public sealed partial class ObjetosSqlTests
{
    public static TheoryData<string> Archivos() => [.. ObjetosSql.Orden];

    [Fact]
    public void Cada_archivo_embebido_corre_una_vez_en_el_orden()
    {
        var embebidos = typeof(ObjetosSql).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ObjetosSql.PrefijoRecurso, StringComparison.Ordinal))
            .Select(n => n[ObjetosSql.PrefijoRecurso.Length..])
            .Order(StringComparer.Ordinal);

        Assert.Equal(embebidos, ObjetosSql.Orden.Order(StringComparer.Ordinal));
        Assert.Equal(ObjetosSql.Orden.Count, ObjetosSql.Orden.Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [MemberData(nameof(Archivos))]
    public void Empieza_diciendo_para_que_son_sus_objetos(string archivo) =>
        Assert.StartsWith($"-- {archivo}: ", ObjetosSql.Leer(archivo), StringComparison.Ordinal);

    /// <summary>A later migration that changes an object runs its edited file again.</summary>
    [Theory]
    [MemberData(nameof(Archivos))]
    public void Se_puede_correr_de_nuevo(string archivo)
    {
        var noRepetibles = CreacionNoRepetible().Matches(ObjetosSql.Leer(archivo)).Select(m => m.Value);
        Assert.Empty(noRepetibles);
    }

    [Theory]
    [MemberData(nameof(Archivos))]
    public void El_readme_lo_lista(string archivo)
    {
        var readme = File.ReadAllText(Path.Combine(Repositorio.Raiz, "README.md"));
        Assert.Contains($"| `{archivo}` |", readme, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^\s*CREATE\s+(?!OR\s+REPLACE\b)(?!(EXTENSION|SEQUENCE|TABLE|INDEX)\s+IF\s+NOT\s+EXISTS\b)\w+[^\n]*", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex CreacionNoRepetible();
}
