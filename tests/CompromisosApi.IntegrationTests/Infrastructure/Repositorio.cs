using System.Net;
using System.Net.Sockets;

namespace CompromisosApi.IntegrationTests.Infrastructure;

/// <summary>A free loopback port, chosen by the system: other test runs may share the machine.</summary>
public static class Puertos
{
    public static int Libre()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}

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
