using System.Net;
using CompromisosApi.Features.Webhooks;
using Microsoft.Extensions.Primitives;
using static CompromisosApi.UnitTests.Destinos;

namespace CompromisosApi.UnitTests;

/// <summary>The IANA special-purpose address registries, entry by entry, as the webhook destination policy reads them.</summary>
public sealed class RegistroEspecialTests
{
    /// <summary>
    /// Each entry of the IANA special-purpose registries (and the non-unicast blocks beside them): its first and last
    /// address, and the addresses just past each end, with the verdict written out. Inside an entry whose Globally
    /// Reachable is False or N/A is never public, nor anything outside 2000::/3 in IPv6.
    /// </summary>
    public static TheoryData<string, bool> CasosDelRegistro() => new()
    {
        { "0.0.0.0", false }, // 0.0.0.0/8: inside
        { "0.255.255.255", false }, // 0.0.0.0/8: inside
        { "1.0.0.0", true }, // 0.0.0.0/8: just outside
        { "0.0.0.1", false }, // 0.0.0.0/32: just outside
        { "10.0.0.0", false }, // 10.0.0.0/8: inside
        { "10.255.255.255", false }, // 10.0.0.0/8: inside
        { "11.0.0.0", true }, // 10.0.0.0/8: just outside
        { "9.255.255.255", true }, // 10.0.0.0/8: just outside
        { "100.64.0.0", false }, // 100.64.0.0/10: inside
        { "100.127.255.255", false }, // 100.64.0.0/10: inside
        { "100.128.0.0", true }, // 100.64.0.0/10: just outside
        { "100.63.255.255", true }, // 100.64.0.0/10: just outside
        { "127.0.0.0", false }, // 127.0.0.0/8: inside
        { "127.255.255.255", false }, // 127.0.0.0/8: inside
        { "128.0.0.0", true }, // 127.0.0.0/8: just outside
        { "126.255.255.255", true }, // 127.0.0.0/8: just outside
        { "169.254.0.0", false }, // 169.254.0.0/16: inside
        { "169.254.255.255", false }, // 169.254.0.0/16: inside
        { "169.255.0.0", true }, // 169.254.0.0/16: just outside
        { "169.253.255.255", true }, // 169.254.0.0/16: just outside
        { "172.16.0.0", false }, // 172.16.0.0/12: inside
        { "172.31.255.255", false }, // 172.16.0.0/12: inside
        { "172.32.0.0", true }, // 172.16.0.0/12: just outside
        { "172.15.255.255", true }, // 172.16.0.0/12: just outside
        { "192.0.0.0", false }, // 192.0.0.0/24: inside
        { "192.0.0.255", false }, // 192.0.0.0/24: inside
        { "192.0.1.0", true }, // 192.0.0.0/24: just outside
        { "191.255.255.255", true }, // 192.0.0.0/24: just outside
        { "192.0.0.7", false }, // 192.0.0.0/29: inside
        { "192.0.0.8", false }, // 192.0.0.0/29: just outside
        { "192.0.0.9", false }, // 192.0.0.8/32: just outside
        { "192.0.0.10", false }, // 192.0.0.9/32: just outside
        { "192.0.0.11", false }, // 192.0.0.10/32: just outside
        { "192.0.0.170", false }, // 192.0.0.170/32: inside
        { "192.0.0.171", false }, // 192.0.0.170/32: just outside
        { "192.0.0.169", false }, // 192.0.0.170/32: just outside
        { "192.0.0.172", false }, // 192.0.0.171/32: just outside
        { "192.0.2.0", false }, // 192.0.2.0/24: inside
        { "192.0.2.255", false }, // 192.0.2.0/24: inside
        { "192.0.3.0", true }, // 192.0.2.0/24: just outside
        { "192.0.1.255", true }, // 192.0.2.0/24: just outside
        { "192.31.196.0", true }, // 192.31.196.0/24: inside
        { "192.31.196.255", true }, // 192.31.196.0/24: inside
        { "192.31.197.0", true }, // 192.31.196.0/24: just outside
        { "192.31.195.255", true }, // 192.31.196.0/24: just outside
        { "192.52.193.0", true }, // 192.52.193.0/24: inside
        { "192.52.193.255", true }, // 192.52.193.0/24: inside
        { "192.52.194.0", true }, // 192.52.193.0/24: just outside
        { "192.52.192.255", true }, // 192.52.193.0/24: just outside
        { "192.88.99.0", false }, // 192.88.99.0/24: inside
        { "192.88.99.255", false }, // 192.88.99.0/24: inside
        { "192.88.100.0", true }, // 192.88.99.0/24: just outside
        { "192.88.98.255", true }, // 192.88.99.0/24: just outside
        { "192.88.99.2", false }, // 192.88.99.2/32: inside
        { "192.88.99.3", false }, // 192.88.99.2/32: just outside
        { "192.88.99.1", false }, // 192.88.99.2/32: just outside
        { "192.168.0.0", false }, // 192.168.0.0/16: inside
        { "192.168.255.255", false }, // 192.168.0.0/16: inside
        { "192.169.0.0", true }, // 192.168.0.0/16: just outside
        { "192.167.255.255", true }, // 192.168.0.0/16: just outside
        { "192.175.48.0", true }, // 192.175.48.0/24: inside
        { "192.175.48.255", true }, // 192.175.48.0/24: inside
        { "192.175.49.0", true }, // 192.175.48.0/24: just outside
        { "192.175.47.255", true }, // 192.175.48.0/24: just outside
        { "198.18.0.0", false }, // 198.18.0.0/15: inside
        { "198.19.255.255", false }, // 198.18.0.0/15: inside
        { "198.20.0.0", true }, // 198.18.0.0/15: just outside
        { "198.17.255.255", true }, // 198.18.0.0/15: just outside
        { "198.51.100.0", false }, // 198.51.100.0/24: inside
        { "198.51.100.255", false }, // 198.51.100.0/24: inside
        { "198.51.101.0", true }, // 198.51.100.0/24: just outside
        { "198.51.99.255", true }, // 198.51.100.0/24: just outside
        { "203.0.113.0", false }, // 203.0.113.0/24: inside
        { "203.0.113.255", false }, // 203.0.113.0/24: inside
        { "203.0.114.0", true }, // 203.0.113.0/24: just outside
        { "203.0.112.255", true }, // 203.0.113.0/24: just outside
        { "240.0.0.0", false }, // 240.0.0.0/4: inside
        { "255.255.255.255", false }, // 240.0.0.0/4: inside
        { "239.255.255.255", false }, // 240.0.0.0/4: just outside
        { "255.255.255.254", false }, // 255.255.255.255/32: just outside
        { "::1", false }, // ::1/128: inside
        { "::2", false }, // ::1/128: just outside
        { "::", false }, // ::1/128: just outside
        { "::ffff:0:0", false }, // ::ffff:0:0/96: inside
        { "::ffff:ffff:ffff", false }, // ::ffff:0:0/96: inside
        { "::1:0:0:0", false }, // ::ffff:0:0/96: just outside
        { "::fffe:ffff:ffff", false }, // ::ffff:0:0/96: just outside
        { "64:ff9b::", false }, // 64:ff9b::/96: inside
        { "64:ff9b::ffff:ffff", false }, // 64:ff9b::/96: inside
        { "64:ff9b::1:0:0", false }, // 64:ff9b::/96: just outside
        { "64:ff9a:ffff:ffff:ffff:ffff:ffff:ffff", false }, // 64:ff9b::/96: just outside
        { "64:ff9b:1::", false }, // 64:ff9b:1::/48: inside
        { "64:ff9b:1:ffff:ffff:ffff:ffff:ffff", false }, // 64:ff9b:1::/48: inside
        { "64:ff9b:2::", false }, // 64:ff9b:1::/48: just outside
        { "64:ff9b:0:ffff:ffff:ffff:ffff:ffff", false }, // 64:ff9b:1::/48: just outside
        { "100::", false }, // 100::/64: inside
        { "100::ffff:ffff:ffff:ffff", false }, // 100::/64: inside
        { "100:0:0:1::", false }, // 100::/64: just outside
        { "ff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", false }, // 100::/64: just outside
        { "100::1:ffff:ffff:ffff:ffff", false }, // 100:0:0:1::/64: inside
        { "100:0:0:2::", false }, // 100:0:0:1::/64: just outside
        { "2001::", false }, // 2001::/23: inside
        { "2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff", false }, // 2001::/23: inside
        { "2001:200::", true }, // 2001::/23: just outside
        { "2000:ffff:ffff:ffff:ffff:ffff:ffff:ffff", true }, // 2001::/23: just outside
        { "2001:0:ffff:ffff:ffff:ffff:ffff:ffff", false }, // 2001::/32: inside
        { "2001:1::", false }, // 2001::/32: just outside
        { "2001:1::1", false }, // 2001:1::1/128: inside
        { "2001:1::2", false }, // 2001:1::1/128: just outside
        { "2001:1::3", false }, // 2001:1::2/128: just outside
        { "2001:1::4", false }, // 2001:1::3/128: just outside
        { "2001:2::", false }, // 2001:2::/48: inside
        { "2001:2:0:ffff:ffff:ffff:ffff:ffff", false }, // 2001:2::/48: inside
        { "2001:2:1::", false }, // 2001:2::/48: just outside
        { "2001:1:ffff:ffff:ffff:ffff:ffff:ffff", false }, // 2001:2::/48: just outside
        { "2001:3::", false }, // 2001:3::/32: inside
        { "2001:3:ffff:ffff:ffff:ffff:ffff:ffff", false }, // 2001:3::/32: inside
        { "2001:4::", false }, // 2001:3::/32: just outside
        { "2001:2:ffff:ffff:ffff:ffff:ffff:ffff", false }, // 2001:3::/32: just outside
        { "2001:4:112::", false }, // 2001:4:112::/48: inside
        { "2001:4:112:ffff:ffff:ffff:ffff:ffff", false }, // 2001:4:112::/48: inside
        { "2001:4:113::", false }, // 2001:4:112::/48: just outside
        { "2001:4:111:ffff:ffff:ffff:ffff:ffff", false }, // 2001:4:112::/48: just outside
        { "2001:10::", false }, // 2001:10::/28: inside
        { "2001:1f:ffff:ffff:ffff:ffff:ffff:ffff", false }, // 2001:10::/28: inside
        { "2001:20::", false }, // 2001:10::/28: just outside
        { "2001:f:ffff:ffff:ffff:ffff:ffff:ffff", false }, // 2001:10::/28: just outside
        { "2001:2f:ffff:ffff:ffff:ffff:ffff:ffff", false }, // 2001:20::/28: inside
        { "2001:30::", false }, // 2001:20::/28: just outside
        { "2001:3f:ffff:ffff:ffff:ffff:ffff:ffff", false }, // 2001:30::/28: inside
        { "2001:40::", false }, // 2001:30::/28: just outside
        { "2001:db8::", false }, // 2001:db8::/32: inside
        { "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", false }, // 2001:db8::/32: inside
        { "2001:db9::", true }, // 2001:db8::/32: just outside
        { "2001:db7:ffff:ffff:ffff:ffff:ffff:ffff", true }, // 2001:db8::/32: just outside
        { "2002::", false }, // 2002::/16: inside
        { "2002:ffff:ffff:ffff:ffff:ffff:ffff:ffff", false }, // 2002::/16: inside
        { "2003::", true }, // 2002::/16: just outside
        { "2001:ffff:ffff:ffff:ffff:ffff:ffff:ffff", true }, // 2002::/16: just outside
        { "2620:4f:8000::", true }, // 2620:4f:8000::/48: inside
        { "2620:4f:8000:ffff:ffff:ffff:ffff:ffff", true }, // 2620:4f:8000::/48: inside
        { "2620:4f:8001::", true }, // 2620:4f:8000::/48: just outside
        { "2620:4f:7fff:ffff:ffff:ffff:ffff:ffff", true }, // 2620:4f:8000::/48: just outside
        { "3fff::", false }, // 3fff::/20: inside
        { "3fff:fff:ffff:ffff:ffff:ffff:ffff:ffff", false }, // 3fff::/20: inside
        { "3fff:1000::", true }, // 3fff::/20: just outside
        { "3ffe:ffff:ffff:ffff:ffff:ffff:ffff:ffff", true }, // 3fff::/20: just outside
        { "5f00::", false }, // 5f00::/16: inside
        { "5f00:ffff:ffff:ffff:ffff:ffff:ffff:ffff", false }, // 5f00::/16: inside
        { "5f01::", false }, // 5f00::/16: just outside
        { "5eff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", false }, // 5f00::/16: just outside
        { "fc00::", false }, // fc00::/7: inside
        { "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", false }, // fc00::/7: inside
        { "fe00::", false }, // fc00::/7: just outside
        { "fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", false }, // fc00::/7: just outside
        { "fe80::", false }, // fe80::/10: inside
        { "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff", false }, // fe80::/10: inside
        { "fec0::", false }, // fe80::/10: just outside
        { "fe7f:ffff:ffff:ffff:ffff:ffff:ffff:ffff", false }, // fe80::/10: just outside
        { "224.0.0.0", false }, // 224.0.0.0/4: inside
        { "223.255.255.255", true }, // 224.0.0.0/4: just outside
        { "1fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", false }, // ::/3: inside
        { "2000::", true }, // ::/3: just outside
        { "4000::", false }, // 4000::/2: inside
        { "7fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", false }, // 4000::/2: inside
        { "8000::", false }, // 4000::/2: just outside
        { "3fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", true }, // 4000::/2: just outside
        { "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", false }, // 8000::/1: inside
        // Embedded IPv4 is judged as the IPv4 it carries: NAT64 well-known prefix, 6to4, IPv4-mapped; the local-use
        // NAT64 prefix (RFC 8215) is not globally reachable, whatever it carries.
        { "64:ff9b::808:808", true },
        { "64:ff9b::a00:1", false },
        { "64:ff9b:1::808:808", false },
        { "64:ff9b:1:abcd::1", false },
        { "2002:808:808::1", true },
        { "2002:c000:209::1", false },
        { "::ffff:192.88.99.2", false },
        { "::ffff:8.8.8.8", true },
    };

