using System.Diagnostics;
using System.Text;

namespace CompromisosApi.IntegrationTests.Infrastructure;

/// <summary>
/// The service as a deployment runs it: the Release build's dll in a process of its own, on loopback, with what it
/// writes to stdout and stderr kept. For what a test host cannot show: signals, the console's real output.
/// </summary>
internal sealed class ServicioEnProceso : IDisposable
{
    public static string Dll { get; } = Path.Combine(Repositorio.Raiz, "src", "CompromisosApi", "bin", "Release", "net10.0", "CompromisosApi.dll");

    private readonly StringBuilder _registro = new();

    public Process Proceso { get; }

    public Uri Url { get; }

    /// <summary>Starts it on the tests' database (migrated already), trusting the tests' tokens; <paramref name="ajustes"/> add to or override the settings.</summary>
    public ServicioEnProceso(string conexion, IReadOnlyDictionary<string, string>? ajustes = null)
    {
        var puerto = Puertos.Libre();
        Url = new Uri($"http://127.0.0.1:{puerto}");
        var inicio = new ProcessStartInfo("dotnet", [Dll])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(Dll)!,
        };
        var entorno = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Testing",
            ["ASPNETCORE_URLS"] = Url.ToString().TrimEnd('/'),
            ["ConnectionStrings__Compromisos"] = conexion,
            ["Database__ApplyMigrations"] = "false",
            ["Authentication__Schemes__Bearer__ValidIssuer"] = Tokens.Emisor,
            ["Authentication__Schemes__Bearer__ValidAudiences__0"] = Tokens.Audiencia,
            ["Authentication__Schemes__Bearer__SigningKeys__0__Issuer"] = Tokens.Emisor,
            ["Authentication__Schemes__Bearer__SigningKeys__0__Value"] = Convert.ToBase64String(Tokens.Clave),
            ["LimitesDeUso__SolicitudesPorMinuto"] = "1000000",
            ["LimitesDeUso__SolicitudesAnonimasPorMinuto"] = "1000000",
            ["TareasProgramadas__Habilitado"] = "false",
        };
        foreach (var (k, v) in ajustes ?? new Dictionary<string, string>()) entorno[k] = v;
        foreach (var (k, v) in entorno) inicio.Environment[k] = v;
        Proceso = Process.Start(inicio)!;
        Proceso.OutputDataReceived += (_, e) => { lock (_registro) _registro.AppendLine(e.Data); };
        Proceso.ErrorDataReceived += (_, e) => { lock (_registro) _registro.AppendLine(e.Data); };
        Proceso.BeginOutputReadLine();
        Proceso.BeginErrorReadLine();
    }

    /// <summary>What it has written so far, stdout and stderr interleaved.</summary>
    public string Registro()
    {
        lock (_registro) return _registro.ToString();
    }

    public Task EsperarListoAsync() => Feed.EsperarAsync(async () =>
    {
        using var c = new HttpClient { BaseAddress = Url };
        try
        {
            return (await c.GetAsync("/health/live")).IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false; // still starting
        }
    }, () => "El proceso no respondió /health/live:\n" + Registro(), segundos: 60);

    public void Dispose()
    {
        if (!Proceso.HasExited) Proceso.Kill(entireProcessTree: true);
        Proceso.Dispose();
    }
}
