using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Npgsql;
using Testcontainers.PostgreSql;

namespace CompromisosApi.IntegrationTests.Infrastructure;

/// <summary>
/// A PostgreSQL server the integration tests own: an externally provided one
/// (COMPROMISOS_TEST_CONNECTION), a Testcontainers container when a Docker daemon answers,
/// or else a throwaway local cluster built with the machine's initdb/pg_ctl.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    public const string ConnectionEnvVar = "COMPROMISOS_TEST_CONNECTION";
    private const string DatabaseName = "compromisos_test";
    private const string DockerImage = "postgres:15-alpine";

    private readonly Func<Task> _dispose;
    private int _disposed;

    private PostgresServer(string connectionString, Func<Task> dispose)
    {
        ConnectionString = connectionString;
        _dispose = dispose;
    }

    public string ConnectionString { get; }

    public static async Task<PostgresServer> StartAsync()
    {
        var external = Environment.GetEnvironmentVariable(ConnectionEnvVar);
        if (!string.IsNullOrWhiteSpace(external))
        {
            return new PostgresServer(external, () => Task.CompletedTask);
        }

        if (await DockerAvailableAsync())
        {
            return await StartContainerAsync();
        }

        var cluster = await LocalCluster.StartAsync();
        return new PostgresServer(cluster.ConnectionString, cluster.DisposeAsync);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _dispose();
        }
    }

    private static async Task<PostgresServer> StartContainerAsync()
    {
        var container = new PostgreSqlBuilder(DockerImage)
            .WithDatabase(DatabaseName)
            .WithUsername("postgres")
            .WithPassword("postgres")
            .Build();
        await container.StartAsync();
        return new PostgresServer(container.GetConnectionString(), () => container.DisposeAsync().AsTask());
    }

    // A stale socket file or an unreachable DOCKER_HOST must not send every run into a
    // Testcontainers timeout, so the daemon has to answer /_ping within the budget.
    private static async Task<bool> DockerAvailableAsync()
    {
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(1000));
            var dockerHost = Environment.GetEnvironmentVariable("DOCKER_HOST");
            if (!string.IsNullOrWhiteSpace(dockerHost))
            {
                if (!Uri.TryCreate(dockerHost, UriKind.Absolute, out var uri))
                {
                    return false;
                }

                switch (uri.Scheme)
                {
                    case "unix":
                        return await PingAsync(new UnixDomainSocketEndPoint(uri.AbsolutePath), ProtocolType.Unspecified, speaksHttp: true, cts.Token);
                    case "tcp":
                        var tls = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOCKER_TLS_VERIFY"));
                        var port = uri.IsDefaultPort || uri.Port <= 0 ? (tls ? 2376 : 2375) : uri.Port;
                        return await PingAsync(new DnsEndPoint(uri.Host, port), ProtocolType.Tcp, speaksHttp: !tls, cts.Token);
                    default:
                        // npipe/ssh cannot be probed cheaply here; trust the explicit configuration.
                        return true;
                }
            }

            const string defaultSocket = "/var/run/docker.sock";
            return File.Exists(defaultSocket)
                && await PingAsync(new UnixDomainSocketEndPoint(defaultSocket), ProtocolType.Unspecified, speaksHttp: true, cts.Token);
        }
        catch
        {
            return false;
        }
    }

    private static async Task<bool> PingAsync(EndPoint endPoint, ProtocolType protocol, bool speaksHttp, CancellationToken ct)
    {
        try
        {
            var family = endPoint is DnsEndPoint ? AddressFamily.Unspecified : endPoint.AddressFamily;
            using var socket = family == AddressFamily.Unspecified
                ? new Socket(SocketType.Stream, protocol)
                : new Socket(family, SocketType.Stream, protocol);
            await socket.ConnectAsync(endPoint, ct);
            if (!speaksHttp)
            {
                return true;
            }

            var request = Encoding.ASCII.GetBytes("GET /_ping HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n\r\n");
            await socket.SendAsync(request, SocketFlags.None, ct);
            var buffer = new byte[256];
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, ct);
            var status = Encoding.ASCII.GetString(buffer, 0, read);
            return status.StartsWith("HTTP/1.", StringComparison.Ordinal) && status.Contains(" 200 ", StringComparison.Ordinal);
        }
        catch
        {
            return false;
        }
    }

    private sealed class LocalCluster
    {
        private const int MaxStartAttempts = 5;

        private readonly string _binDir;
        private readonly string _baseDir;
        private readonly string _dataDir;
        private readonly bool _asPostgresUser;
        private Process? _watchdog;
        private EventHandler? _processExitHandler;
        private int _stopped;

        private LocalCluster(string binDir, string baseDir, bool asPostgresUser)
        {
            _binDir = binDir;
            _baseDir = baseDir;
            _dataDir = Path.Combine(baseDir, "data");
            _asPostgresUser = asPostgresUser;
        }

        public string ConnectionString { get; private set; } = "";

        private string LogFile => Path.Combine(_baseDir, "postgres.log");

        private string PgCtl => Path.Combine(_binDir, "pg_ctl");

        public static async Task<LocalCluster> StartAsync()
        {
            var binDir = FindBinDir() ?? throw new InvalidOperationException(
                "No Docker daemon answered and no PostgreSQL server binaries (initdb, pg_ctl) were found on PATH " +
                "or in /usr/lib/postgresql/*/bin. Install them (Debian/Ubuntu: apt-get install -y postgresql), " +
                "run scripts/test.sh (it installs them), or set " + ConnectionEnvVar + " to an existing server.");

            var asPostgresUser = IsRoot();
            // As root the cluster runs as 'postgres', which must be able to traverse every parent
            // of the data dir; a TMPDIR under /root would not be.
            var tempRoot = asPostgresUser ? "/tmp" : Path.GetTempPath();
            var baseDir = Path.Combine(tempRoot, "compromisos-pg-" + Guid.NewGuid().ToString("N")[..12]);
            Directory.CreateDirectory(baseDir);

            var cluster = new LocalCluster(binDir, baseDir, asPostgresUser);
            try
            {
                await cluster.InitAsync();
                await cluster.StartServerAsync();
                await cluster.CreateDatabaseAsync();
                return cluster;
            }
            catch
            {
                await cluster.DisposeAsync();
                throw;
            }
        }

        public Task DisposeAsync()
        {
            StopAndDelete();
            return Task.CompletedTask;
        }

        private async Task InitAsync()
        {
            if (_asPostgresUser)
            {
                if (!PostgresUserExists())
                {
                    throw new InvalidOperationException(
                        "Running as root but there is no 'postgres' system user to own the throwaway cluster " +
                        "(initdb refuses to run as root). Install the Debian package 'postgresql' or run the tests as a non-root user.");
                }

                var chown = await RunAsync("chown", ["postgres:postgres", _baseDir], null, TimeSpan.FromSeconds(30));
                EnsureSuccess(chown, "chown of the cluster directory");
            }

            var initdb = Path.Combine(_binDir, "initdb");
            ProcessResult result = default;
            foreach (var locale in new[] { "C.UTF-8", "C" })
            {
                result = await RunAsync(initdb,
                    ["-D", _dataDir, "-A", "trust", "-U", "postgres", "--encoding=UTF8", "--locale=" + locale, "--no-sync"],
                    _baseDir, TimeSpan.FromMinutes(2), _asPostgresUser);
                if (result.ExitCode == 0)
                {
                    return;
                }

                // A failed initdb leaves a partial data dir behind; the next locale needs it gone.
                TryDeleteDirectory(_dataDir);
            }

            EnsureSuccess(result, "initdb");
        }

        private async Task StartServerAsync()
        {
            ProcessResult result = default;
            for (var attempt = 1; attempt <= MaxStartAttempts; attempt++)
            {
                // The port is free now but may be taken by a parallel run before postgres binds it,
                // hence the retry on a fresh port.
                var port = FreeTcpPort();
                var options = string.Join(' ',
                    "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    "-k", _baseDir,
                    "-c", "listen_addresses=127.0.0.1",
                    "-c", "fsync=off",
                    "-c", "synchronous_commit=off",
                    "-c", "full_page_writes=off",
                    "-c", "max_connections=200");
                result = await RunAsync(PgCtl,
                    ["start", "-w", "-t", "60", "-D", _dataDir, "-l", LogFile, "-o", options],
                    _baseDir, TimeSpan.FromSeconds(90), _asPostgresUser);

                if (result.ExitCode == 0)
                {
                    ConnectionString = new NpgsqlConnectionStringBuilder
                    {
                        Host = "127.0.0.1",
                        Port = port,
                        Username = "postgres",
                        Database = DatabaseName,
                        Pooling = true,
                    }.ConnectionString;
                    RegisterCleanupOnExit();
                    return;
                }

                var log = ReadLogTail();
                if (!log.Contains("could not bind", StringComparison.OrdinalIgnoreCase)
                    && !log.Contains("Address already in use", StringComparison.OrdinalIgnoreCase))
                {
                    break;
                }

                // The postmaster may have written a pid file before failing to bind.
                await RunAsync(PgCtl, ["stop", "-D", _dataDir, "-m", "immediate"], _baseDir, TimeSpan.FromSeconds(30), _asPostgresUser);
            }

            EnsureSuccess(result, "pg_ctl start");
        }

        private async Task CreateDatabaseAsync()
        {
            var admin = new NpgsqlConnectionStringBuilder(ConnectionString)
            {
                Database = "postgres",
                Pooling = false,
            };
            await using var connection = new NpgsqlConnection(admin.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {DatabaseName}", connection);
            await command.ExecuteNonQueryAsync();
        }

        private void RegisterCleanupOnExit()
        {
            // ProcessExit covers a normal exit or SIGTERM without DisposeAsync having run.
            _processExitHandler = (_, _) => StopAndDelete();
            AppDomain.CurrentDomain.ProcessExit += _processExitHandler;

            // ProcessExit does not run on SIGKILL (e.g. the test host killed by a hang timeout);
            // a detached watcher makes the postmaster die with us anyway. The script is constant;
            // values are passed as positional parameters, never spliced into it.
            const string script = """
                exec </dev/null >/dev/null 2>&1
                alive() { kill -0 "$1" && ! grep -qs '^State:[[:space:]]*Z' "/proc/$1/status"; }
                while alive "$1"; do sleep 1; done
                pid=$(head -n 1 "$2/postmaster.pid") || pid=
                if [ -n "$pid" ]; then
                  kill -QUIT "$pid"
                  i=0
                  while alive "$pid" && [ "$i" -lt 50 ]; do sleep 0.2; i=$((i + 1)); done
                fi
                rm -rf "$3"
                """;
            try
            {
                var psi = new ProcessStartInfo("/bin/sh")
                {
                    UseShellExecute = false,
                    RedirectStandardInput = true,
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    WorkingDirectory = "/",
                };
                foreach (var arg in new[] { "-c", script, "compromisos-pg-watchdog", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), _dataDir, _baseDir })
                {
                    psi.ArgumentList.Add(arg);
                }

                _watchdog = Process.Start(psi);
            }
            catch
            {
                // Best effort only: without /bin/sh, DisposeAsync and ProcessExit still clean up.
            }
        }

        // Synchronous on purpose: it also runs from ProcessExit, where awaiting is not an option.
        private void StopAndDelete()
        {
            if (Interlocked.Exchange(ref _stopped, 1) != 0)
            {
                return;
            }

            if (_processExitHandler is not null)
            {
                AppDomain.CurrentDomain.ProcessExit -= _processExitHandler;
            }

            try
            {
                if (File.Exists(Path.Combine(_dataDir, "postmaster.pid")))
                {
                    RunAsync(PgCtl, ["stop", "-w", "-t", "30", "-D", _dataDir, "-m", "immediate"], _baseDir, TimeSpan.FromSeconds(40), _asPostgresUser)
                        .GetAwaiter().GetResult();
                }
            }
            catch
            {
                // Deleting the directory below still makes a leaked postmaster shut itself down.
            }

            try
            {
                if (_watchdog is { HasExited: false })
                {
                    _watchdog.Kill();
                }

                _watchdog?.Dispose();
            }
            catch
            {
                // Already gone.
            }

            TryDeleteDirectory(_baseDir);
        }

        private string ReadLogTail()
        {
            try
            {
                if (!File.Exists(LogFile))
                {
                    return "";
                }

                var text = File.ReadAllText(LogFile);
                return text.Length > 4000 ? text[^4000..] : text;
            }
            catch (Exception ex)
            {
                return "(could not read " + LogFile + ": " + ex.Message + ")";
            }
        }

        private void EnsureSuccess(ProcessResult result, string what)
        {
            if (result.ExitCode == 0)
            {
                return;
            }

            var message = new StringBuilder()
                .Append(what).Append(" failed (exit code ").Append(result.ExitCode).Append(") for throwaway cluster in ")
                .AppendLine(_baseDir)
                .Append("command: ").AppendLine(result.CommandLine);
            if (!string.IsNullOrWhiteSpace(result.StdErr))
            {
                message.AppendLine("stderr:").AppendLine(result.StdErr.Trim());
            }

            if (!string.IsNullOrWhiteSpace(result.StdOut))
            {
                message.AppendLine("stdout:").AppendLine(result.StdOut.Trim());
            }

            var log = ReadLogTail();
            if (!string.IsNullOrWhiteSpace(log))
            {
                message.AppendLine("server log (tail):").AppendLine(log.Trim());
            }

            throw new InvalidOperationException(message.ToString());
        }

        private static string? FindBinDir()
        {
            static bool HasBinaries(string dir) =>
                File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl"));

            var path = Environment.GetEnvironmentVariable("PATH") ?? "";
            foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                if (HasBinaries(dir))
                {
                    return dir;
                }
            }

            const string debianRoot = "/usr/lib/postgresql";
            if (!Directory.Exists(debianRoot))
            {
                return null;
            }

            return Directory.GetDirectories(debianRoot)
                .Select(dir => (Dir: Path.Combine(dir, "bin"), Version: ParseVersion(Path.GetFileName(dir))))
                .Where(candidate => candidate.Version is not null && HasBinaries(candidate.Dir))
                .OrderByDescending(candidate => candidate.Version)
                .Select(candidate => candidate.Dir)
                .FirstOrDefault();
        }

        private static Version? ParseVersion(string name) =>
            Version.TryParse(name.Contains('.') ? name : name + ".0", out var version) ? version : null;

        private static bool IsRoot()
        {
            try
            {
                foreach (var line in File.ReadLines("/proc/self/status"))
                {
                    if (line.StartsWith("Uid:", StringComparison.Ordinal))
                    {
                        // Uid: real effective saved fs
                        var fields = line[4..].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                        return fields.Length > 1 && fields[1] == "0";
                    }
                }
            }
            catch
            {
                // Not Linux: fall back to the user name.
            }

            return Environment.UserName == "root";
        }

        private static bool PostgresUserExists()
        {
            try
            {
                return File.ReadLines("/etc/passwd").Any(line => line.StartsWith("postgres:", StringComparison.Ordinal));
            }
            catch
            {
                // Unknown: let runuser report the problem.
                return true;
            }
        }

        private static int FreeTcpPort()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            try
            {
                return ((IPEndPoint)listener.LocalEndpoint).Port;
            }
            finally
            {
                listener.Stop();
            }
        }

        private static void TryDeleteDirectory(string dir)
        {
            try
            {
                if (Directory.Exists(dir))
                {
                    Directory.Delete(dir, recursive: true);
                }
            }
            catch
            {
                // A leftover temp dir is not worth failing a test run for.
            }
        }

        private static async Task<ProcessResult> RunAsync(
            string fileName, IReadOnlyList<string> arguments, string? workingDirectory, TimeSpan timeout, bool asPostgresUser = false)
        {
            var args = new List<string>(arguments);
            if (asPostgresUser)
            {
                // initdb and pg_ctl refuse to run as root.
                args.InsertRange(0, ["-u", "postgres", "--", fileName]);
                fileName = File.Exists("/usr/sbin/runuser") ? "/usr/sbin/runuser" : File.Exists("/sbin/runuser") ? "/sbin/runuser" : "runuser";
            }

            var psi = new ProcessStartInfo(fileName)
            {
                UseShellExecute = false,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                // The test host's cwd may not be readable by 'postgres'.
                WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
            };
            foreach (var arg in args)
            {
                psi.ArgumentList.Add(arg);
            }

            psi.Environment["LC_MESSAGES"] = "C";
            var commandLine = fileName + " " + string.Join(' ', args.Select(a => a.Contains(' ') ? "\"" + a + "\"" : a));

            using var process = new Process { StartInfo = psi };
            try
            {
                process.Start();
            }
            catch (Exception ex)
            {
                return new ProcessResult(-1, "", "could not start process: " + ex.Message, commandLine);
            }

            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var cts = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                try
                {
                    process.Kill(entireProcessTree: true);
                }
                catch
                {
                    // Exited meanwhile.
                }

                return new ProcessResult(-1, await SafeAsync(stdout), $"timed out after {timeout.TotalSeconds:0}s\n" + await SafeAsync(stderr), commandLine);
            }

            return new ProcessResult(process.ExitCode, await stdout, await stderr, commandLine);
        }

        private static async Task<string> SafeAsync(Task<string> task)
        {
            try
            {
                return await task.WaitAsync(TimeSpan.FromSeconds(2));
            }
            catch
            {
                return "";
            }
        }

        private readonly record struct ProcessResult(int ExitCode, string StdOut, string StdErr, string CommandLine);
    }
}
