using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CompromisosApi.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class RecordatoriosYEgresoPropuesto : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "egresos_propuestos_notificados",
                columns: table => new
                {
                    programa_id = table.Column<int>(type: "integer", nullable: false),
                    fecha = table.Column<DateOnly>(type: "date", nullable: false),
                    notificado_en = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_egresos_propuestos_notificados", x => x.programa_id);
                    table.ForeignKey(
                        name: "fk_egresos_propuestos_notificados_programas_programa_id",
                        column: x => x.programa_id,
                        principalTable: "programas",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "recordatorios_enviados",
                columns: table => new
                {
                    servicio_id = table.Column<int>(type: "integer", nullable: false),
                    corte = table.Column<DateOnly>(type: "date", nullable: false),
                    enviado_en = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_recordatorios_enviados", x => new { x.servicio_id, x.corte });
                    table.ForeignKey(
                        name: "fk_recordatorios_enviados_servicios_servicio_id",
                        column: x => x.servicio_id,
                        principalTable: "servicios",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "egresos_propuestos_notificados");

            migrationBuilder.DropTable(
                name: "recordatorios_enviados");
        }
    }
}
