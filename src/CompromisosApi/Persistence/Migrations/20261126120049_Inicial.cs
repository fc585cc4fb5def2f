using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace CompromisosApi.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class Inicial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "lineas_evaluacion",
                columns: table => new
                {
                    codigo = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    nombre = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_lineas_evaluacion", x => x.codigo);
                });

            migrationBuilder.CreateTable(
                name: "ministerios",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    nombre = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ministerios", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "servicios",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    nombre = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    sigla = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: true),
                    ministerio_id = table.Column<int>(type: "integer", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_servicios", x => x.id);
                    table.ForeignKey(
                        name: "fk_servicios_ministerios_ministerio_id",
                        column: x => x.ministerio_id,
                        principalTable: "ministerios",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "programas",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    nombre = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    servicio_id = table.Column<int>(type: "integer", nullable: false),
                    anio_evaluacion = table.Column<int>(type: "integer", nullable: false),
                    linea_evaluacion = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    estado = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    fecha_egreso = table.Column<DateOnly>(type: "date", nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_programas", x => x.id);
                    table.ForeignKey(
                        name: "fk_programas_lineas_evaluacion_linea_evaluacion",
                        column: x => x.linea_evaluacion,
                        principalTable: "lineas_evaluacion",
                        principalColumn: "codigo",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_programas_servicios_servicio_id",
                        column: x => x.servicio_id,
                        principalTable: "servicios",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "recomendaciones",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    programa_id = table.Column<int>(type: "integer", nullable: false),
                    numero = table.Column<int>(type: "integer", nullable: false),
                    texto = table.Column<string>(type: "text", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_recomendaciones", x => x.id);
                    table.ForeignKey(
                        name: "fk_recomendaciones_programas_programa_id",
                        column: x => x.programa_id,
                        principalTable: "programas",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "compromisos",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    recomendacion_id = table.Column<int>(type: "integer", nullable: false),
                    programa_id = table.Column<int>(type: "integer", nullable: false),
                    secuencia = table.Column<int>(type: "integer", nullable: false),
                    numero = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    texto = table.Column<string>(type: "text", nullable: false),
                    fecha_vencimiento = table.Column<DateOnly>(type: "date", nullable: false),
                    calificacion = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    fecha_calificacion = table.Column<DateOnly>(type: "date", nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_compromisos", x => x.id);
                    table.ForeignKey(
                        name: "fk_compromisos_programas_programa_id",
                        column: x => x.programa_id,
                        principalTable: "programas",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_compromisos_recomendaciones_recomendacion_id",
                        column: x => x.recomendacion_id,
                        principalTable: "recomendaciones",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "calificaciones",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    compromiso_id = table.Column<int>(type: "integer", nullable: false),
                    calificacion = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    fecha = table.Column<DateOnly>(type: "date", nullable: false),
                    observacion = table.Column<string>(type: "text", nullable: true),
                    registrada_en = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_calificaciones", x => x.id);
                    table.ForeignKey(
                        name: "fk_calificaciones_compromisos_compromiso_id",
                        column: x => x.compromiso_id,
                        principalTable: "compromisos",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "medios_verificacion",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    compromiso_id = table.Column<int>(type: "integer", nullable: false),
                    titulo = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    corte = table.Column<DateOnly>(type: "date", nullable: false),
                    registrado_en = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_medios_verificacion", x => x.id);
                    table.ForeignKey(
                        name: "fk_medios_verificacion_compromisos_compromiso_id",
                        column: x => x.compromiso_id,
                        principalTable: "compromisos",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "reportes_cumplimiento",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    compromiso_id = table.Column<int>(type: "integer", nullable: false),
                    corte = table.Column<DateOnly>(type: "date", nullable: false),
                    texto = table.Column<string>(type: "text", nullable: false),
                    registrado_en = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_reportes_cumplimiento", x => x.id);
                    table.ForeignKey(
                        name: "fk_reportes_cumplimiento_compromisos_compromiso_id",
                        column: x => x.compromiso_id,
                        principalTable: "compromisos",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.InsertData(
                table: "lineas_evaluacion",
                columns: new[] { "codigo", "nombre" },
                values: new object[,]
                {
                    { "ECG", "Evaluación Comprehensiva del Gasto" },
                    { "EFA", "Evaluación Focalizada de Ámbito" },
                    { "EGI", "Evaluación del Gasto Institucional" },
                    { "EI", "Evaluación de Impacto" },
                    { "EPG", "Evaluación de Programas Gubernamentales" },
                    { "EPN", "Evaluación de Programas Nuevos" }
                });

            migrationBuilder.CreateIndex(
                name: "ix_calificaciones_compromiso_id_id",
                table: "calificaciones",
                columns: new[] { "compromiso_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_compromisos_fecha_vencimiento_id",
                table: "compromisos",
                columns: new[] { "fecha_vencimiento", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_compromisos_programa_id_id",
                table: "compromisos",
                columns: new[] { "programa_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_compromisos_recomendacion_id_secuencia",
                table: "compromisos",
                columns: new[] { "recomendacion_id", "secuencia" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_medios_verificacion_compromiso_id_id",
                table: "medios_verificacion",
                columns: new[] { "compromiso_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_ministerios_nombre",
                table: "ministerios",
                column: "nombre",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_programas_linea_evaluacion",
                table: "programas",
                column: "linea_evaluacion");

            migrationBuilder.CreateIndex(
                name: "ix_programas_servicio_id_anio_evaluacion_linea_evaluacion_nomb",
                table: "programas",
                columns: new[] { "servicio_id", "anio_evaluacion", "linea_evaluacion", "nombre" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_recomendaciones_programa_id_numero",
                table: "recomendaciones",
                columns: new[] { "programa_id", "numero" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_reportes_cumplimiento_compromiso_id_corte_id",
                table: "reportes_cumplimiento",
                columns: new[] { "compromiso_id", "corte", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_servicios_ministerio_id_nombre",
                table: "servicios",
                columns: new[] { "ministerio_id", "nombre" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "calificaciones");

            migrationBuilder.DropTable(
                name: "medios_verificacion");

            migrationBuilder.DropTable(
                name: "reportes_cumplimiento");

            migrationBuilder.DropTable(
                name: "compromisos");

            migrationBuilder.DropTable(
                name: "recomendaciones");

            migrationBuilder.DropTable(
                name: "programas");

            migrationBuilder.DropTable(
                name: "lineas_evaluacion");

            migrationBuilder.DropTable(
                name: "servicios");

            migrationBuilder.DropTable(
                name: "ministerios");
        }
    }
}
