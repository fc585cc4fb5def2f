using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace CompromisosApi.Common;

public static class Seguridad
{
    public const string LimiteDeUso = "por-principal";

    public static IServiceCollection AddSeguridad(this IServiceCollection services, IConfiguration config)
    {
        services.AddHttpContextAccessor();
        services.AddScoped<UsuarioActual>();

        // Authentication:Schemes:Bearer configures the scheme: Authority + ValidAudiences in production (keys from the
        // OpenID Connect metadata); locally, dotnet user-jwts writes the issuer, audience and signing key there.
        services.AddAuthentication().AddJwtBearer(o => o.Events = new JwtBearerEvents
        {
            // Writes are audited under the token's subject and Idempotency-Keys belong to it: a token that names no
            // one (no sub) would write as nobody, so it is no credential at all.
            OnTokenValidated = c =>
            {
                if (string.IsNullOrWhiteSpace(c.Principal?.FindFirstValue(ClaimTypes.NameIdentifier) ?? c.Principal?.FindFirstValue("sub")))
                    c.Fail("El token no identifica a su sujeto (sub).");
                return Task.CompletedTask;
            },
        });
        // Writes name their policy; everything else (the reads) is public unless configuration closes it.
        var autorizacion = services.AddAuthorizationBuilder();
        if (!config.GetValue("Autorizacion:LecturaPublica", true))
            autorizacion.SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        autorizacion
            .AddPolicy(Politicas.Registro, p => p.RequireRole(Roles.Analista))
            .AddPolicy(Politicas.Evidencia, p => p.RequireAssertion(c =>
                c.User.IsInRole(Roles.Analista) || (c.User.IsInRole(Roles.Servicio) && c.User.HasClaim(x => x.Type == Roles.ClaimServicio))))
            .AddPolicy(Politicas.Catalogo, p => p.RequireRole(Roles.Administrador))
            // Either role gets in; the import then asks each write's own role and lists what it refuses (RolesDeImportacion).
            .AddPolicy(Politicas.Importacion, p => p.RequireRole(Roles.Analista, Roles.Administrador))
            .AddPolicy(Politicas.Auditoria, p => p.RequireRole(Roles.Analista, Roles.Administrador))
            .AddPolicy(Politicas.Correccion, p => p.RequireRole(Roles.Administrador));

        services.Configure<ForwardedHeadersOptions>(o => ConfigurarProxies(o, config.GetSection("Proxies:Confiables").Get<string[]>() ?? []));

        var cupos = Cupos.Leer(config);
        services.AddRateLimiter(o =>
        {
            // Per principal, so one integrating system's burst can't starve the others; anonymous readers per address.
            // The partition key is built on every request (twice, with the quota headers): a struct, not a string.
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, Solicitante>(http =>
            {
                var sujeto = http.User.Identity?.IsAuthenticated == true ? http.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? http.User.FindFirstValue("sub") : null;
                return sujeto is not null
                    ? RateLimitPartition.GetFixedWindowLimiter(new Solicitante(sujeto, null), _ => Ventana(cupos.PorMinuto))
                    : RateLimitPartition.GetFixedWindowLimiter(new Solicitante(null, http.Connection.RemoteIpAddress), _ => Ventana(cupos.AnonimasPorMinuto));
            });
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = async (contexto, ct) =>
            {
                var http = contexto.HttpContext;
                var espera = contexto.Lease.TryGetMetadata(MetadataName.RetryAfter, out var r) ? (int)Math.Ceiling(r.TotalSeconds) : 60;
                http.Response.Headers.RetryAfter = espera.ToString(CultureInfo.InvariantCulture);
                // The quota headers every answer carries (UseEncabezadosDeCupo runs after the limiter, so not on this one).
                http.Response.Headers["RateLimit-Policy"] = cupos.Politica(http.User.Identity?.IsAuthenticated == true);
                http.Response.Headers["RateLimit"] = $"\"{LimiteDeUso}\";r=0;t={espera}";
                await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails = new ProblemDetails
                    {
                        Status = 429,
                        Type = TiposDeProblema.DemasiadasSolicitudes,
                        Title = "Demasiadas solicitudes",
                        Detail = $"Superó el límite de solicitudes por minuto; reintente en {espera} s.",
                    },
                });
            };
        });

        services.AddCors(o => o.AddDefaultPolicy(p => p
            .WithOrigins(config.GetSection("Cors:OrigenesPermitidos").Get<string[]>() ?? [])
            .AllowAnyHeader()
            .WithMethods("GET", "POST", "PUT", "DELETE")
            .WithExposedHeaders("ETag", "Location", "Retry-After", Idempotencia.EncabezadoRepeticion,
                config[$"{OpcionesInteroperabilidad.Seccion}:Encabezados:TransaccionId"] ?? new OpcionesEncabezados().TransaccionId)));
        return services;
    }

    /// <summary>
    /// X-Forwarded-For and X-Forwarded-Proto are believed only from the configured proxies (addresses or CIDR
    /// networks), hop by hop from the nearest: the first address that is not a configured proxy is the client. None by
    /// default, not even loopback (ASP.NET Core's default): a client can't choose the address the rate limiter counts
    /// it under or the audit trail records. A malformed entry stops the start.
    /// </summary>
    internal static void ConfigurarProxies(ForwardedHeadersOptions o, IEnumerable<string> confiables)
    {
        o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        o.ForwardLimit = null;
        o.KnownProxies.Clear();
        o.KnownIPNetworks.Clear();
        foreach (var entrada in confiables)
        {
            if (entrada.Contains('/') && System.Net.IPNetwork.TryParse(entrada, out var red)) o.KnownIPNetworks.Add(red);
            else if (!entrada.Contains('/') && System.Net.IPAddress.TryParse(entrada, out var direccion)) o.KnownProxies.Add(direccion);
            else throw new InvalidOperationException($"Proxies:Confiables: \"{entrada}\" no es una dirección IP ni una red CIDR.");
        }
    }

    /// <summary>First in the pipeline, so that everything after it sees the client's address and scheme.</summary>
    public static IApplicationBuilder UseProxiesConfiables(this IApplicationBuilder app)
    {
        // Read here, as the pipeline is built: a malformed entry stops the start, not the first request.
        var o = app.ApplicationServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<ForwardedHeadersOptions>>().Value;
        // With no known proxy at all the middleware believes the headers from anyone: then it must not run.
        return o.KnownProxies.Count + o.KnownIPNetworks.Count == 0 ? app : app.UseForwardedHeaders();
    }

    /// <summary>Who a quota belongs to: the token's subject, or for anonymous readers their address.</summary>
    private readonly record struct Solicitante(string? Sujeto, System.Net.IPAddress? Direccion);

    /// <summary>The quotas (LimitesDeUso): requests a minute per principal, and per address for anonymous reads.</summary>
    private sealed record Cupos(int PorMinuto, int AnonimasPorMinuto)
    {
        public static Cupos Leer(IConfiguration config) => new(
            config.GetValue("LimitesDeUso:SolicitudesPorMinuto", 600), config.GetValue("LimitesDeUso:SolicitudesAnonimasPorMinuto", 300));

        /// <summary>The RateLimit-Policy header of a caller's quota.</summary>
        public string Politica(bool autenticado) => $"\"{LimiteDeUso}\";q={(autenticado ? PorMinuto : AnonimasPorMinuto)};w=60";
    }

    private static FixedWindowRateLimiterOptions Ventana(int permitidas) => new()
    {
        PermitLimit = permitidas,
        Window = TimeSpan.FromMinutes(1),
        QueueLimit = 0,
    };

    /// <summary>
    /// Tells each caller its quota (draft-ietf-httpapi-ratelimit-headers): integrating systems can pace themselves at
    /// the cut-off burst instead of discovering the limit by 429s.
    /// </summary>
    public static IApplicationBuilder UseEncabezadosDeCupo(this IApplicationBuilder app)
    {
        // Read once: configuration lookups walk every provider, and this runs on every request.
        var limitador = app.ApplicationServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<RateLimiterOptions>>().Value.GlobalLimiter;
        var cupos = Cupos.Leer(app.ApplicationServices.GetRequiredService<IConfiguration>());
        var politicaAutenticada = cupos.Politica(autenticado: true);
        var politicaAnonima = cupos.Politica(autenticado: false);
        return app.Use(async (http, next) =>
        {
            // Not on what the limiter leaves alone (/metrics, the health probes): a quota there would be a false promise.
            if (http.GetEndpoint()?.Metadata.GetMetadata<DisableRateLimitingAttribute>() is null && limitador?.GetStatistics(http) is { } estado)
            {
                var politica = http.User.Identity?.IsAuthenticated == true ? politicaAutenticada : politicaAnonima;
                var restante = $"\"{LimiteDeUso}\";r={estado.CurrentAvailablePermits}";
                // At send time, so that error answers (whose headers the exception handler clears) carry them too.
                http.Response.OnStarting(() =>
                {
                    http.Response.Headers["RateLimit-Policy"] = politica;
                    http.Response.Headers["RateLimit"] = restante;
                    return Task.CompletedTask;
                });
            }

            await next();
        });
    }

    /// <summary>
    /// A request that presents a bearer token which fails validation (expired, badly signed, without sub…) is answered
    /// 401 invalid_token (RFC 6750 §3.1), reads included, instead of being served as if anonymous: the caller learns its
    /// credential is bad rather than silently getting what anyone gets. After the rate limiter, which counts such a
    /// caller by its address like any anonymous one.
    /// </summary>
    public static IApplicationBuilder UseRechazoDeTokensInvalidos(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        // The authentication middleware keeps only a successful result; the handler caches the failed one, so asking
        // again costs nothing, and only requests that sent credentials ask.
        if (http.User.Identity?.IsAuthenticated != true && http.Request.Headers.Authorization.Count > 0
            && (await http.AuthenticateAsync()).Failure is not null)
        {
            await http.ChallengeAsync(JwtBearerDefaults.AuthenticationScheme);
            return;
        }

        await next();
    });

    /// <summary>
    /// Headers every answer carries; Swagger UI needs its scripts, so the strict CSP is for the API only. Set when the
    /// answer starts, so that error answers (whose headers the exception handler clears) carry them too; a CSP of the
    /// endpoint's own (the HTML informe's) is kept.
    /// </summary>
    public static IApplicationBuilder UseEncabezadosDeSeguridad(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        http.Response.OnStarting(static estado =>
        {
            var http = (HttpContext)estado;
            var h = http.Response.Headers;
            h.XContentTypeOptions = "nosniff";
            h.XFrameOptions = "DENY";
            h["Referrer-Policy"] = "no-referrer";
            if (!http.Request.Path.StartsWithSegments("/swagger") && !h.ContainsKey("Content-Security-Policy"))
                h.ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";
            return Task.CompletedTask;
        }, http);
        await next();
    });

    /// <summary>
    /// An operation that needs a role (every write, and reading the audit trail): its policy, and the 401/403 answers
    /// that come with it, declared for the contract.
    /// </summary>
    public static RouteHandlerBuilder Requiere(this RouteHandlerBuilder b, string politica) =>
        b.RequireAuthorization(politica)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
}
