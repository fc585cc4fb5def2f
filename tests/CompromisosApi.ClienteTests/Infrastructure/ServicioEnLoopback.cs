using System.Net.Http.Headers;
using CompromisosApi.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CompromisosApi.ClienteTests.Infrastructure;

/// <summary>The lifecycle tests of the generated clients share one service (<see cref="ServicioEnLoopback"/>) and run one after another.</summary>
[CollectionDefinition(nameof(ClientesGenerados))]
public sealed class ClientesGenerados : ICollectionFixture<ServicioEnLoopback>;

/// <summary>
/// The service as an integrating system meets it: Kestrel on a loopback port (a client outside the process, node, can
/// reach it), over a real PostgreSQL (the integration tests' <see cref="PostgresServer"/>), trusting the tests' tokens
/// (<see cref="Tokens"/>). Two hosts on the one database: <see cref="Abierto"/> as deployed by default, reads public,
/// and <see cref="Cerrado"/> with <c>Autorizacion:LecturaPublica=false</c>, where every read needs a token. Each
/// client's lifecycle writes names of its own, so they share the record without meeting.
/// </summary>
public sealed class ServicioEnLoopback : IAsyncLifetime
{
    private PostgresServer? _postgres;
    private WebApplicationFactory<Program>? _abierto;
    private WebApplicationFactory<Program>? _cerrado;

    /// <summary>Base address of the host with public reads (ends in "/").</summary>
    public Uri Abierto { get; private set; } = null!;

    /// <summary>Base address of the host with <c>Autorizacion:LecturaPublica=false</c> (ends in "/").</summary>
    public Uri Cerrado { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _postgres = await PostgresServer.StartAsync();
        (_abierto, Abierto) = Iniciar(_ => { });
        // The first host migrated the database; the second one only serves it.
        (_cerrado, Cerrado) = Iniciar(b => b
            .UseSetting("Database:ApplyMigrations", "false")
            .UseSetting("Autorizacion:LecturaPublica", "false"));
    }

    private (WebApplicationFactory<Program>, Uri) Iniciar(Action<IWebHostBuilder> configurar)
    {
        var factory = new Anfitrion(b =>
        {
            _postgres!.Configurar(b)
                .UseEnvironment("Testing")
                .UseSetting("Authentication:Schemes:Bearer:ValidIssuer", Tokens.Emisor)
                .UseSetting("Authentication:Schemes:Bearer:ValidAudiences:0", Tokens.Audiencia)
                .UseSetting("Authentication:Schemes:Bearer:SigningKeys:0:Issuer", Tokens.Emisor)
                .UseSetting("Authentication:Schemes:Bearer:SigningKeys:0:Value", Convert.ToBase64String(Tokens.Clave))
                // No background work: the lifecycles need none, and it would only compete for the 2 cores.
                .UseSetting("Webhooks:Habilitado", "false")
                .UseSetting("TareasProgramadas:Habilitado", "false");
            configurar(b);
        });
        // A real socket, on a port the system chooses: the TypeScript client runs under node, outside this process.
        factory.UseKestrel(0);
        factory.StartServer();
        var direccion = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (factory, new Uri(direccion.TrimEnd('/') + "/"));
    }

    /// <summary>
    /// A factory of its own rather than WithWebHostBuilder: the factory WithWebHostBuilder returns builds its host
    /// through its parent, which ignores UseKestrel called on it (it bound the default port 5000).
    /// </summary>
    private sealed class Anfitrion(Action<IWebHostBuilder> configurar) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder) => configurar(builder);
    }

    /// <summary>An HttpClient on <paramref name="host"/> that sends <paramref name="token"/> (none when null) on every request.</summary>
    public static HttpClient Http(Uri host, string? token)
    {
        var http = new HttpClient { BaseAddress = host, Timeout = TimeSpan.FromSeconds(60) };
        if (token is not null) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    public async Task DisposeAsync()
    {
        if (_cerrado is not null) await _cerrado.DisposeAsync();
        if (_abierto is not null) await _abierto.DisposeAsync();
        if (_postgres is not null) await _postgres.DisposeAsync();
    }
}
