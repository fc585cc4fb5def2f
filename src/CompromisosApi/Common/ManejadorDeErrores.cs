using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace CompromisosApi.Common;

/// <summary>
/// The one place where exceptions become RFC 9457 problem+json. Nothing from an exception's message, stack
/// or SQL reaches the client except the texts we wrote for that purpose.
/// </summary>
public sealed partial class ManejadorDeErrores(IProblemDetailsService problemas, ILogger<ManejadorDeErrores> log) : IExceptionHandler
{

    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        var problema = Traducir(http, exception);
        // Only the unexpected is an error with its stack: a 503 (database down, instance saturated) is a condition any
        // client can provoke at will, and must not flood the error log.
        if (problema.Status == 500) log.LogError(exception, "Error no controlado en {Ruta}", http.Request.Path);
        else if (problema.Status >= 500) log.LogWarning("Solicitud rechazada con {Status}: {Tipo}", problema.Status, problema.Type);
        else log.LogInformation("Solicitud rechazada con {Status}: {Tipo}", problema.Status, problema.Type);

        http.Response.StatusCode = problema.Status!.Value;
        if (await problemas.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problema, Exception = exception }))
        {
            return true;
        }

        // The problem writer declines when Accept rules out JSON (Accept: image/png on the informe, text/plain for
        // an unknown id). Errors are problem+json all the same, as the contract says: better than an empty answer.
        Observabilidad.Completar(http, problema);
        await http.Response.WriteAsJsonAsync(problema, problema.GetType(), JsonSerializerOptions.Web, "application/problem+json", cancellationToken);
        return true;
    }

    /// <summary>
    /// The problem one item of a round gets (<see cref="Ronda"/>): what the single operation would answer for it, for the
    /// refusals an item can cause (bad input, another servicio's record, an unknown id, a rule, a quota); null for
    /// anything else, which fails the whole request as it would fail a single one.
    /// </summary>
    public static ProblemDetails? ProblemaDeElemento(Exception exception)
    {
        if (exception is not (ValidationException or ProhibidoException or NoEncontradoException or ReglaException
            or ProblemaHttpException { Status: >= 400 and < 500 }))
        {
            return null;
        }

        var problema = Traducir(null, exception);
        if (problema is HttpValidationProblemDetails v)
            problema.Detail = string.Join(" ", v.Errors.SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}")));
        return problema;
    }

    private static ProblemDetails Traducir(HttpContext? http, Exception exception)
    {
        switch (exception)
        {
            case ValidationException v:
                return Validacion(v.Errors
                    .GroupBy(e => string.IsNullOrEmpty(e.PropertyName) ? "$" : e.PropertyName)
                    .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).Distinct().ToArray()));

            // Kestrel's MinRequestBodyDataRate: the body came slower than the floor and was cut.
            case BadHttpRequestException b when b.StatusCode == StatusCodes.Status408RequestTimeout:
                return Problema(408, TiposDeProblema.CuerpoDemasiadoLento, "El cuerpo de la solicitud llegó demasiado lento", null);

            case BadHttpRequestException b when b.StatusCode == StatusCodes.Status413PayloadTooLarge:
                return Problema(413, TiposDeProblema.CuerpoDemasiadoGrande, "El cuerpo de la solicitud es demasiado grande", null);

            case BadHttpRequestException b:
                return Validacion(ErroresDeLectura(b));

            case ProblemaHttpException ph:
                if (ph.ReintentarEnSegundos is { } espera && http is not null) http.Response.Headers.RetryAfter = espera.ToString(System.Globalization.CultureInfo.InvariantCulture);
                foreach (var (nombre, valor) in ph.Encabezados) if (http is not null) http.Response.Headers[nombre] = valor;
                var problema = Problema(ph.Status, ph.Tipo, ph.Titulo, ph.Message);
                foreach (var (k, val) in ph.Extensiones) problema.Extensions[k] = val;
                return problema;

            case ProhibidoException prohibido:
                return Problema(403, TiposDeProblema.Prohibido, "No autorizado para este registro", prohibido.Message);

            case NoEncontradoException n:
                return Problema(404, TiposDeProblema.NoEncontrado, $"No existe {n.Recurso}", n.Message);

            case ReglaException r:
                var p = Problema(409, TiposDeProblema.PrefijoRegla + r.Regla, r.Titulo, r.Message);
                foreach (var (k, val) in r.Extensiones) p.Extensions[k] = val;
                return p;

            // No ETag on the 412: the exception middleware strips cache headers, and a client must re-read anyway.
            case VersionObsoletaException o:
                return Problema(412, TiposDeProblema.VersionObsoleta, "El ETag de If-Match no es el actual", o.Message);

            case NoAceptableException na:
                var noAceptable = Problema(406, TiposDeProblema.NoAceptable, "Ningún formato aceptable", na.Message);
                noAceptable.Extensions[MiembrosDeProblema.Disponibles] = na.Disponibles;
                return noAceptable;

            case PrecondicionRequeridaException pr:
                return Problema(428, TiposDeProblema.IfMatchRequerido, "Falta If-Match", pr.Message);

            // Writes lock their rows before comparing versions, so this is only a backstop for the xmin token.
            case DbUpdateConcurrencyException:
                return Problema(409, TiposDeProblema.PrefijoRegla + Reglas.EscrituraConcurrente, "Escritura concurrente",
                    "Otra escritura modificó el recurso al mismo tiempo: vuelva a leerlo y reintente.");
        }

        return (http is null ? null : BaseDeDatos(http, exception)) ?? Problema(500, TiposDeProblema.ErrorInterno, "Error interno",
            "Ocurrió un error inesperado; nada se escribió. Informe el traceId al equipo del servicio.");
    }

    /// <summary>
    /// Only an unreachable or overloaded database is 503 (retry later); a value PostgreSQL refuses is the client's
    /// (400) and a conflict is 409, since retrying either would fail the same way.
    /// </summary>
    private static ProblemDetails? BaseDeDatos(HttpContext http, Exception exception)
    {
        var npgsql = exception as NpgsqlException;
        for (var e = exception.InnerException; npgsql is null && e is not null; e = e.InnerException) npgsql = e as NpgsqlException;
        if (npgsql is null && exception is not TimeoutException) return null;

        switch (npgsql)
        {
            case PostgresException { SqlState: PostgresErrorCodes.UniqueViolation }:
                return Problema(409, TiposDeProblema.PrefijoRegla + Reglas.Duplicado, "Registro duplicado",
                    "Ya existe un registro con esos mismos datos identificatorios.");
            case PostgresException { SqlState: PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected }:
                return Problema(409, TiposDeProblema.PrefijoRegla + Reglas.EscrituraConcurrente, "Escritura concurrente",
                    "La escritura chocó con otra simultánea y no se aplicó: reintente.");
            case PostgresException p when p.SqlState.StartsWith("22", StringComparison.Ordinal):
                return Validacion(new Dictionary<string, string[]> { ["$"] = ["Un valor no puede guardarse tal como viene (caracteres o magnitudes no admitidos)."] });
            case null or { IsTransient: true }:
                http.Response.Headers.RetryAfter = "5";
                return Problema(503, TiposDeProblema.BaseDeDatosNoDisponible, "Servicio no disponible",
                    "La base de datos no responde en este momento; nada se escribió. Reintente en unos segundos.");
            default:
                return null;
        }
    }

    private static ProblemDetails Problema(int status, string tipo, string titulo, string? detalle) =>
        new() { Status = status, Type = tipo, Title = titulo, Detail = detalle };

    private static HttpValidationProblemDetails Validacion(IDictionary<string, string[]> errores) =>
        new(errores)
        {
            Status = 400,
            Type = TiposDeProblema.EntradaInvalida,
            Title = "La solicitud tiene datos no válidos",
            Detail = "Corrija los campos indicados en errors y reintente.",
        };

    /// <summary>Turns a binding or JSON failure into an errors map keyed by field, without .NET type names.</summary>
    private static Dictionary<string, string[]> ErroresDeLectura(BadHttpRequestException b)
    {
        var json = b.InnerException as JsonException ?? b.InnerException?.InnerException as JsonException;
        if (json is not null)
        {
            var campo = json.Path is null or "$" ? "$" : json.Path.StartsWith("$.", StringComparison.Ordinal) ? json.Path[2..] : json.Path;
            var faltantes = CamposFaltantes().Match(json.Message);
            if (faltantes.Success)
            {
                // The path is the object's that lacks them (programa, recomendaciones[0].compromisos[1]…).
                var prefijo = campo == "$" ? "" : campo + ".";
                return Comillas().Matches(faltantes.Groups[1].Value)
                    .ToDictionary(m => prefijo + m.Groups[1].Value, _ => new[] { "Es obligatorio." });
            }

            var mensaje = json.Path is null
                ? "El cuerpo no es JSON válido."
                : "El valor no es válido para este campo: revise su nombre, tipo, formato y valores permitidos en el contrato.";
            return new() { [campo] = [mensaje] };
        }

        // A required query parameter left out: named, like any other bad parameter.
        var faltante = ParametroFaltante().Match(b.Message);
        if (faltante.Success)
        {
            return new() { [JsonNamingPolicy.CamelCase.ConvertName(faltante.Groups[1].Value)] = ["Es obligatorio."] };
        }

        var parametro = Parametro().Match(b.Message);
        if (parametro.Success)
        {
            return new() { [JsonNamingPolicy.CamelCase.ConvertName(parametro.Groups[1].Value)] = ["El valor no tiene el formato esperado (fechas yyyy-MM-dd, números enteros)."] };
        }

        return b.Message.Contains("body", StringComparison.OrdinalIgnoreCase)
            ? new() { ["$"] = ["Falta el cuerpo JSON de la solicitud, o no es application/json."] }
            : new() { ["$"] = ["La solicitud no es válida."] };
    }

    [GeneratedRegex("missing required properties including: (.*)$")]
    private static partial Regex CamposFaltantes();

    [GeneratedRegex("'([^']+)'")]
    private static partial Regex Comillas();

    [GeneratedRegex("Required parameter \"\\S+ (\\S+)\" was not provided")]
    private static partial Regex ParametroFaltante();

    [GeneratedRegex("Failed to bind parameter \"\\S+ (\\S+)\"")]
    private static partial Regex Parametro();
}
