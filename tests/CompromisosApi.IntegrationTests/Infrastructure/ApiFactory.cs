using CompromisosApi.Persistence;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;
using Respawn;
using Respawn.Graph;

namespace CompromisosApi.IntegrationTests.Infrastructure;

/// <summary>
/// The definition the parallel collections of HTTP tests share (<see cref="ColeccionesDePrueba"/> spreads the test
/// classes over them): each collection gets an <see cref="ApiFactory"/> of its own, on a database of its own.
/// </summary>
[CollectionDefinition(nameof(ApiCollection))]
public sealed class ApiCollection : ICollectionFixture<ApiFactory>;

/// <summary>
/// Tests that must be alone in the process and on the server: they measure the process's memory, time answers under
/// load, drive a browser, or read what PostgreSQL shows of the whole cluster. They run one after another, after the
/// parallel collections, with a host and a database of their own.
/// </summary>
[CollectionDefinition(nameof(ColeccionAislada), DisableParallelization = true)]
public sealed class ColeccionAislada : ICollectionFixture<ApiFactory>;

/// <summary>
/// The real service over a real PostgreSQL (Docker, a throwaway local cluster or COMPROMISOS_TEST_CONNECTION), on a
/// database of its collection's own copied from the run's migrated template, connected as the runtime role and
/// migrated by the service's own start-up as the owner role (there is nothing left to apply; the grants are applied
/// again), and emptied between tests with Respawn (DELETE, see <see cref="ResetAsync"/>).
/// </summary>
public sealed class ApiFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    private PostgresServer? _postgres;
    private Respawner? _respawner;
    private volatile bool _hostPrincipalListo;

    private PostgresServer Postgres => _postgres ?? throw new InvalidOperationException("PostgreSQL no ha partido.");

    /// <summary>The test database as a superuser: for the tests' own SQL (fixtures, counters, Respawn).</summary>
    public string ConnectionString => Postgres.ConnectionString;

    /// <summary>The runtime role the service under test connects as.</summary>
    public string ConexionAplicacion => Postgres.ConexionAplicacion;

    /// <summary>The owner role the service migrates as (null with a single role, see <see cref="SinRolesSeparados"/>).</summary>
    public string? ConexionMigraciones => Postgres.ConexionMigraciones;

    public string? SinRolesSeparados => Postgres.SinRolesSeparados;

    /// <summary>Checks every response of this host and of the hosts derived from it against the contract.</summary>
    public ObservadorDeContrato Contrato { get; } = new();

    /// <summary>The name of this collection's database.</summary>
    public string BaseDeDatos => new NpgsqlConnectionStringBuilder(ConexionAplicacion).Database!;

    public async Task InitializeAsync()
    {
        _postgres = await BasesDePrueba.NuevaAsync();
        _ = Server; // builds the host, which applies the migrations
        _hostPrincipalListo = true;
        await using var conexion = new NpgsqlConnection(ConnectionString);
        await conexion.OpenAsync();
        _respawner = await Respawner.CreateAsync(conexion, new RespawnerOptions
        {
            DbAdapter = DbAdapter.Postgres,
            SchemasToInclude = ["public"],
            // The catalog of evaluation lines is seeded by the migration, like the history table; the audit trail
            // refuses deletes by design, and tests read it by their own actor or entity ids.
            TablesToIgnore = [new Table("__EFMigrationsHistory"), new Table("lineas_evaluacion"), new Table("tipos_compromiso"), new Table("auditoria")],
            // DELETE rather than Respawn's TRUNCATE for PostgreSQL: a test leaves a few rows, and TRUNCATE (new files for
            // every table, every pooled connection's cache of them invalidated) took ~50 ms per test, DELETE ~7 ms.
            FormatDeleteStatement = t => $"DELETE FROM \"{t.Schema}\".\"{t.Name}\";",
        });
    }

    public async Task ResetAsync()
    {
        await using var conexion = new NpgsqlConnection(ConnectionString);
        await conexion.OpenAsync();
        // As the superuser, without triggers (the search documents rebuilt as their rows go) or foreign-key checks:
        // every table of the record is emptied anyway.
        var superusuario = SinRolesSeparados is null;
        if (superusuario) await EjecutarAsync(conexion, "SET session_replication_role = replica");
        try
        {
            await _respawner!.ResetAsync(conexion);
        }
        finally
        {
            if (superusuario) await EjecutarAsync(conexion, "RESET session_replication_role");
        }
    }

    private static async Task EjecutarAsync(NpgsqlConnection conexion, string sql)
    {
        await using var comando = new NpgsqlCommand(sql, conexion);
        await comando.ExecuteNonQueryAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ConfigurarServicio(builder, Postgres);
        Contrato.Instalar(builder);
        // The other hosts of a test (WithWebHostBuilder: another configuration, a second instance) share this database,
        // which this host's start-up has migrated: they don't migrate again.
        if (_hostPrincipalListo) builder.UseSetting("Database:ApplyMigrations", "false");
    }

    /// <summary>The service as the tests run it, on the given database (also the template's one-time migration).</summary>
    internal static void ConfigurarServicio(IWebHostBuilder builder, PostgresServer postgres)
    {
        builder.UseEnvironment("Testing");
        postgres.Configurar(builder);
        builder.UseSetting("Authentication:Schemes:Bearer:ValidIssuer", Tokens.Emisor);
        builder.UseSetting("Authentication:Schemes:Bearer:ValidAudiences:0", Tokens.Audiencia);
        builder.UseSetting("Authentication:Schemes:Bearer:SigningKeys:0:Issuer", Tokens.Emisor);
        builder.UseSetting("Authentication:Schemes:Bearer:SigningKeys:0:Value", Convert.ToBase64String(Tokens.Clave));
        // The suite sends thousands of requests a minute from one principal; the limit has its own test.
        builder.UseSetting("LimitesDeUso:SolicitudesPorMinuto", "1000000");
        builder.UseSetting("LimitesDeUso:SolicitudesAnonimasPorMinuto", "1000000");
        // Background work only where a test asks for it (its own host), so it never races the Respawn resets.
        builder.UseSetting("Webhooks:Habilitado", "false");
        builder.UseSetting("TareasProgramadas:Habilitado", "false");
        builder.UseSetting("Estadisticas:Consolidacion:Habilitada", "false");
        // ContadorDeConsultas listens to EF Core's diagnostic events. A pooled DbContext keeps its logger, which caches
        // "nobody is listening" for a second by default, so a counter that starts right after a request would see nothing.
        builder.ConfigureTestServices(s => s.ConfigureDbContext<CompromisosDbContext>(o => o.ConfigureLoggingCacheTime(TimeSpan.Zero)));
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        if (_postgres is not null) await _postgres.DisposeAsync();
    }
}

