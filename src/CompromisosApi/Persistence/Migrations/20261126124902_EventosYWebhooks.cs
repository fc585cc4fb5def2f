using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace CompromisosApi.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class EventosYWebhooks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "claves_idempotencia",
                columns: table => new
                {
                    sujeto = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    clave = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    huella = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                    estado = table.Column<int>(type: "integer", nullable: false),
                    encabezados = table.Column<string>(type: "jsonb", nullable: false),
                    cuerpo = table.Column<byte[]>(type: "bytea", nullable: false),
                    creada_en = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    expira_en = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_claves_idempotencia", x => new { x.sujeto, x.clave });
                });

            migrationBuilder.CreateTable(
                name: "eventos",
                columns: table => new
                {
                    posicion = table.Column<long>(type: "bigint", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tipo = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    sujeto = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    programa_id = table.Column<int>(type: "integer", nullable: true),
                    ocurrido_en = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    datos = table.Column<string>(type: "json", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_eventos", x => x.posicion);
                });

            migrationBuilder.CreateTable(
                name: "eventos_contador",
                columns: table => new
                {
                    id = table.Column<short>(type: "smallint", nullable: false),
                    ultima = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_eventos_contador", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "suscripciones",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    url = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    tipos = table.Column<string[]>(type: "text[]", nullable: false),
                    secreto = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    estado = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    creada_en = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    creada_por = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    posicion_despachada = table.Column<long>(type: "bigint", nullable: false),
                    fallas_consecutivas = table.Column<int>(type: "integer", nullable: false),
                    fallando_desde = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ultimo_error = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    ultima_entrega_en = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    suspendida_en = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    eliminada_en = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_suscripciones", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "vencimientos_notificados",
                columns: table => new
                {
                    compromiso_id = table.Column<int>(type: "integer", nullable: false),
                    notificado_en = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_vencimientos_notificados", x => x.compromiso_id);
                    table.ForeignKey(
                        name: "fk_vencimientos_notificados_compromisos_compromiso_id",
                        column: x => x.compromiso_id,
                        principalTable: "compromisos",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "entregas",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    suscripcion_id = table.Column<int>(type: "integer", nullable: false),
                    evento_posicion = table.Column<long>(type: "bigint", nullable: false),
                    programa_id = table.Column<int>(type: "integer", nullable: true),
                    estado = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    intentos = table.Column<int>(type: "integer", nullable: false),
                    proximo_intento_en = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    primer_fallo_en = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ultimo_status = table.Column<int>(type: "integer", nullable: true),
                    ultimo_error = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    entregada_en = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_entregas", x => x.id);
                    table.ForeignKey(
                        name: "fk_entregas_eventos_evento_posicion",
                        column: x => x.evento_posicion,
                        principalTable: "eventos",
                        principalColumn: "posicion",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_entregas_suscripciones_suscripcion_id",
                        column: x => x.suscripcion_id,
                        principalTable: "suscripciones",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_claves_idempotencia_expira_en",
                table: "claves_idempotencia",
                column: "expira_en");

            migrationBuilder.CreateIndex(
                name: "ix_entregas_pendientes",
                table: "entregas",
                column: "evento_posicion",
                filter: "estado = 'Pendiente'");

            migrationBuilder.CreateIndex(
                name: "ix_entregas_pendientes_por_programa",
                table: "entregas",
                columns: new[] { "suscripcion_id", "programa_id", "evento_posicion" },
                filter: "estado = 'Pendiente'");

            migrationBuilder.CreateIndex(
                name: "ix_entregas_suscripcion_id_evento_posicion",
                table: "entregas",
                columns: new[] { "suscripcion_id", "evento_posicion" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_eventos_id",
                table: "eventos",
                column: "id",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "claves_idempotencia");

            migrationBuilder.DropTable(
                name: "entregas");

            migrationBuilder.DropTable(
                name: "eventos_contador");

            migrationBuilder.DropTable(
                name: "vencimientos_notificados");

            migrationBuilder.DropTable(
                name: "eventos");

            migrationBuilder.DropTable(
                name: "suscripciones");
        }
    }
}
