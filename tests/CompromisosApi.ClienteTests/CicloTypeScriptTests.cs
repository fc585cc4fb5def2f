using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using CompromisosApi.ClienteTests.Infrastructure;
using CompromisosApi.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace CompromisosApi.ClienteTests;

/// <summary>
/// An integrating system in TypeScript (tests/cliente-ts): with the service on loopback ports, installs the pinned
/// packages (npm ci, from npm's cache when it has them), generates the client's types from api-spec/openapi.json
/// (openapi-typescript), compiles the lifecycle with tsc --strict and runs it under node (openapi-fetch). Each step
/// must exit 0; its output is the failure message. The lifecycle itself, and what it checks, is src/ciclo.ts.
/// </summary>
[Collection(nameof(ClientesGenerados))]
public sealed class CicloTypeScriptTests(ServicioEnLoopback servicio, ITestOutputHelper registro)
{
    private static readonly string Proyecto = Path.Combine(Repositorio.Raiz, "tests", "cliente-ts");

    [Fact]
    public async Task Ciclo_completo_con_el_cliente_TypeScript()
    {
        var version = await EjecutarAsync("node", ["--version"], TimeSpan.FromSeconds(30));
        Assert.True(version.Codigo == 0 && int.TryParse(version.Salida.Trim().TrimStart('v').Split('.')[0], out var mayor) && mayor >= 20,
            $"Se necesita Node.js 20 o posterior (y npm) en el PATH para el cliente TypeScript; node --version: {version.Salida}");

        // No install scripts: none of the packages needs one. --prefer-offline: npm's cache first, the registry for what it lacks.
        await PasoAsync("npm ci", "npm", ["ci", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"], TimeSpan.FromMinutes(5));
        await PasoAsync("generar el cliente (openapi-typescript)", "npm", ["run", "--silent", "generar"], TimeSpan.FromMinutes(2));
        await PasoAsync("compilar (tsc --strict)", "npm", ["run", "--silent", "compilar"], TimeSpan.FromMinutes(3));
        var ciclo = await PasoAsync("ciclo (node)", "npm", ["run", "--silent", "ciclo"], TimeSpan.FromMinutes(2), new()
        {
            ["COMPROMISOS_URL_ABIERTA"] = servicio.Abierto.ToString().TrimEnd('/'),
            ["COMPROMISOS_URL_CERRADA"] = servicio.Cerrado.ToString().TrimEnd('/'),
            ["COMPROMISOS_TOKEN_ADMINISTRADOR"] = Tokens.Crear("ts-admin", ["administrador"]),
            ["COMPROMISOS_TOKEN_ANALISTA"] = Tokens.Crear("ts-analista", ["analista"]),
            ["COMPROMISOS_SUJETO_ANALISTA"] = "ts-analista",
            ["COMPROMISOS_TOKEN_LECTOR"] = Tokens.Crear("ts-lector", []),
        });
        Assert.Contains("ciclo completo", ciclo);
    }

    private async Task<string> PasoAsync(string paso, string programa, string[] argumentos, TimeSpan limite, Dictionary<string, string>? entorno = null)
    {
        var reloj = Stopwatch.StartNew();
        var (codigo, salida) = await EjecutarAsync(programa, argumentos, limite, entorno);
        registro.WriteLine($"== {paso}: {codigo} en {reloj.Elapsed.TotalSeconds:0.0} s\n{salida}");
        Assert.True(codigo == 0, $"{paso} terminó con {codigo}:\n{salida}");
        return salida;
    }

    /// <summary>Runs a program in tests/cliente-ts; its exit code and its output and errors, interleaved as they came.</summary>
    private static async Task<(int Codigo, string Salida)> EjecutarAsync(string programa, string[] argumentos, TimeSpan limite, Dictionary<string, string>? entorno = null)
    {
        var info = new ProcessStartInfo(programa)
        {
            WorkingDirectory = Proyecto,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var a in argumentos) info.ArgumentList.Add(a);
        info.Environment["npm_config_update_notifier"] = "false";
        foreach (var (clave, valor) in entorno ?? []) info.Environment[clave] = valor;

        var salida = new StringBuilder();
        using var proceso = new Process { StartInfo = info };
        proceso.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (salida) salida.AppendLine(e.Data); };
        proceso.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (salida) salida.AppendLine(e.Data); };
        try
        {
            proceso.Start();
        }
        catch (Win32Exception e)
        {
            // CI has Node.js and npm; a machine without them fails here, saying so, rather than skipping the client.
            return (-1, $"No se pudo ejecutar '{programa}' ({e.Message}): instale Node.js 20 o posterior con npm.");
        }

        proceso.StandardInput.Close();
        proceso.BeginOutputReadLine();
        proceso.BeginErrorReadLine();
        using var cts = new CancellationTokenSource(limite);
        try
        {
            await proceso.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            proceso.Kill(entireProcessTree: true);
            await proceso.WaitForExitAsync();
            lock (salida) salida.AppendLine($"(detenido: no terminó en {limite.TotalSeconds} s)");
            return (-1, salida.ToString());
        }

        proceso.WaitForExit(); // the asynchronous readers have delivered every line
        lock (salida) return (proceso.ExitCode, salida.ToString());
    }
}
