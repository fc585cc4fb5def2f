using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace CompromisosApi.Features.Webhooks;

/// <summary>
/// Where webhooks may go (SSRF defence): only to public addresses, unless Webhooks:PermitirDestinos names the host,
/// the address or its network. A host is refused when any of its addresses is not public (every address is checked,
/// IPv4 and IPv6, with IPv4 embedded in IPv6 — ::ffff:127.0.0.1, NAT64, 6to4 — read as the IPv4 it is). The check
/// runs when a subscription is created and again on every connection (DNS may answer differently later), and the
/// relay connects to the address it checked, with no proxy and no redirects.
/// </summary>
public sealed class PoliticaDeDestinos(IOptionsMonitor<OpcionesWebhooks> opciones)
{
    public const int LargoMaximoUrl = 2000;

    /// <summary>Null when the URL may receive webhooks; otherwise why not.</summary>
    public async Task<string?> ValidarAsync(string texto, CancellationToken ct)
    {
        if (!Uri.TryCreate(texto, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http") || string.IsNullOrEmpty(url.Host))
            return "Debe ser una URL absoluta http o https.";
        if (!string.IsNullOrEmpty(url.UserInfo)) return "La URL no puede llevar usuario ni contraseña.";
        if (!string.IsNullOrEmpty(url.Fragment)) return "La URL no puede llevar fragmento (#).";
        var host = url.DnsSafeHost;
        // Plain http only to a destination the configuration names (an internal receiver, the tests' loopback one).
        var nombrado = HostPermitido(host) || IPAddress.TryParse(host, out var literal) && EnLista(Normalizar(literal));
        if (url.Scheme == "http" && !nombrado) return "Use https: solo los destinos de Webhooks:PermitirDestinos pueden recibir por http.";

        IPAddress[] direcciones;
        using var plazo = CancellationTokenSource.CreateLinkedTokenSource(ct);
        plazo.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            direcciones = await ResolverAsync(host, plazo.Token);
        }
        catch (Exception e) when (e is SocketException || e is OperationCanceledException && !ct.IsCancellationRequested)
        {
            return $"No se pudo resolver el nombre {url.Host}.";
        }

        var rechazada = direcciones.FirstOrDefault(d => !Permitida(host, d));
        return direcciones.Length == 0 ? $"No se pudo resolver el nombre {url.Host}."
            : rechazada is not null ? $"El destino {url.Host} resuelve a {rechazada}, una dirección privada, de loopback, de enlace local o reservada; " +
                "los webhooks solo van a direcciones públicas salvo que Webhooks:PermitirDestinos las nombre."
            : null;
    }

    /// <summary>Resolves a host for a connection and returns its addresses only if every one is allowed.</summary>
    public async Task<IPAddress[]> DireccionesPermitidasAsync(string host, CancellationToken ct)
    {
        var direcciones = await ResolverAsync(host, ct);
        if (direcciones.Length == 0 || direcciones.Any(d => !Permitida(host, d)))
            throw new HttpRequestException($"Destino no permitido: {host} resuelve a una dirección no pública.");
        return direcciones;
    }

    private static async Task<IPAddress[]> ResolverAsync(string host, CancellationToken ct) =>
        IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);

    public bool Permitida(string host, IPAddress direccion)
    {
        if (HostPermitido(host)) return true;
        var normal = Normalizar(direccion);
        return EsPublica(normal) || EnLista(normal);
    }

    private bool EnLista(IPAddress direccion) => opciones.CurrentValue.PermitirDestinos.Any(p => EnRango(p, direccion));

    private bool HostPermitido(string host) =>
        opciones.CurrentValue.PermitirDestinos.Any(p => !p.Contains('/') && !IPAddress.TryParse(p, out _) && string.Equals(p, host, StringComparison.OrdinalIgnoreCase));

    /// <summary>An allow-list entry that is an address or a network (CIDR) and contains this address.</summary>
    private static bool EnRango(string entrada, IPAddress direccion)
    {
        if (IPAddress.TryParse(entrada, out var unica)) return Normalizar(unica).Equals(direccion);
        return IPNetwork.TryParse(entrada, out var red) && red.Contains(direccion.IsIPv4MappedToIPv6 ? direccion.MapToIPv4() : direccion);
    }

    /// <summary>The IPv4 address inside an IPv4-mapped, NAT64 or 6to4 IPv6 address; else itself.</summary>
    public static IPAddress Normalizar(IPAddress d)
    {
        if (d.AddressFamily != AddressFamily.InterNetworkV6) return d;
        if (d.IsIPv4MappedToIPv6) return d.MapToIPv4();
        var b = d.GetAddressBytes();
        // 64:ff9b::a.b.c.d (NAT64). The deprecated IPv4-compatible ::a.b.c.d stays IPv6, inside ::/96: never public.
        if (b.AsSpan(0, 12).SequenceEqual(Nat64)) return new IPAddress(b.AsSpan(12, 4));
        // 2002:a.b.c.d::/48 (6to4).
        if (b[0] == 0x20 && b[1] == 0x02) return new IPAddress(b.AsSpan(2, 4));
        return d;
    }

    private static readonly byte[] Nat64 = [0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0];

    private static readonly IPNetwork[] NoPublicas =
    [
        // IPv4 (RFC 6890 special-purpose registry): this network, private, shared (CGNAT), loopback, link-local,
        // IETF protocol, documentation, 6to4 relay, benchmarking, multicast, reserved, broadcast.
        IPNetwork.Parse("0.0.0.0/8"), IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("100.64.0.0/10"), IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("169.254.0.0/16"), IPNetwork.Parse("172.16.0.0/12"), IPNetwork.Parse("192.0.0.0/24"), IPNetwork.Parse("192.0.2.0/24"),
        IPNetwork.Parse("192.88.99.0/24"), IPNetwork.Parse("192.168.0.0/16"), IPNetwork.Parse("198.18.0.0/15"), IPNetwork.Parse("198.51.100.0/24"),
        IPNetwork.Parse("203.0.113.0/24"), IPNetwork.Parse("224.0.0.0/4"), IPNetwork.Parse("240.0.0.0/4"),
        // IPv6: unspecified and loopback (and the rest of ::/96), discard, Teredo, ORCHID, documentation, unique local,
        // link-local, site-local, multicast.
        IPNetwork.Parse("::/96"), IPNetwork.Parse("100::/64"), IPNetwork.Parse("2001::/32"), IPNetwork.Parse("2001:10::/28"),
        IPNetwork.Parse("2001:20::/28"), IPNetwork.Parse("2001:db8::/32"), IPNetwork.Parse("fc00::/7"), IPNetwork.Parse("fe80::/10"),
        IPNetwork.Parse("fec0::/10"), IPNetwork.Parse("ff00::/8"),
    ];

    /// <summary>A public unicast address (after <see cref="Normalizar"/>).</summary>
    public static bool EsPublica(IPAddress d) => !NoPublicas.Any(r => r.Contains(d));
}
