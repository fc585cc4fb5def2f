using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using Xunit.Abstractions;
using Xunit.Sdk;

// Test classes go to parallel collections of their own kind (below); as many collections run at once as there are.
[assembly: CollectionBehavior(
    "CompromisosApi.IntegrationTests.Infrastructure.ColeccionesDePrueba", "CompromisosApi.IntegrationTests", MaxParallelThreads = -1)]
// The run's PostgreSQL server outlives every collection: it stops when the assembly's tests end.
[assembly: TestFramework("CompromisosApi.IntegrationTests.Infrastructure.MarcoDePruebas", "CompromisosApi.IntegrationTests")]

namespace CompromisosApi.IntegrationTests.Infrastructure;

/// <summary>
/// Spreads the HTTP test classes (<see cref="PruebaApi"/>) over N parallel collections, N from
/// <c>COMPROMISOS_TEST_COLECCIONES</c> (default <see cref="PorOmision"/>), each collection with a host and a database
/// of its own (<see cref="ApiCollection"/>, which <see cref="PruebaApi"/> names). A class that names another collection
/// keeps it (<see cref="ColeccionAislada"/>); a class that names none is a collection of its own, as xUnit does by
/// default. Classes are dealt longest first to the collection with the least work so far, by the seconds
/// <see cref="Pesos"/> records for the slow ones (1 s for the rest), so that the collections end at about the same time.
/// </summary>
public sealed class ColeccionesDePrueba : IXunitTestCollectionFactory
{
    public const string Variable = "COMPROMISOS_TEST_COLECCIONES";

    /// <summary>Measured on a 2-core machine (README, Two commands).</summary>
    public const int PorOmision = 3;

    /// <summary>Seconds a class took in a sequential run (the slow ones; measured, rough). Only the dealing uses them.</summary>
    private static readonly Dictionary<string, double> Pesos = new(StringComparer.Ordinal)
    {
        ["EstadisticasEquivalenciaTests"] = 30,
        ["WebhooksTests"] = 15,
        ["RondasDeCorteEntradaTests"] = 10,
        ["AlCorteHistoriasAlAzarTests"] = 13,
        ["FuzzContratoTests"] = 10.5,
        ["CuotasTests"] = 5.5,
        ["ProxyInversoTests"] = 5,
        ["PaginacionYConcurrenciaTests"] = 4,
        ["RecordatoriosYEgresoPropuestoTests"] = 4,
        ["AutorizacionTests"] = 3.5,
        ["EvidenciaLimitesTests"] = 3,
        ["CortesTests"] = 3,
        ["EgresoTests"] = 2.5,
        ["BusquedaTests"] = 2.5,
        ["ExportacionMasivaTests"] = 2,
        ["InformeDeLaSemillaTests"] = 2,
        ["InformeFormatosTests"] = 2,
        ["TrabajoDeVencidosTests"] = 2,
        ["AlCorteLecturasTests"] = 1.5,
        ["AlCorteReglaYConsultaTests"] = 1.5,
        ["ConocidoAlLecturasTests"] = 1.5,
        ["EvidenciaDeduplicacionTests"] = 1.5,
        ["EvidenciaTiposTests"] = 1.5,
        ["ExportacionFilasTests"] = 1.5,
        ["EntradaInvalidaTests"] = 1.5,
        ["RegistroTests"] = 1.5,
        ["CalificacionesTests"] = 1.5,
    };

    private readonly ITestAssembly _ensamblado;
    private readonly Dictionary<string, ITypeInfo> _definiciones;
    private readonly Dictionary<Type, int> _reparto;
    private readonly ConcurrentDictionary<string, ITestCollection> _colecciones = new(StringComparer.Ordinal);

    public ColeccionesDePrueba(ITestAssembly testAssembly, IMessageSink diagnosticMessageSink)
    {
        _ensamblado = testAssembly;
        _definiciones = TestCollectionFactoryHelper.GetTestCollectionDefinitions(testAssembly.Assembly, diagnosticMessageSink);
        Cantidad = Leer();
        _reparto = Repartir(typeof(PruebaApi).Assembly.GetExportedTypes().Where(EsParalela), Cantidad);
    }

    /// <summary>How many parallel collections the HTTP tests are spread over.</summary>
    public int Cantidad { get; }

    public string DisplayName => $"{Cantidad} colecciones paralelas";