    [Theory]
    [MemberData(nameof(CasosDelRegistro))]
    public void Cada_entrada_del_registro_IANA_por_dentro_y_justo_afuera(string direccion, bool publica)
    {
        var ip = IPAddress.Parse(direccion);
        Assert.Equal(publica, PoliticaDeDestinos.EsPublica(PoliticaDeDestinos.Normalizar(ip)));
        Assert.Equal(publica, Politica().Permitida("destino", ip));
    }

    /// <summary>No entry of the table goes untested: its first address and the one just past its end are cases above.</summary>
    [Fact]
    public void Cada_entrada_del_registro_tiene_sus_casos()
    {
        var casos = CasosDelRegistro().Select(c => IPAddress.Parse((string)c[0])).ToHashSet();
        foreach (var e in PoliticaDeDestinos.RegistroEspecial.Concat(PoliticaDeDestinos.NoUnidifusion))
        {
            var bytes = e.Bloque.BaseAddress.GetAddressBytes();
            var bits = bytes.Length * 8;
            var primera = new System.Numerics.BigInteger(bytes, isUnsigned: true, isBigEndian: true);
            var siguiente = primera + (System.Numerics.BigInteger.One << (bits - e.Bloque.PrefixLength));
            Assert.True(casos.Contains(e.Bloque.BaseAddress), $"{e.Bloque} ({e.Nombre}): falta su primera dirección");
            if (siguiente < System.Numerics.BigInteger.One << bits)
            {
                var b = siguiente.ToByteArray(isUnsigned: true, isBigEndian: true);
                var completa = new byte[bytes.Length];
                b.CopyTo(completa, bytes.Length - b.Length);
                var despues = new IPAddress(completa);
                Assert.True(casos.Contains(despues), $"{e.Bloque} ({e.Nombre}): falta {despues}, justo afuera");
            }
        }
    }

    [Fact]
    public void El_registro_IPv6_incluye_el_prefijo_NAT64_de_uso_local()
    {
        var nat64Local = Assert.Single(PoliticaDeDestinos.RegistroEspecial, e => e.Bloque.ToString() == "64:ff9b:1::/48");
        Assert.False(nat64Local.GlobalmenteAlcanzable);
        Assert.Equal("RFC 8215", nat64Local.Rfc);
    }
}
