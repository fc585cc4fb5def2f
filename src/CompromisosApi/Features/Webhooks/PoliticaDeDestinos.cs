using System.Net;
using System.Net.Sockets;

namespace CompromisosApi.Features.Webhooks;

/// <summary>
/// Where webhooks may go (SSRF defence): only to public addresses (see <see cref="EsPublica"/>: the IANA
/// special-purpose address registries, as data), unless Webhooks:PermitirDestinos names the host, the address or its
/// network. A host is refused when any of its addresses is not public (every address is checked,
/// IPv4 and IPv6, with IPv4 embedded in IPv6 — ::ffff:127.0.0.1, NAT64, 6to4 — read as the IPv4 it is). The check
/// runs when a subscription is created and again on every connection (DNS may answer differently later), and the
/// relay connects to the address it checked, with no proxy and no redirects.
/// </summary>
public sealed class PoliticaDeDestinos(IOptionsMonitor<OpcionesWebhooks> opciones)
{
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

    /// <summary>One entry of an IANA special-purpose address registry: its block, name, "Globally Reachable" (null where
    /// IANA publishes N/A or, for a terminated entry, nothing) and the RFC that defines it.</summary>
    public sealed record EntradaEspecial(IPNetwork Bloque, string Nombre, bool? GlobalmenteAlcanzable, string Rfc);

    private static EntradaEspecial E(string bloque, string nombre, bool? alcanzable, string rfc) => new(IPNetwork.Parse(bloque), nombre, alcanzable, rfc);

    /// <summary>
    /// The IANA IPv4 and IPv6 Special-Purpose Address Registries (RFC 6890, as updated by RFC 8190), entry by entry, as
    /// published in 2025. A new entry is one line here (and its test case).
    /// </summary>
    public static readonly IReadOnlyList<EntradaEspecial> RegistroEspecial =
    [
        E("0.0.0.0/8", "\"This network\"", false, "RFC 791, §3.2"),
        E("0.0.0.0/32", "\"This host on this network\"", false, "RFC 1122, §3.2.1.3"),
        E("10.0.0.0/8", "Private-Use", false, "RFC 1918"),
        E("100.64.0.0/10", "Shared Address Space", false, "RFC 6598"),
        E("127.0.0.0/8", "Loopback", false, "RFC 1122, §3.2.1.3"),
        E("169.254.0.0/16", "Link Local", false, "RFC 3927"),
        E("172.16.0.0/12", "Private-Use", false, "RFC 1918"),
        E("192.0.0.0/24", "IETF Protocol Assignments", false, "RFC 6890, §2.1"),
        E("192.0.0.0/29", "IPv4 Service Continuity Prefix", false, "RFC 7335"),
        E("192.0.0.8/32", "IPv4 dummy address", false, "RFC 7600"),
        E("192.0.0.9/32", "Port Control Protocol Anycast", true, "RFC 7723"),
        E("192.0.0.10/32", "Traversal Using Relays around NAT Anycast", true, "RFC 8155"),
        E("192.0.0.170/32", "NAT64/DNS64 Discovery", false, "RFC 8880, RFC 7050 §2.2"),
        E("192.0.0.171/32", "NAT64/DNS64 Discovery", false, "RFC 8880, RFC 7050 §2.2"),
        E("192.0.2.0/24", "Documentation (TEST-NET-1)", false, "RFC 5737"),
        E("192.31.196.0/24", "AS112-v4", true, "RFC 7535"),
        E("192.52.193.0/24", "AMT", true, "RFC 7450"),
        E("192.88.99.0/24", "Deprecated (6to4 Relay Anycast)", null, "RFC 7526"),
        E("192.88.99.2/32", "6a44-relay anycast address", false, "RFC 6751"),
        E("192.168.0.0/16", "Private-Use", false, "RFC 1918"),
        E("192.175.48.0/24", "Direct Delegation AS112 Service", true, "RFC 7534"),
        E("198.18.0.0/15", "Benchmarking", false, "RFC 2544"),
        E("198.51.100.0/24", "Documentation (TEST-NET-2)", false, "RFC 5737"),
        E("203.0.113.0/24", "Documentation (TEST-NET-3)", false, "RFC 5737"),
        E("240.0.0.0/4", "Reserved", false, "RFC 1112, §4"),
        E("255.255.255.255/32", "Limited Broadcast", false, "RFC 8190, RFC 919 §7"),

        E("::1/128", "Loopback Address", false, "RFC 4291"),
        E("::/128", "Unspecified Address", false, "RFC 4291"),
        E("::ffff:0:0/96", "IPv4-mapped Address", false, "RFC 4291"),
        E("64:ff9b::/96", "IPv4-IPv6 Translat.", true, "RFC 6052"),
        E("64:ff9b:1::/48", "IPv4-IPv6 Translat.", false, "RFC 8215"),
        E("100::/64", "Discard-Only Address Block", false, "RFC 6666"),
        E("100:0:0:1::/64", "Dummy IPv6 Prefix", false, "RFC 9780"),
        E("2001::/23", "IETF Protocol Assignments", false, "RFC 2928"),
        E("2001::/32", "TEREDO", null, "RFC 4380, RFC 8190"),
        E("2001:1::1/128", "Port Control Protocol Anycast", true, "RFC 7723"),
        E("2001:1::2/128", "Traversal Using Relays around NAT Anycast", true, "RFC 8155"),
        E("2001:1::3/128", "DNS-SD Service Registration Protocol Anycast", true, "RFC 9665"),
        E("2001:2::/48", "Benchmarking", false, "RFC 5180, RFC Errata 1752"),
        E("2001:3::/32", "AMT", true, "RFC 7450"),
        E("2001:4:112::/48", "AS112-v6", true, "RFC 7535"),
        E("2001:10::/28", "Deprecated (previously ORCHID)", null, "RFC 4843"),
        E("2001:20::/28", "ORCHIDv2", true, "RFC 7343"),
        E("2001:30::/28", "Drone Remote ID Protocol Entity Tags (DETs) Prefix", true, "RFC 9374"),
        E("2001:db8::/32", "Documentation", false, "RFC 3849"),
        E("2002::/16", "6to4", null, "RFC 3056"),
        E("2620:4f:8000::/48", "Direct Delegation AS112 Service", true, "RFC 7534"),
        E("3fff::/20", "Documentation", false, "RFC 9637"),
        E("5f00::/16", "Segment Routing (SRv6) SIDs", false, "RFC 9602"),
        E("fc00::/7", "Unique-Local", false, "RFC 4193, RFC 8190"),
        E("fe80::/10", "Link-Local Unicast", false, "RFC 4291"),
    ];

