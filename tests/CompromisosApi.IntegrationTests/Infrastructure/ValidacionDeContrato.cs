using System.Collections.Concurrent;
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
using Xunit.Sdk;

// Names the test a response belongs to, in the report and in the failure (see PruebaEnCurso).
[assembly: PruebaEnCurso]

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

/// <summary>
/// The response body as the service writes it, passed on untouched (every write, flush and completion goes to the
/// server's own body at once, so timing, buffering and back-pressure are the server's), counting the bytes and keeping
/// a copy of a JSON body up to <see cref="ValidacionDeContrato.LimiteDelCuerpo"/>.
/// </summary>
internal sealed class CuerpoObservado(IHttpResponseBodyFeature previo, HttpResponse respuesta) : IHttpResponseBodyFeature
{
    private Stream? _flujo;
    private PipeWriter? _escritor;
    private MemoryStream? _copia;
    private bool _decidido;
    private bool _esJson;
    private bool _completa = true;

    public long Bytes { get; private set; }

    /// <summary>The whole body when it is JSON and within the bound; otherwise null (not checked).</summary>
    public byte[]? Copia => _esJson && _completa ? _copia?.ToArray() : null;

    /// <summary>A JSON body beyond the bound: checked for everything but its body.</summary>
    public bool JsonSinCopia => _esJson && !_completa;

    public Stream Stream => _flujo ??= new Flujo(previo.Stream, this);
    public PipeWriter Writer => _escritor ??= new Escritor(previo.Writer, this);
    public void DisableBuffering() => previo.DisableBuffering();
    public Task StartAsync(CancellationToken cancellationToken = default) => previo.StartAsync(cancellationToken);
    public Task CompleteAsync() => previo.CompleteAsync();

    public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default)
    {
        Bytes += count ?? new FileInfo(path).Length - offset;
        _completa = false;
        return previo.SendFileAsync(path, offset, count, cancellationToken);
    }

    private void Anotar(ReadOnlySpan<byte> datos)
    {
        if (datos.IsEmpty) return;
        Bytes += datos.Length;
        if (!_decidido)
        {
            // The first byte is written after the headers are final: the type decides whether the body is kept.
            _decidido = true;
            _esJson = ContratoOpenApi.EsJson(TipoDeMedio(respuesta.ContentType));
            if (_esJson) _copia = new MemoryStream();
        }

        if (!_esJson || !_completa || _copia is null) return;
        if (_copia.Length + datos.Length > ValidacionDeContrato.LimiteDelCuerpo)
        {
            _completa = false;
            _copia = null;
            return;
        }

        _copia.Write(datos);
    }

    private static string? TipoDeMedio(string? tipo) =>
        tipo is null ? null : tipo.Split(';')[0].Trim().ToLowerInvariant();

    private sealed class Flujo(Stream destino, CuerpoObservado cuerpo) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            cuerpo.Anotar(buffer);
            destino.Write(buffer);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            cuerpo.Anotar(buffer.Span);
            return destino.WriteAsync(buffer, cancellationToken);
        }

        public override void Flush() => destino.Flush();
        public override Task FlushAsync(CancellationToken cancellationToken) => destino.FlushAsync(cancellationToken);
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }

    private sealed class Escritor(PipeWriter destino, CuerpoObservado cuerpo) : PipeWriter
    {
        // What Advance confirms was written into the memory handed out last.
        private Memory<byte> _ultima;

        public override Memory<byte> GetMemory(int sizeHint = 0) => _ultima = destino.GetMemory(sizeHint);
        public override Span<byte> GetSpan(int sizeHint = 0) => (_ultima = destino.GetMemory(sizeHint)).Span;

        public override void Advance(int bytes)
        {
            cuerpo.Anotar(_ultima.Span[..bytes]);
            _ultima = default;
            destino.Advance(bytes);
        }

        public override ValueTask<FlushResult> WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
        {
            cuerpo.Anotar(source.Span);
            return destino.WriteAsync(source, cancellationToken);
        }

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => destino.FlushAsync(cancellationToken);
        public override void CancelPendingFlush() => destino.CancelPendingFlush();
        public override void Complete(Exception? exception = null) => destino.Complete(exception);
        public override ValueTask CompleteAsync(Exception? exception = null) => destino.CompleteAsync(exception);
        public override bool CanGetUnflushedBytes => destino.CanGetUnflushedBytes;
        public override long UnflushedBytes => destino.UnflushedBytes;
    }
}

/// <summary>
/// The run's report: every response checked, grouped by operation, status and kind of violation, with a count and one
/// example each, written to <see cref="ValidacionDeContrato.Archivo"/> when the assembly's tests end
/// (<see cref="MarcoDePruebas"/>), whichever the mode.
/// </summary>
public static class InformeDeContrato
{
    private static readonly object Cerrojo = new();
    private static readonly Dictionary<(string Operacion, int Estado, string Tipo), (int Cuenta, string Ejemplo)> Grupos = [];
    private static readonly Dictionary<string, int> PorOperacion = new(StringComparer.Ordinal);
    private static readonly Dictionary<string, Dictionary<string, int>> NoDocumentados = new(StringComparer.OrdinalIgnoreCase);
    private static long _contraOperacion, _fueraBajoLaBase, _noValidadas, _interrumpidas, _conViolaciones, _cuerpos, _cuerposGrandes;

    public static void Interrumpida() => Interlocked.Increment(ref _interrumpidas);