/// <summary>
/// Every HTTP test starts from an empty record. Its class runs in one of the copies of <see cref="ApiCollection"/>
/// (<see cref="ColeccionesDePrueba"/> deals the classes), or in <see cref="ColeccionAislada"/> when it says so.
/// </summary>
[Collection(nameof(ApiCollection))]
public abstract class PruebaApi(ApiFactory factory) : IAsyncLifetime
{
    protected ApiFactory Factory { get; } = factory;
    /// <summary>An analista who is also administrador: most tests are about the record, not about who writes it.</summary>
    protected HttpClient Cliente { get; } = factory.CreateClient().Autenticar(Tokens.Crear("ana", ["analista", "administrador"]));

    protected HttpClient ClienteCon(string sujeto, string[] roles, int? servicioId = null) =>
        Factory.CreateClient().Autenticar(Tokens.Crear(sujeto, roles, servicioId));

    protected HttpClient ClienteAnonimo() => Factory.CreateClient();
    protected Escenario Escenario => new(Cliente);

    public Task InitializeAsync()
    {
        Factory.Contrato.Comenzar(GetType());
        return Factory.ResetAsync();
    }

    /// <summary>Fails the test if a response it caused is not what the contract documents (<see cref="ValidacionDeContrato"/>).</summary>
    public Task DisposeAsync() => Factory.Contrato.TerminarAsync();
}
