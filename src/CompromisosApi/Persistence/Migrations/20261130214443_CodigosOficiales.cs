using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CompromisosApi.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class CodigosOficiales : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "codigo",
                table: "servicios",
                type: "character varying(5)",
                maxLength: 5,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "codigo_presupuestario",
                table: "programas",
                type: "character varying(8)",
                maxLength: 8,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "codigo",
                table: "ministerios",
                type: "character varying(2)",
                maxLength: 2,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_servicios_codigo",
                table: "servicios",
                column: "codigo",
                unique: true,
                filter: "codigo IS NOT NULL");

            migrationBuilder.AddCheckConstraint(
                name: "ck_servicios_codigo",
                table: "servicios",
                sql: "codigo ~ '^[0-9]{2}\\.[0-9]{2}$'");

            migrationBuilder.CreateIndex(
                name: "ix_programas_codigo_presupuestario",
                table: "programas",
                column: "codigo_presupuestario",
                unique: true,
                filter: "codigo_presupuestario IS NOT NULL");

            migrationBuilder.AddCheckConstraint(
                name: "ck_programas_codigo_presupuestario",
                table: "programas",
                sql: "codigo_presupuestario ~ '^[0-9]{2}\\.[0-9]{2}\\.[0-9]{2}$'");

            migrationBuilder.CreateIndex(
                name: "ix_ministerios_codigo",
                table: "ministerios",
                column: "codigo",
                unique: true,
                filter: "codigo IS NOT NULL");

            migrationBuilder.AddCheckConstraint(
                name: "ck_ministerios_codigo",
                table: "ministerios",
                sql: "codigo ~ '^[0-9]{2}$'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_servicios_codigo",
                table: "servicios");

            migrationBuilder.DropCheckConstraint(
                name: "ck_servicios_codigo",
                table: "servicios");

            migrationBuilder.DropIndex(
                name: "ix_programas_codigo_presupuestario",
                table: "programas");

            migrationBuilder.DropCheckConstraint(
                name: "ck_programas_codigo_presupuestario",
                table: "programas");

            migrationBuilder.DropIndex(
                name: "ix_ministerios_codigo",
                table: "ministerios");

            migrationBuilder.DropCheckConstraint(
                name: "ck_ministerios_codigo",
                table: "ministerios");

            migrationBuilder.DropColumn(
                name: "codigo",
                table: "servicios");

            migrationBuilder.DropColumn(
                name: "codigo_presupuestario",
                table: "programas");

            migrationBuilder.DropColumn(
                name: "codigo",
                table: "ministerios");
        }
    }
}
