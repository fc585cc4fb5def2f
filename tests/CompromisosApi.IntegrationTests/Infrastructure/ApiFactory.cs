using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;
using Respawn;
using Respawn.Graph;

namespace CompromisosApi.IntegrationTests.Infrastructure;

[CollectionDefinition(nameof(ApiCollection))]
public sealed class ApiCollection : ICollectionFixture<ApiFactory>;

/// <summary>
/// The real service over a real PostgreSQL (Docker, a throwaway local cluster or COMPROMISOS_TEST_CONNECTION),
/// migrated by the service's own start-up, and emptied between tests with Respawn.
/// </summary>
public sealed class ApiFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    private PostgresServer? _postgres;
    private Respawner? _respawner;

    public string ConnectionString => _postgres?.ConnectionString ?? throw new InvalidOperationException("PostgreSQL no ha partido.");

    public async Task InitializeAsync()
    {
        _postgres = await PostgresServer.StartAsync();
        _ = Server; // builds the host, which applies the migrations
        await using var conexion = new NpgsqlConnection(ConnectionString);
        await conexion.OpenAsync();
        _respawner = await Respawner.CreateAsync(conexion, new RespawnerOptions
        {
            DbAdapter = DbAdapter.Postgres,
            SchemasToInclude = ["public"],
            // The catalog of evaluation lines is seeded by the migration, like the history table.
            TablesToIgnore = [new Table("__EFMigrationsHistory"), new Table("lineas_evaluacion")],
        });
    }

    public async Task ResetAsync()
    {
        await using var conexion = new NpgsqlConnection(ConnectionString);
        await conexion.OpenAsync();
        await _respawner!.ResetAsync(conexion);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Compromisos", ConnectionString);
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        if (_postgres is not null) await _postgres.DisposeAsync();
    }
}

/// <summary>Every HTTP test starts from an empty record.</summary>
[Collection(nameof(ApiCollection))]
public abstract class PruebaApi(ApiFactory factory) : IAsyncLifetime
{
    protected ApiFactory Factory { get; } = factory;
    protected HttpClient Cliente { get; } = factory.CreateClient();
    protected Escenario Escenario => new(Cliente);

    public Task InitializeAsync() => Factory.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;
}
