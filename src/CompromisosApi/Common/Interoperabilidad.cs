using System.Security.Claims;
using System.Text.RegularExpressions;
using FluentValidation.Results;
using Microsoft.AspNetCore.Diagnostics;

namespace CompromisosApi.Common;

public static partial class Interoperabilidad
{
    public const int LargoOrganismo = 50;
    public const int LargoRun = 10;
    public const int LargoProcedimiento = 100;
    public const int LargoTransaccion = 100;
    public const int LargoRecurso = 200;
    public const int LargoSujeto = 200;

    /// <summary>Codes: letters, digits and . _ - (a budget code "13.01", a network code "AB-001"), starting with a letter or digit.</summary>
    public const string PatronOrganismo = "^[A-Za-z0-9][A-Za-z0-9._-]{0,49}$";

    /// <summary>A RUN without dots: its number, a hyphen and its check digit (0-9 or K).</summary>
    public const string PatronRun = "^[1-9][0-9]{0,7}-[0-9Kk]$";

    public const string PatronProcedimiento = "^[A-Za-z0-9][A-Za-z0-9._:/-]{0,99}$";

    /// <summary>A UUID fits, as does any id of the network's own: letters, digits and . _ : -.</summary>
    public const string PatronTransaccion = "^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$";

    // .NET's $ also matches before a final "\n": \z does not.
    private static Regex Exacto(string patron) => new(patron[..^1] + @"\z", RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));

    private static readonly Regex Organismo = Exacto(PatronOrganismo);
    private static readonly Regex RunFormato = Exacto(PatronRun);
    private static readonly Regex Procedimiento = Exacto(PatronProcedimiento);
    private static readonly Regex Transaccion = Exacto(PatronTransaccion);

    /// <summary>
    /// A RUN in the form 12345678-5 whose check digit holds (módulo 11: the digits from the right times 2, 3 … 7, 2 …;
    /// 11 − the sum mod 11, where 11 is 0 and 10 is K), with K upper case; otherwise null.
    /// </summary>
    public static string? RunValido(string? valor)
    {
        if (valor is null || valor.Length > LargoRun || !RunFormato.IsMatch(valor)) return null;
        var guion = valor.IndexOf('-');
        var (suma, factor) = (0, 2);
        for (var i = guion - 1; i >= 0; i--)
        {
            suma += (valor[i] - '0') * factor;
            factor = factor == 7 ? 2 : factor + 1;
        }

        var resto = 11 - suma % 11;
        var dv = resto switch { 11 => '0', 10 => 'K', _ => (char)('0' + resto) };
        return char.ToUpperInvariant(valor[^1]) == dv ? valor[..guion] + "-" + dv : null;
    }

    /// <summary>The options, and the trace's writer and partition task unless Interoperabilidad:Trazas:Habilitada=false.</summary>
    public static IServiceCollection AddInteroperabilidad(this IServiceCollection services, IConfiguration config)
    {
        Opciones(services);
        if (!config.GetValue($"{OpcionesInteroperabilidad.Seccion}:Trazas:Habilitada", true)) return services;
        services.AddSingleton<EscritorDeTrazas>();
        services.AddSingleton<IRegistroDeTrazas>(sp => sp.GetRequiredService<EscritorDeTrazas>());
        services.AddHostedService(sp => sp.GetRequiredService<EscritorDeTrazas>());
        return services.AddTareaProgramada<MantenimientoDeTrazas>();
    }

    private static IServiceCollection Opciones(IServiceCollection services) => services
        .AddOptions<OpcionesInteroperabilidad>().BindConfiguration(OpcionesInteroperabilidad.Seccion)
        .Validate(o => o.Trazas.MesesDeRetencion >= OpcionesTrazas.RetencionMinima,
            $"Interoperabilidad:Trazas:MesesDeRetencion no puede ser menor que {OpcionesTrazas.RetencionMinima}: la norma pide guardar los registros de eventos al menos 12 meses.")
        .Validate(o => o.Trazas.Capacidad > 0 && o.Trazas.Lote > 0 && o.Trazas.Lote <= o.Trazas.Capacidad && o.Trazas.Intervalo >= TimeSpan.Zero
                && o.Trazas.MesesAdelantados is >= 1 and <= 24,
            "Interoperabilidad:Trazas: Capacidad > 0, 0 < Lote ≤ Capacidad, Intervalo ≥ 0 y MesesAdelantados entre 1 y 24.")
        .Validate(o => o.Trazas.CodigoProveedor is { Length: > 0 } c && Organismo.IsMatch(c),
            "Interoperabilidad:Trazas:CodigoProveedor debe ser un código (letras, dígitos, . _ -; hasta 50).")
        .Validate(o => o.Encabezados.Todos().All(n => n is { Length: > 0 and <= 100 } && NombreDeEncabezado().IsMatch(n))
                && o.Encabezados.Todos().Distinct(StringComparer.OrdinalIgnoreCase).Count() == 4
                && ClaimValido().IsMatch(o.ClaimRun ?? ""),
            "Interoperabilidad:Encabezados: cuatro nombres de encabezado HTTP distintos; Interoperabilidad:ClaimRun: un nombre de claim.")
        .ValidateOnStart().Services;

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9-]*\z")]
    private static partial Regex NombreDeEncabezado();

    [GeneratedRegex(@"^[A-Za-z0-9_.:/-]{1,200}\z")]
    private static partial Regex ClaimValido();

    /// <summary>
    /// Outermost for the API (after the proxies and before the exception handler, so that it sees every answer's final
    /// status): reads the network's headers, echoes the transaction id on every answer, errors included, and when the
    /// request is over hands its trace to the writer. Only under /api/v1: probes, metrics and Swagger UI are no transactions.
    /// </summary>
    public static IApplicationBuilder UseTrazaDeTransacciones(this IApplicationBuilder app)
    {
        var o = app.ApplicationServices.GetRequiredService<IOptions<OpcionesInteroperabilidad>>().Value;
        var encabezados = o.Encabezados;
        var claimRun = o.ClaimRun;
        var registro = o.Trazas.Habilitada ? app.ApplicationServices.GetRequiredService<IRegistroDeTrazas>() : null;
        var reloj = app.ApplicationServices.GetRequiredService<TimeProvider>();
        return app.Use(async (http, next) =>
        {
            if (!http.Request.Path.StartsWithSegments(Http.Base))
            {
                await next(http);
                return;
            }

            var solicitud = Leer(http.Request.Headers, encabezados);
            http.Features.Set(solicitud);
            // Now, for answers without a body (204, 304), and again at send time: the exception handler clears the
            // headers of the answer it replaces.
            http.Response.Headers[encabezados.TransaccionId] = solicitud.TransaccionId;
            http.Response.OnStarting(static estado =>
            {
                var (h, nombre, id) = ((HttpContext, string, string))estado;
                h.Response.Headers[nombre] = id;
                return Task.CompletedTask;
            }, (http, encabezados.TransaccionId, solicitud.TransaccionId));
            if (registro is null)
            {
                await next(http);
                return;
            }

            var ocurrida = reloj.GetUtcNow();
            var inicio = reloj.GetTimestamp();
            var fallo = false;
            try
            {
                await next(http);
            }
            catch
            {
                // Not handled by the exception handler: the server answers 500.
                fallo = true;
                throw;
            }
            finally
            {
                registro.Registrar(Traza(http, solicitud, claimRun, ocurrida, (int)Math.Min(int.MaxValue, reloj.GetElapsedTime(inicio).TotalMilliseconds), fallo));
            }
        });
    }

    /// <summary>After the rate limiter and the token check: a header present but not valid is 400 naming it.</summary>
    public static IApplicationBuilder UseEncabezadosDeInteroperabilidad(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (http.Features.Get<SolicitudInteroperable>()?.Errores is { Count: > 0 } errores) throw new ValidationException(errores);
        await next(http);
    });

    internal static SolicitudInteroperable Leer(IHeaderDictionary h, OpcionesEncabezados nombres)
    {
        List<ValidationFailure>? errores = null;
        string? Valor(string nombre, Func<string, string?> validar, string mensaje)
        {
            if (!h.TryGetValue(nombre, out var valores)) return null;
            if (valores.Count > 1)
            {
                (errores ??= []).Add(new ValidationFailure(nombre, "Se indicó más de una vez."));
                return null;
            }

            var v = valores[0];
            if (v is not null && validar(v) is { } valido) return valido;
            (errores ??= []).Add(new ValidationFailure(nombre, mensaje));
            return null;
        }

        static Func<string, string?> Patron(Regex r, int largo) => v => v.Length <= largo && r.IsMatch(v) ? v : null;

        var organismo = Valor(nombres.OrganismoSolicitante, Patron(Organismo, LargoOrganismo),
            $"Debe ser el código del organismo solicitante: letras, dígitos, punto, guion o guion bajo, hasta {LargoOrganismo} caracteres.");
        var run = Valor(nombres.FuncionarioRun, RunValido,
            "Debe ser el RUN del funcionario sin puntos, con guion y dígito verificador correcto (p. ej. 12345678-5).");
        var procedimiento = Valor(nombres.Procedimiento, Patron(Procedimiento, LargoProcedimiento),
            $"Debe ser el código del procedimiento: letras, dígitos y . _ : / -, hasta {LargoProcedimiento} caracteres.");
        var transaccion = Valor(nombres.TransaccionId, Patron(Transaccion, LargoTransaccion),
            $"Debe ser el id de la transacción en la red: letras, dígitos y . _ : -, hasta {LargoTransaccion} caracteres.");
        return new SolicitudInteroperable
        {
            // A value that is not valid is never echoed: the answer carries one generated here.
            TransaccionId = transaccion ?? Guid.CreateVersion7().ToString(),
            OrganismoSolicitante = organismo,
            FuncionarioRun = run,
            Procedimiento = procedimiento,
            Errores = errores,
        };
    }

    private static RegistroDeTraza Traza(HttpContext http, SolicitudInteroperable s, string claimRun, DateTimeOffset ocurrida, int duracion, bool fallo)
    {
        // The exception handler clears the endpoint and the route values before it writes the problem; its feature keeps them.
        var manejada = http.Features.Get<IExceptionHandlerFeature>();
        var endpoint = http.GetEndpoint() ?? manejada?.Endpoint;
        var ruta = (endpoint as RouteEndpoint)?.RoutePattern;
        var valores = http.Request.RouteValues.Count > 0 ? http.Request.RouteValues : manejada?.RouteValues;
        string? recurso = null;
        if (ruta is { Parameters.Count: > 0 } && valores is not null)
        {
            recurso = string.Join('/', ruta.Parameters.Select(p => valores.TryGetValue(p.Name, out var v) ? Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) : null));
        }

        var usuario = http.User.Identity?.IsAuthenticated == true ? http.User : null;
        // The token is the identity provider's word (ClaveÚnica keys on the RUN): it wins over the header. A token that
        // carries the claim but not a valid RUN leaves none recorded: the node's header doesn't stand in for it.
        var claim = usuario?.FindFirstValue(claimRun);
        var run = claim is null ? s.FuncionarioRun : RunValido(claim);
        var status = fallo ? StatusCodes.Status500InternalServerError : http.Response.StatusCode;
        return new RegistroDeTraza(
            ocurrida,
            duracion,
            Acotar(http.Request.Method, 20)!,
            endpoint?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName,
            ruta?.RawText,
            Acotar(recurso, LargoRecurso),
            s.OrganismoSolicitante,
            run,
            s.Procedimiento,
            s.TransaccionId,
            Observabilidad.IdDeTraza(http),
            Acotar(usuario?.FindFirstValue(ClaimTypes.NameIdentifier) ?? usuario?.FindFirstValue("sub"), LargoSujeto),
            status,
            fallo ? TiposDeProblema.ErrorInterno : s.TipoProblema);
    }

    /// <summary>Bounded, and without control characters (PostgreSQL text can't hold NUL; a log or a terminal must not get the others).</summary>
    internal static string? Acotar(string? texto, int largo)
    {
        if (texto is null) return null;
        if (texto.Length > largo) texto = texto[..largo];
        return texto.Any(char.IsControl) ? new string(texto.Select(c => char.IsControl(c) ? '\uFFFD' : c).ToArray()) : texto;
    }
}
