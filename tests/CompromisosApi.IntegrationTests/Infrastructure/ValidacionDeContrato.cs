using System.Globalization;
using System.IO.Pipelines;
using System.Reflection;
using System.Text;
using CompromisosApi.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace CompromisosApi.IntegrationTests.Infrastructure;

/// <summary>What an undocumented response does: fail the test that caused it, or only go into the report.</summary>
public enum ModoDeContrato
{
    Fallar,
    Informe,
}

/// <summary>
/// Every response of the integration suite is checked against the committed contract (<see cref="ContratoOpenApi"/>).
///
/// Where: a middleware that an <see cref="IStartupFilter"/> puts in front of the whole pipeline of every host the tests
/// start, so it sees each response as it leaves the service (final status and headers, every body byte), whatever
/// the client. That covers, through <see cref="ApiFactory"/> (whose ConfigureWebHost every derived host runs too):
/// <list type="bullet">
/// <item><c>Factory.CreateClient()</c> / <c>CreateClient(options)</c> and the clients of <see cref="PruebaApi"/>
/// (<c>Cliente</c>, <c>ClienteCon</c>, <c>ClienteAnonimo</c>, <see cref="Escenario"/>);</item>
/// <item>hosts made with <c>Factory.WithWebHostBuilder(…)</c> (other configurations, second instances) and their
/// clients;</item>
/// <item>hosts on real Kestrel sockets (<c>UseKestrel</c>) reached with a raw <c>HttpClient</c>, a raw
/// <c>Socket</c> (slow readers) or a browser (Swagger UI);</item>
/// <item><see cref="BaseDeDatosCaidaTests"/>, whose own <c>WebApplicationFactory</c> installs it explicitly.</item>
/// </list>
/// Not covered: the Kiota client test (tests/CompromisosApi.ClienteTests, another project and process), and the
/// template database's one-time host (<see cref="BasesDePrueba"/>), which serves no request.
///
/// It never changes what the client receives: the body is passed on write by write as the service makes it (so slow
/// readers, ranges and streamed exports behave as before), and a copy of at most <see cref="LimiteDelCuerpo"/> bytes is
/// kept only for JSON bodies; a larger one is checked for everything but its body.
///
/// The verdict reaches the test through its end: <see cref="PruebaApi"/>'s DisposeAsync asks its host family's
/// <see cref="ObservadorDeContrato"/> for what the test's requests did, so the test that caused an undocumented
/// response fails, naming the operation, the status and what is wrong (<see cref="ModoDeContrato.Fallar"/>); with
/// <c>COMPROMISOS_VALIDAR_CONTRATO=informe</c> nothing fails and everything goes into the report
/// (<see cref="InformeDeContrato"/>), written when the assembly's tests end.
/// </summary>
public static class ValidacionDeContrato
{
    public const string Variable = "COMPROMISOS_VALIDAR_CONTRATO";
    public const string VariableArchivo = "COMPROMISOS_VALIDAR_CONTRATO_ARCHIVO";
    public const int LimiteDelCuerpo = 4 * 1024 * 1024;

    // An undocumented response fails the test that caused it; COMPROMISOS_VALIDAR_CONTRATO=informe only reports
    // (TestResults/violaciones-contrato.txt), to list them all at once while the contract is being changed.
    private const ModoDeContrato PorOmision = ModoDeContrato.Fallar;

    public static ModoDeContrato Modo { get; } = Leer();

    /// <summary>The report: <c>COMPROMISOS_VALIDAR_CONTRATO_ARCHIVO</c>, or TestResults/violaciones-contrato.txt in the repository.</summary>
    public static string Archivo =>
        Environment.GetEnvironmentVariable(VariableArchivo) is { Length: > 0 } archivo
            ? Path.GetFullPath(archivo)
            : Path.Combine(Repositorio.Raiz, "TestResults", "violaciones-contrato.txt");

    private static ModoDeContrato Leer() => Environment.GetEnvironmentVariable(Variable)?.Trim().ToLowerInvariant() switch
    {
        null or "" => PorOmision,
        "fallar" => ModoDeContrato.Fallar,
        "informe" => ModoDeContrato.Informe,
        var otro => throw new InvalidOperationException($"{Variable} debe ser «fallar» o «informe» (es «{otro}»)."),
    };
}

/// <summary>
/// The checker of one host family (an <see cref="ApiFactory"/> and the hosts derived from it). The tests of a collection
/// run one at a time, so a response belongs to the test that was running when its request arrived.
/// </summary>
public sealed class ObservadorDeContrato
{
    private readonly object _cerrojo = new();
    private readonly List<string> _pendientes = [];
    private volatile Type? _prueba;
    private int _enCurso;
    private int _validadas;
    private int _cuerposValidados;

    /// <summary>Puts the checking middleware in front of the pipeline of the host this builder makes.</summary>
    public void Instalar(IWebHostBuilder builder) =>
        builder.ConfigureTestServices(s => s.AddSingleton<IStartupFilter>(new Filtro(this)));

