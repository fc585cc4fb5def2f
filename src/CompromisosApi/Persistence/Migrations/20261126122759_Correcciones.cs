using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CompromisosApi.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class Correcciones : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "motivo_correccion",
                table: "calificaciones",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "motivo",
                table: "auditoria",
                type: "text",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "motivo_correccion",
                table: "calificaciones");

            migrationBuilder.DropColumn(
                name: "motivo",
                table: "auditoria");
        }
    }
}
