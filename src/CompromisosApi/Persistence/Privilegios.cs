using System.Text.RegularExpressions;
using Npgsql;

namespace CompromisosApi.Persistence;

/// <summary>Applies <c>Privilegios.sql</c> (embedded) for a runtime role, in one transaction.</summary>
public static partial class Privilegios
{
    private static readonly string Plantilla = LeerPlantilla();

    /// <summary>An unquoted PostgreSQL identifier: the name is also quoted, this only keeps odd names out of the DDL.</summary>
    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,62}$")]
    private static partial Regex NombreDeRol();

    public static string Script(string rol) => NombreDeRol().IsMatch(rol)
        ? Plantilla.Replace(":\"rol\"", $"\"{rol}\"", StringComparison.Ordinal)
        : throw new InvalidOperationException($"El rol de la aplicación «{rol}» no es un identificador de PostgreSQL válido.");

    public static async Task OtorgarAsync(NpgsqlConnection conexion, string rol, CancellationToken ct)
    {
        var script = Script(rol);
        await using var tx = await conexion.BeginTransactionAsync(ct);
        await using (var otorgar = new NpgsqlCommand(script, conexion, tx)) await otorgar.ExecuteNonQueryAsync(ct);
        var faltantes = await TablasSinPrivilegiosAsync(conexion, tx, rol, ct);
        // A table a migration added without a line in Privilegios.sql would fail at its first request, in production;
        // fail here instead, before the service starts (the grants roll back, the migration stays).
        if (faltantes.Count > 0)
        {
            throw new InvalidOperationException(
                $"Tablas sin privilegios para el rol de la aplicación: {string.Join(", ", faltantes)}. Agréguelas a Persistence/Privilegios.sql.");
        }

        await tx.CommitAsync(ct);
    }

    /// <summary>
    /// Tables of the schema on which the role holds no privilege of its own (the migration history is the owner's; a
    /// partition is reached through its table, whose privileges are checked).
    /// </summary>
    public static async Task<List<string>> TablasSinPrivilegiosAsync(NpgsqlConnection conexion, NpgsqlTransaction? tx, string rol, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm') AND c.relname <> '__EFMigrationsHistory'
               AND NOT c.relispartition
               AND NOT EXISTS (SELECT 1 FROM aclexplode(c.relacl) a JOIN pg_roles r ON r.oid = a.grantee WHERE r.rolname = $1)
             ORDER BY c.relname
            """, conexion, tx);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = rol });
        var tablas = new List<string>();
        await using var lector = await cmd.ExecuteReaderAsync(ct);
        while (await lector.ReadAsync(ct)) tablas.Add(lector.GetString(0));
        return tablas;
    }

    private static string LeerPlantilla()
    {
        using var recurso = typeof(Privilegios).Assembly.GetManifestResourceStream("CompromisosApi.Persistence.Privilegios.sql")
            ?? throw new InvalidOperationException("Falta el recurso Persistence/Privilegios.sql.");
        using var lector = new StreamReader(recurso);
        return lector.ReadToEnd();
    }
}
