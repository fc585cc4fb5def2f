using System.Security.Claims;
using Microsoft.AspNetCore.Diagnostics;

namespace CompromisosApi.Common;

public static class AlcanceDeRegistro
{
    /// <summary>
    /// Each request's log lines carry its route template (never the raw path: ids would make every line unique) and
    /// the principal's subject (never a token).
    /// </summary>
    /// <para>
    /// Opened first in the pipeline, so that the error handler's own line (the one an operator searches first) has
    /// them too; read when a line is written, since the route is matched and the token read only later.
    /// </para>
    public static IApplicationBuilder UseAlcanceDeRegistro(this IApplicationBuilder app)
    {
        var log = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("CompromisosApi.Solicitud");
        return app.Use(async (http, next) =>
        {
            using (log.BeginScope(new AlcanceDeSolicitud(http)))
            {
                await next(http);
            }
        });
    }

    private sealed class AlcanceDeSolicitud(HttpContext http) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        // The exception handler clears the endpoint before it writes the problem (and logs it); its feature keeps it.
        private string? Ruta => ((http.GetEndpoint() ?? http.Features.Get<IExceptionHandlerFeature>()?.Endpoint) as RouteEndpoint)?.RoutePattern.RawText;

        private string? Sujeto => http.User.Identity?.IsAuthenticated == true
            ? http.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? http.User.FindFirstValue("sub")
            : null;

        public int Count => 2;

        public KeyValuePair<string, object?> this[int index] => index switch
        {
            0 => new("ruta", Ruta),
            1 => new("sujeto", Sujeto),
            _ => throw new ArgumentOutOfRangeException(nameof(index)),
        };

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            yield return this[0];
            yield return this[1];
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => $"ruta={Ruta} sujeto={Sujeto}";
    }
}
