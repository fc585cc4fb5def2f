using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CompromisosApi.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class Observabilidad : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "traceparent",
                table: "eventos",
                type: "character varying(55)",
                maxLength: 55,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "trace_id",
                table: "auditoria",
                type: "character varying(32)",
                maxLength: 32,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "traceparent",
                table: "eventos");

            migrationBuilder.DropColumn(
                name: "trace_id",
                table: "auditoria");
        }
    }
}
