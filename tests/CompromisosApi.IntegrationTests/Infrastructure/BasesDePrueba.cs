using Microsoft.AspNetCore.Mvc.Testing;

namespace CompromisosApi.IntegrationTests.Infrastructure;

/// <summary>
/// The run's one PostgreSQL server (see <see cref="PostgresServer"/>) and its template database: started on first use,
/// migrated once by the service's own start-up (as the owner role, which grants the runtime role Privilegios.sql, as
/// a deployment does), then copied for every collection of tests (CREATE DATABASE … TEMPLATE), so that collections
/// run side by side, each on a database of its own. Stopped when the assembly's tests end (<see cref="MarcoDePruebas"/>).
/// </summary>
public static class BasesDePrueba
{
    private static readonly object Cerrojo = new();
    private static Task<PostgresServer>? _plantilla;
    // A server where no database can be created (a single role): the collections take turns on its one database.
    private static readonly SemaphoreSlim Turno = new(1, 1);

    /// <summary>A database for one collection: a copy of the migrated template (or, with a single role, the one database, in turn).</summary>
    public static async Task<PostgresServer> NuevaAsync()
    {
        var plantilla = await PlantillaAsync();
        if (plantilla.Copiable) return await plantilla.CopiarAsync();

        await Turno.WaitAsync();
        return plantilla.Prestada(() =>
        {
            Turno.Release();
            return Task.CompletedTask;
        });
    }

    private static Task<PostgresServer> PlantillaAsync()
    {
        lock (Cerrojo) return _plantilla ??= CrearPlantillaAsync();
    }

    private static async Task<PostgresServer> CrearPlantillaAsync()
    {
        var servidor = await PostgresServer.StartAsync();
        // With a single role the service migrates its one database as that role when the first collection's host starts.
        if (!servidor.Copiable) return servidor;

        try
        {
            await using (var servicio = new WebApplicationFactory<Program>().WithWebHostBuilder(b => ApiFactory.ConfigurarServicio(b, servidor)))
            {
                _ = servicio.Server; // starts the service, which migrates
            }

            await servidor.CerrarComoPlantillaAsync();
            return servidor;
        }
        catch
        {
            await servidor.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops the server (or, on someone else's, drops what the run created there).</summary>
    public static async Task DetenerAsync()
    {
        Task<PostgresServer>? plantilla;
        lock (Cerrojo) (plantilla, _plantilla) = (_plantilla, null);
        if (plantilla is null) return;
        await (await plantilla).DisposeAsync();
    }
}
