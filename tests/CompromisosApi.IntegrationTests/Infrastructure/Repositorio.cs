namespace CompromisosApi.IntegrationTests.Infrastructure;

public static class Repositorio
{
    /// <summary>The folder with CompromisosApi.sln, found from the test binaries wherever they run.</summary>
    public static string Raiz { get; } = Buscar();

    private static string Buscar()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "CompromisosApi.sln"))) return d.FullName;
        }

        throw new InvalidOperationException("No se encontró CompromisosApi.sln sobre " + AppContext.BaseDirectory);
    }
}
