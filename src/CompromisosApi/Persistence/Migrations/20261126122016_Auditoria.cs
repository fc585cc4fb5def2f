using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace CompromisosApi.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class Auditoria : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "registrado_por",
                table: "reportes_cumplimiento",
                type: "character varying(300)",
                maxLength: 300,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "registrado_por",
                table: "medios_verificacion",
                type: "character varying(300)",
                maxLength: 300,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "registrada_por",
                table: "calificaciones",
                type: "character varying(300)",
                maxLength: 300,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateTable(
                name: "auditoria",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ocurrida_en = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    actor_sujeto = table.Column<string>(type: "text", nullable: false),
                    actor_nombre = table.Column<string>(type: "text", nullable: true),
                    actor_roles = table.Column<string[]>(type: "text[]", nullable: false),
                    actor_servicio_id = table.Column<int>(type: "integer", nullable: true),
                    operacion = table.Column<string>(type: "text", nullable: false),
                    entidad = table.Column<string>(type: "text", nullable: false),
                    entidad_id = table.Column<string>(type: "text", nullable: false),
                    antes = table.Column<string>(type: "jsonb", nullable: true),
                    despues = table.Column<string>(type: "jsonb", nullable: false),
                    otros_cambios = table.Column<string>(type: "jsonb", nullable: true),
                    request_id = table.Column<string>(type: "text", nullable: true),
                    direccion_cliente = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_auditoria", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_auditoria_actor_sujeto_id",
                table: "auditoria",
                columns: new[] { "actor_sujeto", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_auditoria_entidad_entidad_id_id",
                table: "auditoria",
                columns: new[] { "entidad", "entidad_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_auditoria_ocurrida_en",
                table: "auditoria",
                column: "ocurrida_en");

            // Append-only, enforced by PostgreSQL for every role that writes through SQL, the service's included.
            migrationBuilder.Sql("""
                CREATE FUNCTION auditoria_solo_agregar() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'La bitácora de auditoría es de solo agregado: % no está permitido', TG_OP
                        USING ERRCODE = 'insufficient_privilege';
                END $$;
                CREATE TRIGGER auditoria_sin_cambios BEFORE UPDATE OR DELETE ON auditoria
                    FOR EACH ROW EXECUTE FUNCTION auditoria_solo_agregar();
                CREATE TRIGGER auditoria_sin_truncate BEFORE TRUNCATE ON auditoria
                    FOR EACH STATEMENT EXECUTE FUNCTION auditoria_solo_agregar();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TABLE auditoria; DROP FUNCTION auditoria_solo_agregar();");


            migrationBuilder.DropColumn(
                name: "registrado_por",
                table: "reportes_cumplimiento");

            migrationBuilder.DropColumn(
                name: "registrado_por",
                table: "medios_verificacion");

            migrationBuilder.DropColumn(
                name: "registrada_por",
                table: "calificaciones");
        }
    }
}
