using CompromisosApi.IntegrationTests.Infrastructure;
using CompromisosApi.Persistence;
using Npgsql;

namespace CompromisosApi.IntegrationTests;

/// <summary>
/// The service connects as a runtime role that owns nothing and holds only the DML of Persistence/Privilegios.sql:
/// taken over, it can't rewrite the audit trail, switch its trigger off, or change the schema. Each attempt runs in a
/// transaction that is rolled back, so a role with too much power fails the test without damaging the database.
/// </summary>
public sealed class PrivilegiosTests(ApiFactory factory) : PruebaApi(factory)
{
    private string RolAplicacion => new NpgsqlConnectionStringBuilder(Factory.ConexionAplicacion).Username!;

    public static TheoryData<string> ContraLaAuditoria =>
    [
        "UPDATE auditoria SET operacion = 'nada'",
        "DELETE FROM auditoria",
        "TRUNCATE auditoria",
        "ALTER TABLE auditoria DISABLE TRIGGER auditoria_sin_cambios",
        "ALTER TABLE auditoria DISABLE TRIGGER ALL",
        "DROP TRIGGER auditoria_sin_truncate ON auditoria",
        "CREATE OR REPLACE FUNCTION auditoria_solo_agregar() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
        "ALTER TABLE auditoria OWNER TO CURRENT_USER",
        "SET session_replication_role = replica",
    ];

    [SkippableTheory]
    [MemberData(nameof(ContraLaAuditoria))]
    public async Task El_rol_de_la_aplicacion_no_puede_reescribir_la_auditoria_ni_apagar_su_disparador(string sql)
    {
        Skip.If(Factory.SinRolesSeparados is not null, Factory.SinRolesSeparados);
        await Escenario.CrearAsync("/api/v1/ministerios", new { nombre = "Ministerio de Prueba" });

        var error = await IntentarComoAplicacionAsync(sql);

        Assert.NotNull(error);
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
        // Refused by PostgreSQL's privilege checks, not by the audit trail's own trigger (which answers 42501 too, and
        // which only an owner could switch off).
        Assert.NotEqual("exec_stmt_raise", error.Routine);
    }

