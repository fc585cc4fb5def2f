using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CompromisosApi.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class CategoriaDesempeno : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "categoria_desempeno",
                table: "programas",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "categoria_desempeno",
                table: "programas");
        }
    }
}
