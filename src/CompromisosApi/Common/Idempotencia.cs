using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Primitives;

namespace CompromisosApi.Common;

public sealed class OpcionesIdempotencia
{
    /// <summary>How long a key and its answer are kept; a key older than this is forgotten (the request runs again).</summary>
    public TimeSpan Retencion { get; set; } = TimeSpan.FromHours(24);
}

/// <summary>
/// Idempotency-Key on POST (IETF httpapi draft "The Idempotency-Key HTTP Header Field"): a client that did not get an
/// answer retries with the same key and gets the first answer again, never a second record.
/// <para>
/// <b>Where the answer commits.</b> The key's answer is stored in the same PostgreSQL transaction as the effect, so
/// there is no moment when the record changed but the key does not know it (a crash there would let a retry write
/// twice), nor one when the key holds an answer whose effect rolled back. This middleware opens the transaction of
/// the request's DbContext before the endpoint runs; the command's <see cref="TransaccionBehavior{TMessage,TResponse}"/>
/// finds it open, writes the audit entry and the events into it and leaves the commit to the middleware. The endpoint
/// writes its answer into a buffer; a 2xx answer is stored with the key, then the transaction commits, and only then
/// is the answer sent. Any other answer (a 4xx rule violation, a 5xx) rolls back and is not stored: a retry runs
/// again, which is what a client fixing its request needs.
/// </para>
/// <para>
/// <b>Concurrent retries.</b> A stored answer is replayed straight away, without locking. Otherwise the first
/// statement of the transaction is <c>pg_try_advisory_xact_lock</c> on a hash of (caller, key): a retry while the
/// first request is still running finds the lock taken and gets 409 at once, without waiting; whoever gets the lock
/// looks for a stored answer again (the first may have just committed) before running the endpoint. The lock ends with
/// the transaction, after its commit is visible. If the process dies, PostgreSQL drops the lock with the connection:
/// there is no "pending" row to expire.
/// </para>
/// Keys are per caller (the token's subject): another caller's key never collides. Same key, another request
/// (method, path and query, and body hashed with SHA-256) → 422.
/// </summary>
public sealed class Idempotencia(RequestDelegate siguiente, IOptionsMonitor<OpcionesIdempotencia> opciones, TimeProvider reloj)
{
    public const string Encabezado = "Idempotency-Key";
    public const string EncabezadoRepeticion = "Idempotent-Replayed";
    public const int LargoMaximo = 255;

    /// <summary>The answer's headers a replay repeats; the rest are the server's own for each answer.</summary>
    private static readonly string[] Repetidos = ["Location", "ETag", "Content-Type"];