    [SkippableFact]
    public async Task Sobre_la_auditoria_solo_lee_y_agrega()
    {
        Skip.If(Factory.SinRolesSeparados is not null, Factory.SinRolesSeparados);
        // Not the trigger's refusal (it answers 42501 too, to anyone): the privilege itself is missing.
        await using var c = new NpgsqlConnection(Factory.ConnectionString);
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            SELECT p FROM unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']) p
             WHERE has_table_privilege($1, 'auditoria', p) ORDER BY p
            """, c);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = RolAplicacion });
        var concedidos = new List<string>();
        await using (var r = await cmd.ExecuteReaderAsync())
            while (await r.ReadAsync()) concedidos.Add(r.GetString(0));

        Assert.Equal(["INSERT", "SELECT"], concedidos);
    }

    [SkippableFact]
    public async Task El_rol_de_la_aplicacion_no_crea_altera_vacia_ni_borra_tablas()
    {
        Skip.If(Factory.SinRolesSeparados is not null, Factory.SinRolesSeparados);
        var tablas = await TablasAsync();
        Assert.Contains("auditoria", tablas);

        var permitidos = new List<string>();
        foreach (var sql in tablas.SelectMany(t => new[]
                 {
                     $"ALTER TABLE \"{t}\" ADD COLUMN intrusa integer",
                     $"ALTER TABLE \"{t}\" DISABLE TRIGGER ALL",
                     $"TRUNCATE \"{t}\" CASCADE",
                     $"DROP TABLE \"{t}\" CASCADE",
                     $"CREATE INDEX ON \"{t}\" ((1))",
                 }).Concat(["CREATE TABLE public.intrusa (a integer)", "CREATE SCHEMA intrusos", "CREATE FUNCTION public.intrusa() RETURNS int LANGUAGE sql AS 'SELECT 1'"]))
        {
            if (await IntentarComoAplicacionAsync(sql) is null) permitidos.Add(sql);
        }

        Assert.Empty(permitidos);
    }

    [SkippableFact]
    public async Task El_rol_de_la_aplicacion_no_es_dueno_de_nada_ni_miembro_de_otro_rol()
    {
        Skip.If(Factory.SinRolesSeparados is not null, Factory.SinRolesSeparados);
        await using var c = new NpgsqlConnection(Factory.ConnectionString);
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            SELECT 'atributos ' || rolname FROM pg_roles
             WHERE rolname = $1 AND (rolsuper OR rolcreaterole OR rolcreatedb OR rolreplication OR rolbypassrls)
            UNION ALL SELECT 'miembro de ' || m.roleid::regrole FROM pg_auth_members m WHERE m.member = $1::regrole
            UNION ALL SELECT 'relación ' || oid::regclass FROM pg_class WHERE relowner = $1::regrole
            UNION ALL SELECT 'función ' || oid::regprocedure FROM pg_proc WHERE proowner = $1::regrole
            UNION ALL SELECT 'tipo ' || oid::regtype FROM pg_type WHERE typowner = $1::regrole
            UNION ALL SELECT 'esquema ' || nspname FROM pg_namespace WHERE nspowner = $1::regrole
            UNION ALL SELECT 'base de datos ' || datname FROM pg_database WHERE datdba = $1::regrole
            """, c);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = RolAplicacion });
        var propio = new List<string>();
        await using (var r = await cmd.ExecuteReaderAsync())
            while (await r.ReadAsync()) propio.Add(r.GetString(0));

        Assert.Empty(propio);
    }

    [SkippableFact]
    public async Task El_servicio_trabaja_como_el_rol_de_la_aplicacion_y_no_deja_abierta_la_conexion_del_propietario()
    {
        Skip.If(Factory.SinRolesSeparados is not null, Factory.SinRolesSeparados);
        // A whole record through the API: catalog, programa, calificación, reporte, evidence, search, export, events.
        var (programaId, _, compromisoId) = await Escenario.CompromisoPendienteAsync();
        await Escenario.CrearAsync($"/api/v1/compromisos/{compromisoId}/reportes", new { corte = "2009-12-31", texto = "Avance informado." });
        await Escenario.CrearAsync($"/api/v1/compromisos/{compromisoId}/calificaciones", new { calificacion = "Cumplido", fecha = "2009-12-31" });
        await Escenario.LeerAsync($"/api/v1/compromisos?q=prueba");
        Assert.Equal(System.Net.HttpStatusCode.OK, (await Cliente.GetAsync("/api/v1/compromisos?formato=csv")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await Cliente.GetAsync($"/api/v1/programas/{programaId}/informe")).StatusCode);
        Assert.NotEmpty((await Escenario.LeerAsync("/api/v1/eventos"))["items"]!.AsArray());

        await using var c = new NpgsqlConnection(Factory.ConnectionString);
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand(
            "SELECT DISTINCT usename FROM pg_stat_activity WHERE datname = current_database() AND usename <> current_user", c);
        var roles = new List<string>();
        await using (var r = await cmd.ExecuteReaderAsync())
            while (await r.ReadAsync()) roles.Add(r.GetString(0));

        Assert.Equal([RolAplicacion], roles);
    }

    [SkippableFact]
    public async Task Una_tabla_que_Privilegios_sql_no_nombra_detiene_la_migracion()
    {
        Skip.If(Factory.SinRolesSeparados is not null, Factory.SinRolesSeparados);
        // Not pooled, as the service's own migration connection: no owner's session outlives the test.
        await using var propietario = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Factory.ConexionMigraciones) { Pooling = false }.ConnectionString);
        await propietario.OpenAsync();
        await using (var crear = new NpgsqlCommand("CREATE TABLE tabla_olvidada (id integer)", propietario)) await crear.ExecuteNonQueryAsync();
        try
        {
            var e = await Assert.ThrowsAsync<InvalidOperationException>(() => Privilegios.OtorgarAsync(propietario, RolAplicacion, CancellationToken.None));
            Assert.Contains("tabla_olvidada", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            await using var borrar = new NpgsqlCommand("DROP TABLE tabla_olvidada", propietario);
            await borrar.ExecuteNonQueryAsync();
        }

        // Rolled back as a whole: the runtime role keeps what it had.
        Assert.Null(await IntentarComoAplicacionAsync("SELECT count(*) FROM programas"));
    }

    /// <summary>Runs the statement as the runtime role and rolls it back; the error, or null if PostgreSQL allowed it.</summary>
    private async Task<PostgresException?> IntentarComoAplicacionAsync(string sql)
    {
        await using var c = new NpgsqlConnection(Factory.ConexionAplicacion);
        await c.OpenAsync();
        // Never committed: disposing the transaction rolls it back.
        await using var tx = await c.BeginTransactionAsync();
        try
        {
            await using var cmd = new NpgsqlCommand(sql, c, tx);
            await cmd.ExecuteNonQueryAsync();
            return null;
        }
        catch (PostgresException e)
        {
            return e;
        }
    }

    private async Task<List<string>> TablasAsync()
    {
        await using var c = new NpgsqlConnection(Factory.ConnectionString);
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1", c);
        var tablas = new List<string>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) tablas.Add(r.GetString(0));
        return tablas;
    }
}
