using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting;
using Npgsql;
using Testcontainers.PostgreSql;

namespace CompromisosApi.IntegrationTests.Infrastructure;

/// <summary>
/// A PostgreSQL server the integration tests own: the one named by COMPROMISOS_TEST_CONNECTION, a Testcontainers
/// container when a Docker daemon answers, or else a throwaway local cluster started by scripts/pg-local.sh (the same
/// script scripts/run.sh uses, so there is one way to run PostgreSQL without Docker). In it, a database of its own
/// owned by an owner role that migrates, and a runtime role the service under test connects as, both created here as
/// a deployment would (README, Database roles), with names of their own so that test runs sharing a server never meet.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    public const string ConnectionEnvVar = "COMPROMISOS_TEST_CONNECTION";

    /// <summary>max_connections of the servers the tests start: room for the pools of the collections that run at once.</summary>
    private const int MaximoDeConexiones = 300;

    private readonly Func<Task> _detener;
    private string? _script;
    private string? _directorio;
    private int _puerto;

    // What a copy of this database needs (null with a single role): the superuser's connection to the server's own
    // database, the two roles and their password, and the database.
    private Copias? _copias;
    private static int _numeroDeCopia;

    private sealed record Copias(string Admin, string Propietario, string Aplicacion, string Clave, string BaseDeDatos);

    private PostgresServer(string connectionString, string conexionAplicacion, string? conexionMigraciones, string? sinRoles, Func<Task> detener)
    {
        ConnectionString = connectionString;
        ConexionAplicacion = conexionAplicacion;
        ConexionMigraciones = conexionMigraciones;
        SinRolesSeparados = sinRoles;
        _detener = detener;
    }

    /// <summary>The test database as a superuser (or as given): for the tests' own SQL, fixtures and Respawn.</summary>
    public string ConnectionString { get; }

    /// <summary>The runtime role: <c>ConnectionStrings:Compromisos</c> of the service under test.</summary>
    public string ConexionAplicacion { get; }

    /// <summary>The owner role: <c>ConnectionStrings:Migraciones</c>; null with a single role.</summary>
    public string? ConexionMigraciones { get; }

    /// <summary>Why the service under test runs with a single role (null when it has both).</summary>
    public string? SinRolesSeparados { get; }

    /// <summary>Points a service under test at this database, as its runtime role, migrating as the owner role.</summary>
    public IWebHostBuilder Configurar(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:Compromisos", ConexionAplicacion);
        if (ConexionMigraciones is not null) builder.UseSetting("ConnectionStrings:Migraciones", ConexionMigraciones);
        return builder;
    }

    public static async Task<PostgresServer> StartAsync()
    {
        var externo = Environment.GetEnvironmentVariable(ConnectionEnvVar);
        // Someone else's server: what the run created there goes when it ends.
        if (!string.IsNullOrWhiteSpace(externo)) return await ConRolesAsync(externo, () => Task.CompletedTask, borrarAlTerminar: true);

        if (await DockerRespondeAsync())
        {
            // As many connections as the local cluster takes: the test collections run side by side, each with its pool.
            var contenedor = new PostgreSqlBuilder("postgres:15-alpine").WithCommand("-c", $"max_connections={MaximoDeConexiones}").Build();
            await contenedor.StartAsync();
            return await ConRolesAsync(contenedor.GetConnectionString(), () => contenedor.DisposeAsync().AsTask(), borrarAlTerminar: false);
        }

        return await ClusterLocalAsync();
    }

    /// <summary>
    /// Creates the two roles (LOGIN, a random password: the local cluster trusts loopback, a container or an external
    /// server may not) and a database owned by the owner role. A connection that is no superuser can't: then the
    /// service runs as that connection alone, as a single-role development set-up does, and the privilege test is skipped.
    /// </summary>
    private static async Task<PostgresServer> ConRolesAsync(string conexion, Func<Task> detener, bool borrarAlTerminar)
    {
        await using var admin = new NpgsqlConnection(conexion);
        await admin.OpenAsync();
        if (await EscalarAsync(admin, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user") is not true)
        {
            return new PostgresServer(conexion, conexion, null,
                $"{ConnectionEnvVar} no es un superusuario: no se pueden crear los roles propietario y de la aplicación.", detener);
        }

        var sufijo = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var (propietario, aplicacion, baseDeDatos) = ($"compromisos_owner_{sufijo}", $"compromisos_app_{sufijo}", $"compromisos_{sufijo}");
        var clave = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        // One statement per command: CREATE DATABASE can't run in the implicit transaction of a batch.
        await EscalarAsync(admin, $"CREATE ROLE {propietario} LOGIN PASSWORD '{clave}'");
        await EscalarAsync(admin, $"CREATE ROLE {aplicacion} LOGIN PASSWORD '{clave}'");
        await EscalarAsync(admin, $"CREATE DATABASE {baseDeDatos} OWNER {propietario}");

        string Para(string? rol)
        {
            var b = new NpgsqlConnectionStringBuilder(conexion) { Database = baseDeDatos };
            if (rol is not null) (b.Username, b.Password) = (rol, clave);
            return b.ConnectionString;
        }

        async Task Terminar()
        {
            if (borrarAlTerminar)
            {
                await using var c = new NpgsqlConnection(conexion);
                await c.OpenAsync();
                await EscalarAsync(c, $"DROP DATABASE IF EXISTS {baseDeDatos} WITH (FORCE)");
                await EscalarAsync(c, $"DROP ROLE IF EXISTS {aplicacion}");
                await EscalarAsync(c, $"DROP ROLE IF EXISTS {propietario}");
            }

            await detener();
        }

        return new PostgresServer(Para(null), Para(aplicacion), Para(propietario), null, Terminar)
        {
            _copias = new Copias(conexion, propietario, aplicacion, clave, baseDeDatos),
        };
    }

    /// <summary>The same database, for a while: disposing it runs <paramref name="alTerminar"/> instead of stopping anything.</summary>
    public PostgresServer Prestada(Func<Task> alTerminar) =>
        new(ConnectionString, ConexionAplicacion, ConexionMigraciones, SinRolesSeparados, alTerminar);

    /// <summary>Whether <see cref="CopiarAsync"/> can copy this database (it can't with a single role, which can't create databases).</summary>
    public bool Copiable => _copias is not null;

    /// <summary>
    /// Another database on this server, copied from this one (CREATE DATABASE … TEMPLATE): the same schema, rows,
    /// grants and owner, with the same two roles, in a fraction of a migration's time. PostgreSQL copies only a
    /// database nobody is connected to: copy a template (<see cref="CerrarComoPlantillaAsync"/>). Dropped when disposed.
    /// </summary>
    public async Task<PostgresServer> CopiarAsync()
    {
        var c = _copias ?? throw new InvalidOperationException("Con un solo rol no se crean bases de datos: " + SinRolesSeparados);
        var copia = $"{c.BaseDeDatos}_{Interlocked.Increment(ref _numeroDeCopia)}";
        await using (var admin = await AbrirAdminAsync(c.Admin))
            await EscalarAsync(admin, $"CREATE DATABASE {copia} TEMPLATE {c.BaseDeDatos} OWNER {c.Propietario}");

        string Para(string? rol)
        {
            var b = new NpgsqlConnectionStringBuilder(c.Admin) { Database = copia };
            if (rol is not null) (b.Username, b.Password) = (rol, c.Clave);
            return b.ConnectionString;
        }

        // Dropped when its collection ends, also on a throwaway server: its files and autovacuum go with it, so what runs
        // after (the isolated collection) has the server to itself.
        async Task Borrar()
        {
            await using var admin = await AbrirAdminAsync(c.Admin);
            await EscalarAsync(admin, $"DROP DATABASE IF EXISTS {copia} WITH (FORCE)");
        }

        return new PostgresServer(Para(null), Para(c.Aplicacion), Para(c.Propietario), null, Borrar) { _copias = c with { BaseDeDatos = copia } };
    }

    /// <summary>
    /// Makes this database a template: nobody connects to it any more (connections left over are ended), so that
    /// <see cref="CopiarAsync"/> can always copy it.
    /// </summary>
    public async Task CerrarComoPlantillaAsync()
    {
        var c = _copias ?? throw new InvalidOperationException("Con un solo rol no hay plantilla: " + SinRolesSeparados);
        await using var admin = await AbrirAdminAsync(c.Admin);
        await EscalarAsync(admin, $"ALTER DATABASE {c.BaseDeDatos} ALLOW_CONNECTIONS false");
        await EscalarAsync(admin, $"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '{c.BaseDeDatos}'");
    }

    /// <summary>The superuser on the server's own database, not pooled: it never holds a connection to a template.</summary>
    private static async Task<NpgsqlConnection> AbrirAdminAsync(string admin)
    {
        var conexion = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(admin) { Pooling = false }.ConnectionString);
        await conexion.OpenAsync();
        return conexion;
    }

    private static async Task<object?> EscalarAsync(NpgsqlConnection conexion, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, conexion);
        return await cmd.ExecuteScalarAsync();
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
        var puerto = Puertos.Libre();
        var salida = await EjecutarAsync(script, "start", directorio, puerto.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var conexion = salida.TrimEnd().Split('\n')[^1] + ";Maximum Pool Size=50";

        // A killed test run leaves no server behind for long: the next machine start or this hook stops it.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => DetenerAsync(script, directorio).GetAwaiter().GetResult();
        var servidor = await ConRolesAsync(conexion, () => DetenerAsync(script, directorio), borrarAlTerminar: false);
        (servidor._script, servidor._directorio, servidor._puerto) = (script, directorio, puerto);
        return servidor;
    }

    private static async Task DetenerAsync(string script, string directorio)
    {
        if (!Directory.Exists(directorio)) return;
        await EjecutarAsync(script, "stop", directorio);
        Directory.Delete(directorio, recursive: true);
    }


    private static async Task<string> EjecutarAsync(string script, params string[] argumentos)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(script);
        foreach (var a in argumentos) info.ArgumentList.Add(a);
        // fsync off, and no sync of initdb's files: a test cluster is thrown away, and durability would only slow it.
        info.Environment["PG_LOCAL_OPTIONS"] = $"-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections={MaximoDeConexiones}";
        info.Environment["PG_LOCAL_INITDB_OPTIONS"] = "--no-sync";
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
