using Npgsql;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace CompromisosApi.Persistence;

/// <summary>
/// Applies the migrations, at start (<c>Database:ApplyMigrations</c>) or as the <c>migrate</c> command. With
/// <c>ConnectionStrings:Migraciones</c> they run as that role, the tables' owner, which then grants the runtime role of
/// <c>ConnectionStrings:Compromisos</c> exactly what <c>Privilegios.sql</c> says: a compromised service can read and
/// write the record as the API does, but can't disable the audit trail's trigger, rewrite it, or change the schema.
/// Without it the runtime role migrates and so owns everything, as a single-role development set-up does.
/// </summary>
public static partial class Migraciones
{
    public static async Task AplicarAsync(IServiceProvider servicios, CancellationToken ct)
    {
        var config = servicios.GetRequiredService<IConfiguration>();
        var log = servicios.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(Migraciones));
        var propietario = config.GetConnectionString("Migraciones");
        if (string.IsNullOrWhiteSpace(propietario))
        {
            SinRolPropietario(log);
            await using var scope = servicios.CreateAsyncScope();
            try
            {
                await MigrarAsync(scope.ServiceProvider.GetRequiredService<CompromisosDbContext>(), ct);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
            {
                throw new InvalidOperationException(
                    "El rol de ConnectionStrings:Compromisos no puede migrar (no es dueño de las tablas): defina ConnectionStrings:Migraciones " +
                    "con el rol propietario, o migre aparte (comando migrate) y arranque con Database:ApplyMigrations=false.", e);
            }

            return;
        }

        var rolAplicacion = new NpgsqlConnectionStringBuilder(Conexion.Preparar(config)).Username
            ?? throw new InvalidOperationException(
                "ConnectionStrings:Compromisos debe nombrar su Username (el rol de la aplicación) para otorgarle sus privilegios.");
        // Not pooled: used once, it must not keep an owner's connection open for the life of the service.
        var cadena = new NpgsqlConnectionStringBuilder(propietario) { Pooling = false }.ConnectionString;
        // Named like the runtime pool, for the metrics (Persistence/Conexion.cs).
        await using var fuente = new NpgsqlDataSourceBuilder(cadena) { Name = "compromisos-migraciones" }.Build();
        var opciones = new DbContextOptionsBuilder<CompromisosDbContext>().UseNpgsql(fuente).UseSnakeCaseNamingConvention().Options;
        await using (var db = new CompromisosDbContext(opciones)) await MigrarAsync(db, ct);

        // From the named source too: a bare connection would label its metrics with the owner's connection string.
        await using var conexion = await fuente.OpenConnectionAsync(ct);
        await using (var quien = new NpgsqlCommand("SELECT current_user", conexion))
        {
            if ((string?)await quien.ExecuteScalarAsync(ct) == rolAplicacion)
            {
                MismoRol(log, rolAplicacion);
                return;
            }
        }

        await Privilegios.OtorgarAsync(conexion, rolAplicacion, ct);
    }

    /// <summary>
    /// Migrates, unless the database was built by another chain of migrations: the ones written before v1 was
    /// squashed into one initial migration. EF would otherwise try to create every table again and stop at the first
    /// ("already exists"); a database history that knows none of this service's migrations is refused by name instead.
    /// A database migrated by a later version (its history has this service's migrations and more) still starts.
    /// </summary>
    private static async Task MigrarAsync(CompromisosDbContext db, CancellationToken ct)
    {
        var propias = db.Database.GetMigrations().ToHashSet(StringComparer.Ordinal);
        // Asked only when the history exists: on an empty database EF's query of the missing table logs an error
        // ("Failed executing DbCommand") that is no error at all, and is the first line a newcomer would read.
        var historia = db.Database.GetService<Microsoft.EntityFrameworkCore.Migrations.IHistoryRepository>();
        var aplicadas = await historia.ExistsAsync(ct) ? (await db.Database.GetAppliedMigrationsAsync(ct)).ToList() : [];
        if (aplicadas.Count > 0 && !aplicadas.Any(propias.Contains))
        {
            throw new InvalidOperationException(
                $"La base de datos fue migrada con migraciones que este servicio no tiene ({aplicadas[0]} … {aplicadas[^1]}), " +
                "anteriores a la migración inicial única de la v1: vuelva a crearla vacía (README, The schema).");
        }

        await db.Database.MigrateAsync(ct);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sin ConnectionStrings:Migraciones: las migraciones corren con el rol de la aplicación, " +
        "que es dueño de las tablas (puede alterarlas y desactivar el disparador de la auditoría). En producción, use dos roles (README, Database roles).")]
    private static partial void SinRolPropietario(ILogger log);

    [LoggerMessage(Level = LogLevel.Warning, Message = "ConnectionStrings:Migraciones y ConnectionStrings:Compromisos usan el mismo rol ({Rol}): " +
        "no se otorgan privilegios, el servicio es dueño de las tablas.")]
    private static partial void MismoRol(ILogger log, string rol);
}
