using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace CompromisosApi.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class TiposCompromiso : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "prioritario",
                table: "compromisos",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "tipo",
                table: "compromisos",
                type: "character varying(30)",
                maxLength: 30,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "tipos_compromiso",
                columns: table => new
                {
                    codigo = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    nombre = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_tipos_compromiso", x => x.codigo);
                });

            migrationBuilder.InsertData(
                table: "tipos_compromiso",
                columns: new[] { "codigo", "nombre" },
                values: new object[,]
                {
                    { "AjustesDeDiseno", "Ajustes de diseño" },
                    { "Coordinacion", "Coordinación" },
                    { "GestionInterna", "Gestión interna" },
                    { "MonitoreoYEvaluacion", "Monitoreo y evaluación" },
                    { "RedisenoSustantivo", "Rediseño sustantivo" },
                    { "SistemasDeInformacion", "Sistemas de información" }
                });

            migrationBuilder.CreateIndex(
                name: "ix_compromisos_tipo",
                table: "compromisos",
                column: "tipo");

            migrationBuilder.AddForeignKey(
                name: "fk_compromisos_tipos_compromiso_tipo",
                table: "compromisos",
                column: "tipo",
                principalTable: "tipos_compromiso",
                principalColumn: "codigo",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_compromisos_tipos_compromiso_tipo",
                table: "compromisos");

            migrationBuilder.DropTable(
                name: "tipos_compromiso");

            migrationBuilder.DropIndex(
                name: "ix_compromisos_tipo",
                table: "compromisos");

            migrationBuilder.DropColumn(
                name: "prioritario",
                table: "compromisos");

            migrationBuilder.DropColumn(
                name: "tipo",
                table: "compromisos");
        }
    }
}
