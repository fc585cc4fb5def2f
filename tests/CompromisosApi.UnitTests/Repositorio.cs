namespace CompromisosApi.UnitTests;

/// <summary>Where the tests read the repository's own files from: the folder of CompromisosApi.sln, above the build.</summary>
internal static class Repositorio
{
    public static readonly string Raiz = Buscar();

    /// <summary>The service's source, src/CompromisosApi.</summary>
    public static string Fuente => Path.Combine(Raiz, "src", "CompromisosApi");

    private static string Buscar()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "CompromisosApi.sln"))) return d.FullName;
        }

        throw new InvalidOperationException("No se encontró CompromisosApi.sln sobre " + AppContext.BaseDirectory);
    }
}
