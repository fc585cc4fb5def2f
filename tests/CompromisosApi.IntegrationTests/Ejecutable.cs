using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CompromisosApi.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace CompromisosApi.IntegrationTests;

/// <summary>A program of the machine's (promtool, prometheus), run to completion.</summary>
internal static class Ejecutable
{
    public static bool Existe(string nombre) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, nombre)));

    public static async Task<(int Codigo, string Salida)> CorrerAsync(string nombre, string[] argumentos, string? entrada = null, string? carpeta = null)
    {
        var inicio = new ProcessStartInfo(nombre, argumentos)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = carpeta ?? Environment.CurrentDirectory,
        };
        using var proceso = Process.Start(inicio)!;
        var salida = proceso.StandardOutput.ReadToEndAsync();
        var error = proceso.StandardError.ReadToEndAsync();
        if (entrada is not null) await proceso.StandardInput.WriteAsync(entrada);
        proceso.StandardInput.Close();
        await proceso.WaitForExitAsync();
        return (proceso.ExitCode, await salida + await error);
    }
}