    public ITestCollection Get(ITypeInfo testClass)
    {
        var tipo = (testClass as IReflectionTypeInfo)?.Type;
        if (tipo is not null && _reparto.TryGetValue(tipo, out var i)) return Coleccion($"{nameof(ApiCollection)} {i + 1} de {Cantidad}", nameof(ApiCollection));

        var atributo = testClass.GetCustomAttributes(typeof(CollectionAttribute)).SingleOrDefault();
        return atributo is not null
            ? Coleccion((string)atributo.GetConstructorArguments().First(), (string)atributo.GetConstructorArguments().First())
            : Coleccion("Test collection for " + testClass.Name, definicion: null);
    }

    private ITestCollection Coleccion(string nombre, string? definicion) =>
        _colecciones.GetOrAdd(nombre, n => new TestCollection(
            _ensamblado, definicion is not null && _definiciones.TryGetValue(definicion, out var d) ? d : null, n));

    /// <summary>A test class of <see cref="ApiCollection"/> (most derived attribute: an HTTP test class that names no other).</summary>
    private static bool EsParalela(Type t) => t is { IsClass: true, IsAbstract: false } && NombreDeColeccion(t) == nameof(ApiCollection);

    private static string? NombreDeColeccion(Type? t)
    {
        for (; t is not null; t = t.BaseType)
        {
            var atributo = t.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType == typeof(CollectionAttribute));
            if (atributo is not null) return atributo.ConstructorArguments[0].Value as string;
        }

        return null;
    }

    private static Dictionary<Type, int> Repartir(IEnumerable<Type> clases, int cantidad)
    {
        var carga = new double[cantidad];
        var reparto = new Dictionary<Type, int>();
        foreach (var clase in clases.OrderByDescending(c => Pesos.GetValueOrDefault(c.Name, 1)).ThenBy(c => c.FullName, StringComparer.Ordinal))
        {
            var i = Array.IndexOf(carga, carga.Min());
            carga[i] += Pesos.GetValueOrDefault(clase.Name, 1);
            reparto[clase] = i;
        }

        return reparto;
    }

    private static int Leer()
    {
        var texto = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(texto)) return PorOmision;
        return int.TryParse(texto, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 16
            ? n
            : throw new InvalidOperationException($"{Variable} debe ser un entero entre 1 y 16 (es «{texto}»).");
    }
}

/// <summary>
/// xUnit's own framework, plus two steps when the assembly's tests end: the run's PostgreSQL server
/// (<see cref="BasesDePrueba"/>) stops then, after the last collection (the isolated one runs last), and the report of
/// the responses checked against the contract is written (<see cref="InformeDeContrato"/>).
/// </summary>
public sealed class MarcoDePruebas(IMessageSink diagnosticMessageSink) : XunitTestFramework(diagnosticMessageSink)
{
    protected override ITestFrameworkExecutor CreateExecutor(AssemblyName assemblyName) =>
        new Ejecutor(assemblyName, SourceInformationProvider, DiagnosticMessageSink);

    private sealed class Ejecutor(AssemblyName assemblyName, ISourceInformationProvider sourceInformationProvider, IMessageSink diagnosticMessageSink)
        : XunitTestFrameworkExecutor(assemblyName, sourceInformationProvider, diagnosticMessageSink)
    {
        protected override async void RunTestCases(IEnumerable<IXunitTestCase> testCases, IMessageSink executionMessageSink, ITestFrameworkExecutionOptions executionOptions)
        {
            using var corredor = new Corredor(TestAssembly, testCases, DiagnosticMessageSink, executionMessageSink, executionOptions);
            await corredor.RunAsync();
        }
    }

    private sealed class Corredor(
        ITestAssembly testAssembly, IEnumerable<IXunitTestCase> testCases, IMessageSink diagnosticMessageSink, IMessageSink executionMessageSink,
        ITestFrameworkExecutionOptions executionOptions)
        : XunitTestAssemblyRunner(testAssembly, testCases, diagnosticMessageSink, executionMessageSink, executionOptions)
    {
        protected override async Task BeforeTestAssemblyFinishedAsync()
        {
            try
            {
                await BasesDePrueba.DetenerAsync();
            }
            catch (Exception e)
            {
                Aggregator.Add(e);
            }

            try
            {
                InformeDeContrato.Escribir();
            }
            catch (Exception e)
            {
                Aggregator.Add(e);
            }

            await base.BeforeTestAssemblyFinishedAsync();
        }
    }
}
