using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Reflection;
using CompromisosApi.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Sdk;

// Names the test a response belongs to, in the report and in the failure (see PruebaEnCurso).
[assembly: PruebaEnCurso]

namespace CompromisosApi.IntegrationTests.Infrastructure;

/// <summary>
/// Remembers, per test class, the test method running (xUnit runs this before every test of the assembly), so that a
/// response names its test. A class's tests run one at a time, so the class says which method.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly)]
public sealed class PruebaEnCursoAttribute : BeforeAfterTestAttribute
{
    private static readonly ConcurrentDictionary<Type, string> Metodos = new();

    public override void Before(MethodInfo methodUnderTest) => Metodos[methodUnderTest.ReflectedType!] = methodUnderTest.Name;

    public static string Nombre(Type? clase)
    {
        if (clase is null) return "(fuera de una prueba)";
        var nombre = clase.FullName!.Replace(clase.Namespace + ".", "", StringComparison.Ordinal).Replace('+', '.');
        return Metodos.TryGetValue(clase, out var metodo) ? $"{nombre}.{metodo}" : nombre;
    }
}