    /// <summary>
    /// Outside those registries and never a unicast destination on the Internet: IPv4 multicast, and in IPv6 whatever
    /// is not 2000::/3, the only block IANA's IPv6 Address Space registry allocates for global unicast (the rest is
    /// reserved by the IETF, or is multicast, link-local, unique-local, the deprecated site-local and IPv4-compatible).
    /// </summary>
    public static readonly IReadOnlyList<EntradaEspecial> NoUnidifusion =
    [
        E("224.0.0.0/4", "Multicast", false, "RFC 5771"),
        E("::/3", "Fuera de Global Unicast (2000::/3)", false, "RFC 4291, §2.4"),
        E("4000::/2", "Fuera de Global Unicast (2000::/3)", false, "RFC 4291, §2.4"),
        E("8000::/1", "Fuera de Global Unicast (2000::/3)", false, "RFC 4291, §2.4"),
    ];

    /// <summary>
    /// A public unicast address (after <see cref="Normalizar"/>): in no registry entry whose Globally Reachable is
    /// anything but True, and not multicast. Stricter than the registry's own reading, on purpose: IANA lets a
    /// globally reachable entry nested in a block that is not (the PCP and TURN anycast addresses inside the IETF
    /// protocol assignments) override it; a webhook receiver never lives there, so the block decides.
    /// </summary>
    public static bool EsPublica(IPAddress d) =>
        !RegistroEspecial.Concat(NoUnidifusion).Any(e => e.GlobalmenteAlcanzable != true && e.Bloque.Contains(d));
}
