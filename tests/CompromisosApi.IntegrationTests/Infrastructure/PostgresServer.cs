using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Testcontainers.PostgreSql;

namespace CompromisosApi.IntegrationTests.Infrastructure;

/// <summary>
/// A PostgreSQL server the integration tests own: the one named by COMPROMISOS_TEST_CONNECTION, a Testcontainers
/// container when a Docker daemon answers, or else a throwaway local cluster started by scripts/pg-local.sh (the same
/// script scripts/run.sh uses, so there is one way to run PostgreSQL without Docker).
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    public const string ConnectionEnvVar = "COMPROMISOS_TEST_CONNECTION";

    private readonly Func<Task> _detener;
    private string? _script;
    private string? _directorio;
    private int _puerto;

    private PostgresServer(string connectionString, Func<Task> detener)
    {
        ConnectionString = connectionString;
        _detener = detener;
    }

    public string ConnectionString { get; }

    public static async Task<PostgresServer> StartAsync()
    {
        var externo = Environment.GetEnvironmentVariable(ConnectionEnvVar);
        if (!string.IsNullOrWhiteSpace(externo)) return new PostgresServer(externo, () => Task.CompletedTask);

        if (await DockerRespondeAsync())
        {
            var contenedor = new PostgreSqlBuilder("postgres:15-alpine").Build();
            await contenedor.StartAsync();
            return new PostgresServer(contenedor.GetConnectionString(), () => contenedor.DisposeAsync().AsTask());
        }

        return await ClusterLocalAsync();
    }

    /// <summary>A local cluster of its own, for tests that stop and restart the database.</summary>
    public static Task<PostgresServer> StartLocalAsync() => ClusterLocalAsync();

    /// <summary>Stops the server as an operator would (the data stays); <see cref="ReanudarAsync"/> starts it again.</summary>
    public Task DetenerAsync() => _script is null ? throw new InvalidOperationException("Solo un cluster local se detiene.") : EjecutarAsync(_script, "stop", _directorio!);

    public Task ReanudarAsync() => _script is null ? throw new InvalidOperationException("Solo un cluster local se reanuda.") : EjecutarAsync(_script, "start", _directorio!, _puerto.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public ValueTask DisposeAsync() => new(_detener());

    /// <summary>A stale socket file must not send every run into a Testcontainers time-out: the daemon must answer.</summary>
    private static async Task<bool> DockerRespondeAsync()
    {
        const string socket = "/var/run/docker.sock";
        if (Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 }) return true;
        if (!File.Exists(socket)) return false;
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            using var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await s.ConnectAsync(new UnixDomainSocketEndPoint(socket), cts.Token);
            await s.SendAsync("GET /_ping HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n\r\n"u8.ToArray(), cts.Token);
            var buffer = new byte[64];
            var leidos = await s.ReceiveAsync(buffer, cts.Token);
            return System.Text.Encoding.ASCII.GetString(buffer, 0, leidos).Contains(" 200 ", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task<PostgresServer> ClusterLocalAsync()
    {
        var script = Path.Combine(Repositorio.Raiz, "scripts", "pg-local.sh");
        // Under /tmp: when the tests run as root the cluster belongs to 'postgres', which must reach it.
        var directorio = Path.Combine(Path.GetTempPath(), $"compromisos-test-{Guid.NewGuid():N}");
        var puerto = PuertoLibre();
        var salida = await EjecutarAsync(script, "start", directorio, puerto.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var conexion = salida.TrimEnd().Split('\n')[^1] + ";Maximum Pool Size=50";

        // A killed test run leaves no server behind for long: the next machine start or this hook stops it.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => DetenerAsync(script, directorio).GetAwaiter().GetResult();
        return new PostgresServer(conexion, () => DetenerAsync(script, directorio)) { _script = script, _directorio = directorio, _puerto = puerto };
    }

    private static async Task DetenerAsync(string script, string directorio)
    {
        if (!Directory.Exists(directorio)) return;
        await EjecutarAsync(script, "stop", directorio);
        Directory.Delete(directorio, recursive: true);
    }

    private static int PuertoLibre()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private static async Task<string> EjecutarAsync(string script, params string[] argumentos)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(script);
        foreach (var a in argumentos) info.ArgumentList.Add(a);
        // fsync off: a test cluster is thrown away, and durability would only slow every commit.
        info.Environment["PG_LOCAL_OPTIONS"] = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200";
        using var proceso = Process.Start(info)!;
        var salida = proceso.StandardOutput.ReadToEndAsync();
        var errores = proceso.StandardError.ReadToEndAsync();
        await proceso.WaitForExitAsync();
        if (proceso.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"scripts/pg-local.sh {string.Join(' ', argumentos)} falló ({proceso.ExitCode}). Instale el paquete Debian 'postgresql' " +
                $"(scripts/test.sh lo hace) o defina {ConnectionEnvVar}.\n{await errores}");
        }

        return await salida;
    }
}