    // The request's services are resolved only for a POST with a key: every other request passes straight through.
    public async Task InvokeAsync(HttpContext http)
    {
        if (!HttpMethods.IsPost(http.Request.Method) || http.GetEndpoint() is null
            || !http.Request.Headers.TryGetValue(Encabezado, out var valores)
            || http.RequestServices.GetRequiredService<UsuarioActual>().Sujeto is not { } sujeto)
        {
            await siguiente(http);
            return;
        }

        var db = http.RequestServices.GetRequiredService<CompromisosDbContext>();
        var problemas = http.RequestServices.GetRequiredService<IProblemDetailsService>();

        if (!TryLeer(valores, out var clave, out var error))
        {
            await EscribirAsync(http, problemas, 400, TiposDeProblema.EntradaInvalida, "La solicitud tiene datos no válidos",
                "Corrija los campos indicados en errors y reintente.",
                new HttpValidationProblemDetails(new Dictionary<string, string[]> { [Encabezado] = [error] }));
            return;
        }

        var ct = http.RequestAborted;
        // The body is read here, before the endpoint: its own limit must already hold (413 past it, as without a key).
        LimiteDeCuerpo.Aplicar(http);
        var huella = await HuellaAsync(http.Request, ct);
        var ahora = reloj.GetUtcNow();
        // A stored answer is replayed without any lock: concurrent retries of a finished request all get it.
        if (await BuscarAsync(db, sujeto, clave, ahora, ct) is { } guardada)
        {
            await ResponderAsync(http, problemas, guardada, huella);
            return;
        }

        using var turno = await http.RequestServices.GetRequiredService<LimiteDeEscrituras>().TomarAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var libre = (await db.Database.SqlQuery<bool>(
                $"SELECT pg_try_advisory_xact_lock(hashtextextended({"idempotencia:" + sujeto.Length + ":" + sujeto + ":" + clave}, 0)) AS \"Value\"")
            .ToListAsync(ct)).Single();
        if (!libre)
        {
            await tx.RollbackAsync(ct);
            http.Response.Headers.RetryAfter = "1";
            await EscribirAsync(http, problemas, 409, TiposDeProblema.IdempotenciaEnCurso, "La solicitud con esta Idempotency-Key aún se está procesando",
                "Otra solicitud con la misma Idempotency-Key está en curso: reintente en un momento para recibir su respuesta.");
            return;
        }

        // The first request may have committed between the look-up above and the lock.
        if (await BuscarAsync(db, sujeto, clave, ahora, ct) is { } recien)
        {
            await tx.RollbackAsync(ct);
            await ResponderAsync(http, problemas, recien, huella);
            return;
        }

        var original = http.Response.Body;
        await using var respuesta = new MemoryStream();
        http.Response.Body = respuesta;
        try
        {
            await siguiente(http);
        }
        finally
        {
            // On an exception the error handler writes its problem to the real stream (and rolls back by disposal).
            http.Response.Body = original;
        }

        if (http.Response.StatusCode is >= 200 and < 300)
        {
            var encabezados = Repetidos.Where(h => http.Response.Headers.ContainsKey(h)).ToDictionary(h => h, h => http.Response.Headers[h].ToString());
            var cuerpo = respuesta.ToArray();
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO claves_idempotencia (sujeto, clave, huella, estado, encabezados, cuerpo, creada_en, expira_en)
                VALUES ({sujeto}, {clave}, {huella}, {http.Response.StatusCode}, {JsonSerializer.Serialize(encabezados)}::jsonb, {cuerpo}, {ahora}, {ahora + opciones.CurrentValue.Retencion})
                ON CONFLICT (sujeto, clave) DO UPDATE SET huella = EXCLUDED.huella, estado = EXCLUDED.estado, encabezados = EXCLUDED.encabezados,
                    cuerpo = EXCLUDED.cuerpo, creada_en = EXCLUDED.creada_en, expira_en = EXCLUDED.expira_en
                """, ct);
            await tx.CommitAsync(ct);
            http.RequestServices.GetRequiredService<AmbitoTransaccional>().Confirmado();
        }
        else
        {
            await tx.RollbackAsync(ct);
        }

        respuesta.Position = 0;
        await respuesta.CopyToAsync(original, ct);
    }

    private static Task<ClaveIdempotencia?> BuscarAsync(CompromisosDbContext db, string sujeto, string clave, DateTimeOffset ahora, CancellationToken ct) =>
        db.ClavesIdempotencia.AsNoTracking().SingleOrDefaultAsync(k => k.Sujeto == sujeto && k.Clave == clave && k.ExpiraEn > ahora, ct);

    /// <summary>The stored answer again, byte for byte; or 422 when the key came with another request.</summary>
    private static async Task ResponderAsync(HttpContext http, IProblemDetailsService problemas, ClaveIdempotencia guardada, string huella)
    {
        if (guardada.Huella != huella)
        {
            await EscribirAsync(http, problemas, 422, TiposDeProblema.IdempotenciaReutilizada, "La Idempotency-Key ya se usó con otra solicitud",
                "Esta Idempotency-Key ya se usó con otro método, ruta o cuerpo: use una clave nueva para cada solicitud distinta.");
            return;
        }

        http.Response.StatusCode = guardada.Estado;
        foreach (var (nombre, valor) in JsonSerializer.Deserialize<Dictionary<string, string>>(guardada.Encabezados)!) http.Response.Headers[nombre] = valor;
        http.Response.Headers[EncabezadoRepeticion] = "true";
        http.Response.ContentLength = guardada.Cuerpo.Length;
        await http.Response.Body.WriteAsync(guardada.Cuerpo, http.RequestAborted);
    }

    /// <summary>
    /// The header is a structured-field string (RFC 8941: <c>"8e03978e-…"</c>, with \" and \\ escapes); the bare value
    /// is accepted too. Printable ASCII only, 1 to 255 characters.
    /// </summary>
    public static bool TryLeer(StringValues valores, out string clave, out string error)
    {
        clave = "";
        error = "";
        if (valores.Count != 1)
        {
            error = "Envíe una sola Idempotency-Key.";
            return false;
        }

        var texto = (valores[0] ?? "").Trim(' ', '\t');
        if (texto.Length >= 2 && texto[0] == '"' && texto[^1] == '"')
        {
            var sb = new StringBuilder(texto.Length);
            for (var i = 1; i < texto.Length - 1; i++)
            {
                var c = texto[i];
                if (c == '\\')
                {
                    if (++i >= texto.Length - 1 || texto[i] is not ('"' or '\\'))
                    {
                        error = "Idempotency-Key: escape no válido (solo \\\" y \\\\).";
                        return false;
                    }

                    c = texto[i];
                }
                else if (c == '"')
                {
                    error = "Idempotency-Key: comillas sin escapar dentro del valor.";
                    return false;
                }

                sb.Append(c);
            }

            texto = sb.ToString();
        }
        else if (texto.Any(c => c is '"' or ' ' or '\t' or ','))
        {
            error = "Idempotency-Key: envíe la clave como cadena entre comillas, por ejemplo \"8e03978e-40d5-43e8-bc93-6894a57f9324\".";
            return false;
        }

        if (texto.Length == 0 || texto.Length > LargoMaximo)
        {
            error = $"Idempotency-Key debe tener entre 1 y {LargoMaximo} caracteres, por ejemplo \"8e03978e-40d5-43e8-bc93-6894a57f9324\".";
            return false;
        }

        if (texto.Any(c => c is < ' ' or > '~'))
        {
            error = "Idempotency-Key admite solo caracteres ASCII imprimibles.";
            return false;
        }

        clave = texto;
        return true;
    }

    /// <summary>SHA-256 of method, path with query, and body; the body stays readable for the endpoint.</summary>
    private static async Task<string> HuellaAsync(HttpRequest request, CancellationToken ct)
    {
        request.EnableBuffering();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{request.Method}\n{request.PathBase}{request.Path}{request.QueryString}\n"));
        var buffer = new byte[16 * 1024];
        int leidos;
        while ((leidos = await request.Body.ReadAsync(buffer, ct)) > 0) hash.AppendData(buffer, 0, leidos);
        request.Body.Position = 0;
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>The middleware's own answers (it runs before any endpoint): <paramref name="problema"/> when it has more to say.</summary>
    private static async Task EscribirAsync(
        HttpContext http, IProblemDetailsService problemas, int status, string tipo, string titulo, string detalle, ProblemDetails? problema = null)
    {
        problema ??= new ProblemDetails();
        (problema.Status, problema.Type, problema.Title, problema.Detail) = (status, tipo, titulo, detalle);
        http.Response.StatusCode = status;
        if (await problemas.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problema })) return;
        // As the error handler does: problem+json whatever Accept says.
        Observabilidad.Completar(http, problema);
        await http.Response.WriteAsJsonAsync(problema, problema.GetType(), JsonSerializerOptions.Web, "application/problem+json", http.RequestAborted);
    }
}

/// <summary>Idempotency keys past their retention are ignored already; this scheduled task removes them.</summary>
public sealed class LimpiezaDeClaves(IServiceScopeFactory scopes, TimeProvider reloj) : ITareaProgramada
{
    public string Cuenta => "claves de idempotencia expiradas borradas";

    public async Task<int> EjecutarAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CompromisosDbContext>();
        var ahora = reloj.GetUtcNow();
        return await db.Database.ExecuteSqlAsync($"DELETE FROM claves_idempotencia WHERE expira_en <= {ahora}", ct);
    }
}

public static class IdempotenciaExtensiones
{
    public static IServiceCollection AddIdempotencia(this IServiceCollection services, IConfiguration config) =>
        services.Configure<OpcionesIdempotencia>(config.GetSection("Idempotencia")).AddTareaProgramada<LimpiezaDeClaves>();

    public static IApplicationBuilder UseIdempotencia(this IApplicationBuilder app) => app.UseMiddleware<Idempotencia>();
}

