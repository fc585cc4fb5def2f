using System.Globalization;
using System.Security.Claims;

namespace CompromisosApi.Common;

/// <summary>The authenticated caller, as the handlers and the audit trail see it.</summary>
public sealed class UsuarioActual(IHttpContextAccessor accesor, TimeProvider reloj)
{
    /// <summary>Writes outside a request (the demo load at start-up) are the system's own.</summary>
    public const string Sistema = "sistema";

    /// <summary>
    /// Who writes, and when, to the microsecond: PostgreSQL keeps no more, so the instant a write answers with is the one
    /// it is read back with (and the one conocidoAl compares).
    /// </summary>
    public Domain.Autoria Firmar()
    {
        var ahora = reloj.GetUtcNow();
        return new(Nombre ?? Sujeto ?? Sistema, ahora.AddTicks(-(ahora.Ticks % TimeSpan.TicksPerMicrosecond)));
    }

    private ClaimsPrincipal? Principal => accesor.HttpContext?.User;

    public bool Autenticado => Principal?.Identity?.IsAuthenticated == true;

    public string? Sujeto => Principal?.FindFirstValue(ClaimTypes.NameIdentifier) ?? Principal?.FindFirstValue("sub");

    public string? Nombre => Principal?.Identity?.Name ?? Principal?.FindFirstValue("name");

    public IReadOnlyList<string> Roles => Principal?.FindAll(ClaimTypes.Role).Select(c => c.Value).Distinct().Order().ToList() ?? [];

    public int? ServicioId =>
        int.TryParse(Principal?.FindFirstValue(Common.Roles.ClaimServicio), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    public bool TieneRol(string rol) => Principal?.IsInRole(rol) == true;

    /// <summary>False for the system's own writes, outside any request (the demo load at start-up).</summary>
    public bool EnSolicitud => accesor.HttpContext is not null;

    public string? RequestId => accesor.HttpContext?.TraceIdentifier;

    public string? TraceId => accesor.HttpContext is { } http ? Observabilidad.IdDeTraza(http) : null;

    /// <summary>The contract's operationId of the request being served, which names the write in the audit trail.</summary>
    public string? Operacion => accesor.HttpContext?.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName;

    public string? Direccion => accesor.HttpContext?.Connection.RemoteIpAddress?.ToString();

    /// <summary>
    /// Object-level authorization (OWASP API1): a servicio user may write only under its own servicio's programas.
    /// Analistas work across servicios, and so do the system's own writes, outside any request (the demo load).
    /// </summary>
    public void AsegurarAccesoAServicio(int servicioId)
    {
        if (!PuedeEscribirEnServicio(servicioId)) throw new ProhibidoException("Este compromiso pertenece a otro servicio: solo puede escribir en los de su propio servicio.");
    }

    /// <summary>The rule of <see cref="AsegurarAccesoAServicio"/>; null, a record that does not exist, is no servicio's own.</summary>
    public bool PuedeEscribirEnServicio(int? servicioId) =>
        !EnSolicitud || Principal?.IsInRole(Common.Roles.Analista) == true || (servicioId is { } id && ServicioId == id);
}

/// <summary>Authenticated, but not allowed to touch this record: 403.</summary>
public sealed class ProhibidoException(string mensaje) : Exception(mensaje);
