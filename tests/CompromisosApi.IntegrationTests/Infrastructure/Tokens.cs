using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CompromisosApi.IntegrationTests.Infrastructure;

/// <summary>Mints tokens the way dotnet user-jwts does: a symmetric key the service is configured to trust.</summary>
public static class Tokens
{
    public const string Emisor = "compromisos-tests";
    public const string Audiencia = "compromisos-api";
    public static readonly byte[] Clave = RandomNumberGenerator.GetBytes(32);

    public static string Crear(
        string? sujeto, IEnumerable<string> roles, int? servicioId = null, string? emisor = null, string? audiencia = null,
        DateTime? expira = null, byte[]? clave = null, IReadOnlyDictionary<string, string>? otros = null)
    {
        // A null sujeto mints a token that names no one (no sub, no name), signed like any other.
        var claims = sujeto is null ? new List<Claim>() : [new("sub", sujeto), new("name", sujeto)];
        claims.AddRange(roles.Select(r => new Claim("role", r)));
        if (servicioId is { } s) claims.Add(new Claim("servicio_id", s.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        foreach (var (tipo, valor) in otros ?? new Dictionary<string, string>()) claims.Add(new Claim(tipo, valor));
        var ahora = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity(claims),
            Issuer = emisor ?? Emisor,
            Audience = audiencia ?? Audiencia,
            NotBefore = (expira ?? ahora.AddHours(1)) < ahora ? expira!.Value.AddHours(-1) : ahora.AddMinutes(-1),
            Expires = expira ?? ahora.AddHours(1),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(clave ?? Clave), SecurityAlgorithms.HmacSha256),
        });
    }

    public static HttpClient Autenticar(this HttpClient cliente, string token)
    {
        cliente.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return cliente;
    }
}