    public static void Registrar(string prueba, string solicitud, int estado, Veredicto veredicto, bool cuerpoDemasiadoGrande = false)
    {
        lock (Cerrojo)
        {
            if (!veredicto.Validada)
            {
                _noValidadas++;
                return;
            }

            if (veredicto.Operacion.StartsWith("(fuera del contrato)", StringComparison.Ordinal)) _fueraBajoLaBase++;
            else _contraOperacion++;
            PorOperacion[veredicto.Operacion] = PorOperacion.GetValueOrDefault(veredicto.Operacion) + 1;
            if (veredicto.Violaciones.Count > 0) _conViolaciones++;
            if (veredicto.CuerpoValidado) _cuerpos++;
            if (cuerpoDemasiadoGrande) _cuerposGrandes++;
            foreach (var encabezado in veredicto.EncabezadosNoDocumentados ?? [])
            {
                var donde = NoDocumentados.TryGetValue(encabezado, out var d) ? d : NoDocumentados[encabezado] = new(StringComparer.Ordinal);
                var clave = $"{veredicto.Operacion} {estado}";
                donde[clave] = donde.GetValueOrDefault(clave) + 1;
            }

            foreach (var v in veredicto.Violaciones)
            {
                var clave = (v.Operacion, v.Estado, v.Tipo);
                Grupos[clave] = Grupos.TryGetValue(clave, out var g)
                    ? (g.Cuenta + 1, g.Ejemplo)
                    : (1, $"{prueba}: {solicitud} → {v.Estado}{(v.Detalle.Length > 0 ? " — " + v.Detalle : "")}");
            }
        }
    }

    /// <summary>Writes the report, if this run sent any request (a run of the validator's own tests alone leaves the last one).</summary>
    public static void Escribir()
    {
        string texto;
        lock (Cerrojo)
        {
            var validadas = _contraOperacion + _fueraBajoLaBase;
            if (validadas + _noValidadas + _interrumpidas == 0) return;
            texto = Componer(validadas);
        }

        var archivo = ValidacionDeContrato.Archivo;
        Directory.CreateDirectory(Path.GetDirectoryName(archivo)!);
        File.WriteAllText(archivo, texto, new UTF8Encoding(false));
    }

    private static string Componer(long validadas)
    {
        var s = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        s.AppendLine(inv, $"Respuestas de la suite de integración contra api-spec/openapi.json ({ValidacionDeContrato.Variable}={ValidacionDeContrato.Modo.ToString().ToLowerInvariant()})");
        s.AppendLine(inv, $"Validadas: {validadas} ({_contraOperacion} de operaciones del contrato, {_fueraBajoLaBase} de solicitudes bajo {ContratoOpenApi.Comprometido.Base} que no llegan a ninguna operación).");
        s.AppendLine(inv, $"No validadas: {_noValidadas} fuera de {ContratoOpenApi.Comprometido.Base} o preflight CORS; {_interrumpidas} interrumpidas (el cliente no recibió la respuesta entera).");
        s.AppendLine(inv, $"Cuerpos JSON validados contra su esquema: {_cuerpos}; {_cuerposGrandes} mayores que {ValidacionDeContrato.LimiteDelCuerpo / (1024 * 1024)} MB (validados salvo el cuerpo).");
        s.AppendLine(inv, $"Con alguna violación: {_conViolaciones} respuestas; {Grupos.Count} grupos (operación + estado + tipo), {Grupos.Values.Sum(g => g.Cuenta)} violaciones.");
        s.AppendLine();
        s.AppendLine("Grupos con más violaciones:");
        foreach (var ((op, estado, tipo), g) in Grupos.OrderByDescending(g => g.Value.Cuenta).ThenBy(g => g.Key.Operacion, StringComparer.Ordinal).Take(25))
            s.AppendLine(inv, $"  {g.Cuenta,6}  {op} {estado}: {tipo}");

        s.AppendLine();
        s.AppendLine("Todos los grupos, por operación (respuestas validadas de la operación entre corchetes):");
        foreach (var porOperacion in Grupos.GroupBy(g => g.Key.Operacion).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            s.AppendLine();
            s.AppendLine(inv, $"== {porOperacion.Key} [{PorOperacion.GetValueOrDefault(porOperacion.Key)}]");
            foreach (var ((_, estado, tipo), g) in porOperacion.OrderBy(g => g.Key.Estado).ThenBy(g => g.Key.Tipo, StringComparer.Ordinal))
            {
                s.AppendLine(inv, $"  {estado} {tipo}: {g.Cuenta}");
                s.AppendLine(inv, $"      ejemplo: {ContratoOpenApi.Extracto(g.Ejemplo, 700)}");
            }
        }

        s.AppendLine();
        s.AppendLine("Informativo (no es violación: OpenAPI admite encabezados no declarados): encabezados que el servicio envió y que");
        s.AppendLine("la respuesta documentada (operación + estado) no declara; los de pocas respuestas primero. Respuestas, y dónde:");
        foreach (var (encabezado, donde) in NoDocumentados.OrderBy(e => e.Value.Count).ThenBy(e => e.Key, StringComparer.OrdinalIgnoreCase))
        {
            var lugares = donde.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => d.Key).ToList();
            // Sent nearly everywhere (security and cache headers): the count says enough.
            var lista = lugares.Count <= 30 ? string.Join(", ", lugares) : $"p. ej. {string.Join(", ", lugares.Take(4))}, …";
            s.AppendLine(inv, $"  {encabezado}: {donde.Values.Sum()} respuestas en {lugares.Count} (operación, estado): {lista}");
        }

        return s.ToString();
    }
}

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