    public void Comenzar(Type prueba)
    {
        _prueba = prueba;
        // What a test before this one caused after it ended (rare: its TerminarAsync waits) stays in the report only.
        Tomar();
        Interlocked.Exchange(ref _validadas, 0);
        Interlocked.Exchange(ref _cuerposValidados, 0);
    }

    /// <summary>Responses checked since the test began, and how many of them had their body validated against a schema.</summary>
    public (int Validadas, int CuerposValidados) Cuenta => (Volatile.Read(ref _validadas), Volatile.Read(ref _cuerposValidados));

    /// <summary>The violations found since the test began (or since the last call), in the words of the failure.</summary>
    public IReadOnlyList<string> Tomar()
    {
        lock (_cerrojo)
        {
            string[] violaciones = [.. _pendientes];
            _pendientes.Clear();
            return violaciones;
        }
    }

    /// <summary>
    /// Fails the test (in <see cref="ModoDeContrato.Fallar"/>) with the violations of the responses it caused. Waits a
    /// little for requests still being answered (a response a client has whole may still be being checked).
    /// </summary>
    public async Task TerminarAsync()
    {
        if (ValidacionDeContrato.Modo != ModoDeContrato.Fallar) return;
        for (var espera = 0; Volatile.Read(ref _enCurso) > 0 && espera < 500; espera++) await Task.Delay(20);

        var violaciones = Tomar();
        if (violaciones.Count == 0) return;
        throw new ContratoIncumplidoException(
            $"{violaciones.Count} violación(es) de api-spec/openapi.json en las respuestas de esta prueba:\n" + string.Join("\n", violaciones.Take(30)) +
            (violaciones.Count > 30 ? $"\n… y {violaciones.Count - 30} más" : "") +
            $"\n({ValidacionDeContrato.Variable}=informe las anota en {ValidacionDeContrato.Archivo} en vez de fallar.)");
    }

    private async Task ObservarAsync(HttpContext http, RequestDelegate siguiente)
    {
        // Taken before the pipeline runs: routing or a rewrite must not change which request this was.
        var metodo = http.Request.Method;
        var ruta = http.Request.Path.Value ?? "/";
        var solicitud = $"{metodo} {ContratoOpenApi.Extracto(ruta + http.Request.QueryString.Value, 200)}";
        var preflight = HttpMethods.IsOptions(metodo) && http.Request.Headers.ContainsKey("Access-Control-Request-Method");
        var prueba = PruebaEnCursoAttribute.Nombre(_prueba);

        var previo = http.Features.Get<IHttpResponseBodyFeature>()!;
        var cuerpo = new CuerpoObservado(previo, http.Response);
        http.Features.Set<IHttpResponseBodyFeature>(cuerpo);
        Interlocked.Increment(ref _enCurso);
        try
        {
            // An exception that escapes the service's own handler is not checked: the client gets no response the
            // service chose (the test server throws it at the test; Kestrel drops the connection or sends a bare 500).
            await siguiente(http);

            // A client that left, or a connection the service cut (slow readers), never got the whole response.
            if (http.RequestAborted.IsCancellationRequested)
            {
                InformeDeContrato.Interrumpida();
                return;
            }

            var encabezados = http.Response.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            var respuesta = new RespuestaObservada(http.Response.StatusCode, encabezados, cuerpo.Bytes, cuerpo.Copia);
            var veredicto = ContratoOpenApi.Comprometido.Validar(metodo, ruta, respuesta, preflight);
            if (http.RequestServices.GetService<RespuestasFabricadas>() is null)
                InformeDeContrato.Registrar(prueba, solicitud, respuesta.Estado, veredicto, cuerpo.JsonSinCopia);
            if (veredicto.Validada) Interlocked.Increment(ref _validadas);
            if (veredicto.CuerpoValidado) Interlocked.Increment(ref _cuerposValidados);
            if (veredicto.Violaciones.Count > 0)
            {
                // A response that outlived its test says so, rather than pass for one of the test now running.
                var ajena = prueba != PruebaEnCursoAttribute.Nombre(_prueba) ? $"[de {prueba}] " : "";
                lock (_cerrojo)
                {
                    _pendientes.AddRange(veredicto.Violaciones.Select(v =>
                        $"  • {ajena}{v.Operacion} → {v.Estado} ({solicitud}): {v.Tipo}{(v.Detalle.Length > 0 ? " — " + ContratoOpenApi.Extracto(v.Detalle) : "")}"));
                }
            }
        }
        finally
        {
            if (ReferenceEquals(http.Features.Get<IHttpResponseBodyFeature>(), cuerpo)) http.Features.Set(previo);
            Interlocked.Decrement(ref _enCurso);
        }
    }

    private sealed class Filtro(ObservadorDeContrato observador) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(observador.ObservarAsync);
            next(app);
        };
    }
}

public sealed class ContratoIncumplidoException(string message) : Exception(message);

/// <summary>
/// Registered by a host whose answers a test makes up on purpose (the checker's own tests): they are checked like any
/// other, but kept out of the run's report, which is about the service.
/// </summary>
public sealed class RespuestasFabricadas;
