using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CompromisosApi.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class Evidencia : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "nombre_archivo",
                table: "medios_verificacion",
                type: "character varying(255)",
                maxLength: 255,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "sha256",
                table: "medios_verificacion",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "subido_en",
                table: "medios_verificacion",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "subido_por",
                table: "medios_verificacion",
                type: "character varying(300)",
                maxLength: 300,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "tamano",
                table: "medios_verificacion",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "tipo",
                table: "medios_verificacion",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "archivos_evidencia",
                columns: table => new
                {
                    sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    carga = table.Column<Guid>(type: "uuid", nullable: false),
                    tamano = table.Column<long>(type: "bigint", nullable: false),
                    tamano_fragmento = table.Column<int>(type: "integer", nullable: false),
                    almacenado_en = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_archivos_evidencia", x => x.sha256);
                });

            migrationBuilder.CreateTable(
                name: "fragmentos_evidencia",
                columns: table => new
                {
                    carga = table.Column<Guid>(type: "uuid", nullable: false),
                    indice = table.Column<int>(type: "integer", nullable: false),
                    datos = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_fragmentos_evidencia", x => new { x.carga, x.indice });
                });

            // Out of line and uncompressed: evidence files are mostly compressed already, and a fragment is read whole.
            migrationBuilder.Sql("ALTER TABLE fragmentos_evidencia ALTER COLUMN datos SET STORAGE EXTERNAL;");

            migrationBuilder.CreateIndex(
                name: "ix_reportes_cumplimiento_corte_compromiso_id",
                table: "reportes_cumplimiento",
                columns: new[] { "corte", "compromiso_id" });

            migrationBuilder.CreateIndex(
                name: "ix_medios_verificacion_compromiso_id_sha256",
                table: "medios_verificacion",
                columns: new[] { "compromiso_id", "sha256" },
                unique: true,
                filter: "sha256 IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_archivos_evidencia_carga",
                table: "archivos_evidencia",
                column: "carga",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "archivos_evidencia");

            migrationBuilder.DropTable(
                name: "fragmentos_evidencia");

            migrationBuilder.DropIndex(
                name: "ix_reportes_cumplimiento_corte_compromiso_id",
                table: "reportes_cumplimiento");

            migrationBuilder.DropIndex(
                name: "ix_medios_verificacion_compromiso_id_sha256",
                table: "medios_verificacion");

            migrationBuilder.DropColumn(
                name: "nombre_archivo",
                table: "medios_verificacion");

            migrationBuilder.DropColumn(
                name: "sha256",
                table: "medios_verificacion");

            migrationBuilder.DropColumn(
                name: "subido_en",
                table: "medios_verificacion");

            migrationBuilder.DropColumn(
                name: "subido_por",
                table: "medios_verificacion");

            migrationBuilder.DropColumn(
                name: "tamano",
                table: "medios_verificacion");

            migrationBuilder.DropColumn(
                name: "tipo",
                table: "medios_verificacion");
        }
    }
}
