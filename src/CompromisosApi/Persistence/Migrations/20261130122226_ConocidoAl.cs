using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace CompromisosApi.Persistence.Migrations
{
    /// <summary>
    /// The record as known at an instant (transaction time): when each programa, recomendación and compromiso was
    /// registered, and every egreso and reapertura as a row of its own; the SQL the statistics use to read it (the same
    /// rules as Persistence/AlCorte.cs). Rows from before this migration are known from the migration on.
    /// </summary>
    public partial class ConocidoAl : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "registrada_en",
                table: "recomendaciones",
                type: "timestamp with time zone",
                nullable: false,
                defaultValueSql: "now()");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "registrado_en",
                table: "programas",
                type: "timestamp with time zone",
                nullable: false,
                defaultValueSql: "now()");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "registrado_en",
                table: "compromisos",
                type: "timestamp with time zone",
                nullable: false,
                defaultValueSql: "now()");

            migrationBuilder.CreateTable(
                name: "egresos",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    programa_id = table.Column<int>(type: "integer", nullable: false),
                    fecha_egreso = table.Column<DateOnly>(type: "date", nullable: true),
                    motivo_reapertura = table.Column<string>(type: "text", nullable: true),
                    registrado_en = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    registrado_por = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_egresos", x => x.id);
                    table.ForeignKey(
                        name: "fk_egresos_programas_programa_id",
                        column: x => x.programa_id,
                        principalTable: "programas",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_egresos_programa_id_id",
                table: "egresos",
                columns: new[] { "programa_id", "id" });

            migrationBuilder.Sql("""
                INSERT INTO egresos (programa_id, fecha_egreso, registrado_en, registrado_por)
                SELECT id, fecha_egreso, now(), 'migración ConocidoAl' FROM programas WHERE estado = 'Egresado';

                -- When a row entered the record is a fact about the record: no later write may move it.
                CREATE FUNCTION registro_inmutable() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF to_jsonb(NEW) -> TG_ARGV[0] IS DISTINCT FROM to_jsonb(OLD) -> TG_ARGV[0] THEN
                        RAISE EXCEPTION 'El instante de registro (%.%) no se modifica', TG_TABLE_NAME, TG_ARGV[0]
                            USING ERRCODE = 'integrity_constraint_violation';
                    END IF;
                    RETURN NEW;
                END $$;
                CREATE TRIGGER registro_inmutable BEFORE UPDATE ON programas FOR EACH ROW EXECUTE FUNCTION registro_inmutable('registrado_en');
                CREATE TRIGGER registro_inmutable BEFORE UPDATE ON recomendaciones FOR EACH ROW EXECUTE FUNCTION registro_inmutable('registrada_en');
                CREATE TRIGGER registro_inmutable BEFORE UPDATE ON compromisos FOR EACH ROW EXECUTE FUNCTION registro_inmutable('registrado_en');

                -- As known at conocido_al (NULL: everything registered): the calificación in effect at the cut-off among those
                -- registered by then. A one-row set, so LEFT JOIN LATERAL inlines it as a backwards index scan on
                -- (compromiso_id, id); with conocido_al NULL the planner drops its condition.
                DROP FUNCTION calificacion_al_corte(integer, date);
                CREATE FUNCTION calificacion_al_corte(del_compromiso integer, al_corte date, conocido_al timestamptz)
                RETURNS TABLE (calificacion character varying, fecha date)
                LANGUAGE sql STABLE PARALLEL SAFE AS $$
                    SELECT k.calificacion, k.fecha FROM calificaciones k
                     WHERE k.compromiso_id = del_compromiso AND k.fecha <= al_corte
                       AND (conocido_al IS NULL OR k.registrada_en <= conocido_al)
                     ORDER BY k.id DESC
                     LIMIT 1
                $$;

                -- The egreso date as known at conocido_al: that of the egreso or reapertura registered last by then (a
                -- reapertura has none; no row: in follow-up). Programa.EgresadoAl reads it.
                CREATE FUNCTION egreso_conocido(del_programa integer, conocido_al timestamptz)
                RETURNS TABLE (fecha_egreso date)
                LANGUAGE sql STABLE PARALLEL SAFE AS $$
                    SELECT e.fecha_egreso FROM egresos e
                     WHERE e.programa_id = del_programa AND e.registrado_en <= conocido_al
                     ORDER BY e.id DESC
                     LIMIT 1
                $$;

                DROP FUNCTION egresado_al_corte(character varying, date, date);
                CREATE FUNCTION egresado_al_corte(fecha_egreso date, al_corte date)
                RETURNS boolean
                LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
                    SELECT coalesce(fecha_egreso <= al_corte, false)
                $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP FUNCTION egresado_al_corte(date, date);
                CREATE FUNCTION egresado_al_corte(estado character varying, fecha_egreso date, al_corte date)
                RETURNS boolean
                LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
                    SELECT coalesce(estado = 'Egresado' AND fecha_egreso <= al_corte, false)
                $$;
                DROP FUNCTION egreso_conocido(integer, timestamptz);
                DROP FUNCTION calificacion_al_corte(integer, date, timestamptz);
                CREATE FUNCTION calificacion_al_corte(del_compromiso integer, al_corte date)
                RETURNS TABLE (calificacion character varying, fecha date)
                LANGUAGE sql STABLE PARALLEL SAFE AS $$
                    SELECT k.calificacion, k.fecha FROM calificaciones k
                     WHERE k.compromiso_id = del_compromiso AND k.fecha <= al_corte
                     ORDER BY k.id DESC
                     LIMIT 1
                $$;
                DROP TRIGGER registro_inmutable ON compromisos;
                DROP TRIGGER registro_inmutable ON recomendaciones;
                DROP TRIGGER registro_inmutable ON programas;
                DROP FUNCTION registro_inmutable();
                """);

            migrationBuilder.DropTable(
                name: "egresos");

            migrationBuilder.DropColumn(
                name: "registrada_en",
                table: "recomendaciones");

            migrationBuilder.DropColumn(
                name: "registrado_en",
                table: "programas");

            migrationBuilder.DropColumn(
                name: "registrado_en",
                table: "compromisos");
        }
    }
}
