using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;
using NpgsqlTypes;

#nullable disable

#pragma warning disable CA1814 // Prefer jagged arrays over multidimensional

namespace CompromisosApi.Persistence.Migrations
{
    /// <summary>
    /// The v1 schema: EF's tables, indexes, constraints and catalogs (evaluation lines, commitment types), then the
    /// objects EF does not model, from the .sql files of Persistence/Sql in their fixed order (<see cref="ObjetosSql"/>),
    /// the partitioned trace table among them.
    /// </summary>
    public partial class Inicial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
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
                    motivo = table.Column<string>(type: "text", nullable: true),
                    request_id = table.Column<string>(type: "text", nullable: true),
                    trace_id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    direccion_cliente = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_auditoria", x => x.id);
                });

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
                    datos = table.Column<string>(type: "json", nullable: false),
                    traceparent = table.Column<string>(type: "character varying(55)", maxLength: 55, nullable: true)
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
                    codigo = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ministerios", x => x.id);
                    table.CheckConstraint("ck_ministerios_codigo", "codigo ~ '^(0[1-9]|[1-9][0-9])$'");
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

            migrationBuilder.CreateTable(
                name: "servicios",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    nombre = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    sigla = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: true),
                    ministerio_id = table.Column<int>(type: "integer", nullable: false),
                    codigo = table.Column<string>(type: "character varying(5)", maxLength: 5, nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_servicios", x => x.id);
                    table.CheckConstraint("ck_servicios_codigo", "codigo ~ '^(0[1-9]|[1-9][0-9])\\.(0[1-9]|[1-9][0-9])$'");
                    table.ForeignKey(
                        name: "fk_servicios_ministerios_ministerio_id",
                        column: x => x.ministerio_id,
                        principalTable: "ministerios",
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
                    categoria_desempeno = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    fecha_egreso = table.Column<DateOnly>(type: "date", nullable: true),
                    codigo_presupuestario = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: true),
                    registrado_en = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_programas", x => x.id);
                    table.CheckConstraint("ck_programas_codigo_presupuestario", "codigo_presupuestario ~ '^(0[1-9]|[1-9][0-9])\\.(0[1-9]|[1-9][0-9])\\.(0[1-9]|[1-9][0-9])$'");
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

            migrationBuilder.CreateTable(
                name: "busqueda_programas",
                columns: table => new
                {
                    programa_id = table.Column<int>(type: "integer", nullable: false),
                    documento = table.Column<NpgsqlTsVector>(type: "tsvector", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_busqueda_programas", x => x.programa_id);
                    table.ForeignKey(
                        name: "fk_busqueda_programas_programas_programa_id",
                        column: x => x.programa_id,
                        principalTable: "programas",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "egresos",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    programa_id = table.Column<int>(type: "integer", nullable: false),
                    fecha_egreso = table.Column<DateOnly>(type: "date", nullable: true),
                    motivo_reapertura = table.Column<string>(type: "text", nullable: true),
                    registrado_en = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    registrado_por = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_egresos", x => x.id);
                    table.ForeignKey(
                        name: "fk_egresos_programas_programa_id",
                        column: x => x.programa_id,
                        principalTable: "programas",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

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
                name: "importaciones",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    programa_id = table.Column<int>(type: "integer", nullable: false),
                    sha256 = table.Column<string>(type: "character(64)", fixedLength: true, maxLength: 64, nullable: false),
                    importada_en = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_importaciones", x => x.id);
                    table.ForeignKey(
                        name: "fk_importaciones_programas_programa_id",
                        column: x => x.programa_id,
                        principalTable: "programas",
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
                    registrada_en = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
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
                    tipo = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: true),
                    prioritario = table.Column<bool>(type: "boolean", nullable: false, defaultValue: false),
                    calificacion = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    fecha_calificacion = table.Column<DateOnly>(type: "date", nullable: true),
                    registrado_en = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false, defaultValueSql: "now()"),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false),
                    ministerio_id = table.Column<int>(type: "integer", nullable: false)
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
                    table.ForeignKey(
                        name: "fk_compromisos_tipos_compromiso_tipo",
                        column: x => x.tipo,
                        principalTable: "tipos_compromiso",
                        principalColumn: "codigo",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "busqueda_compromisos",
                columns: table => new
                {
                    compromiso_id = table.Column<int>(type: "integer", nullable: false),
                    documento = table.Column<NpgsqlTsVector>(type: "tsvector", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_busqueda_compromisos", x => x.compromiso_id);
                    table.ForeignKey(
                        name: "fk_busqueda_compromisos_compromisos_compromiso_id",
                        column: x => x.compromiso_id,
                        principalTable: "compromisos",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
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
                    registrada_en = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    registrada_por = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    motivo_correccion = table.Column<string>(type: "text", nullable: true)
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
                    titulo = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    nombre_archivo = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    tipo = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    tamano = table.Column<long>(type: "bigint", nullable: true),
                    sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    subido_por = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    subido_en = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    compromiso_id = table.Column<int>(type: "integer", nullable: false),
                    corte = table.Column<DateOnly>(type: "date", nullable: false),
                    registrado_en = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    registrado_por = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false)
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
                    texto = table.Column<string>(type: "text", nullable: false),
                    compromiso_id = table.Column<int>(type: "integer", nullable: false),
                    corte = table.Column<DateOnly>(type: "date", nullable: false),
                    registrado_en = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    registrado_por = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false)
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
                name: "ix_archivos_evidencia_carga",
                table: "archivos_evidencia",
                column: "carga",
                unique: true);

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

            migrationBuilder.CreateIndex(
                name: "ix_busqueda_compromisos_documento",
                table: "busqueda_compromisos",
                column: "documento")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "ix_busqueda_programas_documento",
                table: "busqueda_programas",
                column: "documento")
                .Annotation("Npgsql:IndexMethod", "gin");

            migrationBuilder.CreateIndex(
                name: "ix_calificaciones_compromiso_id_id",
                table: "calificaciones",
                columns: new[] { "compromiso_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_claves_idempotencia_expira_en",
                table: "claves_idempotencia",
                column: "expira_en");

            migrationBuilder.CreateIndex(
                name: "ix_compromisos_fecha_vencimiento_id",
                table: "compromisos",
                columns: new[] { "fecha_vencimiento", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_compromisos_ministerio_id_id",
                table: "compromisos",
                columns: new[] { "ministerio_id", "id" });

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
                name: "ix_compromisos_tipo",
                table: "compromisos",
                column: "tipo");

            migrationBuilder.CreateIndex(
                name: "ix_egresos_programa_id_id",
                table: "egresos",
                columns: new[] { "programa_id", "id" });

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

            migrationBuilder.CreateIndex(
                name: "ix_importaciones_programa_id",
                table: "importaciones",
                column: "programa_id");

            migrationBuilder.CreateIndex(
                name: "ix_importaciones_sha256",
                table: "importaciones",
                column: "sha256",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_medios_verificacion_compromiso_id_id",
                table: "medios_verificacion",
                columns: new[] { "compromiso_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_medios_verificacion_compromiso_id_sha256",
                table: "medios_verificacion",
                columns: new[] { "compromiso_id", "sha256" },
                unique: true,
                filter: "sha256 IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_ministerios_codigo",
                table: "ministerios",
                column: "codigo",
                unique: true,
                filter: "codigo IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_ministerios_nombre",
                table: "ministerios",
                column: "nombre",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_programas_codigo_presupuestario",
                table: "programas",
                column: "codigo_presupuestario",
                unique: true,
                filter: "codigo_presupuestario IS NOT NULL");

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
                name: "ix_reportes_cumplimiento_corte_compromiso_id",
                table: "reportes_cumplimiento",
                columns: new[] { "corte", "compromiso_id" });

            migrationBuilder.CreateIndex(
                name: "ix_servicios_codigo",
                table: "servicios",
                column: "codigo",
                unique: true,
                filter: "codigo IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_servicios_ministerio_id_nombre",
                table: "servicios",
                columns: new[] { "ministerio_id", "nombre" },
                unique: true);

            // The functions, triggers, extension, storage and partitioned table EF does not model (README, The schema).
            foreach (var archivo in ObjetosSql.Orden)
            {
                migrationBuilder.Sql(ObjetosSql.Leer(archivo));
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "archivos_evidencia");

            migrationBuilder.DropTable(
                name: "auditoria");

            migrationBuilder.DropTable(
                name: "busqueda_compromisos");

            migrationBuilder.DropTable(
                name: "busqueda_programas");

            migrationBuilder.DropTable(
                name: "calificaciones");

            migrationBuilder.DropTable(
                name: "claves_idempotencia");

            migrationBuilder.DropTable(
                name: "egresos");

            migrationBuilder.DropTable(
                name: "egresos_propuestos_notificados");

            migrationBuilder.DropTable(
                name: "entregas");

            migrationBuilder.DropTable(
                name: "eventos_contador");

            migrationBuilder.DropTable(
                name: "fragmentos_evidencia");

            migrationBuilder.DropTable(
                name: "importaciones");

            migrationBuilder.DropTable(
                name: "medios_verificacion");

            migrationBuilder.DropTable(
                name: "recordatorios_enviados");

            migrationBuilder.DropTable(
                name: "reportes_cumplimiento");

            migrationBuilder.DropTable(
                name: "vencimientos_notificados");

            migrationBuilder.DropTable(
                name: "eventos");

            migrationBuilder.DropTable(
                name: "suscripciones");

            migrationBuilder.DropTable(
                name: "compromisos");

            migrationBuilder.DropTable(
                name: "recomendaciones");

            migrationBuilder.DropTable(
                name: "tipos_compromiso");

            migrationBuilder.DropTable(
                name: "programas");

            migrationBuilder.DropTable(
                name: "lineas_evaluacion");

            migrationBuilder.DropTable(
                name: "servicios");

            migrationBuilder.DropTable(
                name: "ministerios");

            // The trace table is Sql/trazas.sql's (its partitions and sequence go with it).
            migrationBuilder.Sql("DROP TABLE IF EXISTS trazas;");
            // And estadisticas.sql's tables.
            migrationBuilder.Sql("DROP TABLE IF EXISTS estadisticas_cambios, estadisticas_totales, estadisticas_programa_tipos;");

            // Back to an empty schema: dropping the tables took their triggers; now every function of the schema that
            // is not an extension's (all of them come from Persistence/Sql). The unaccent extension stays: other
            // objects may use it, and busqueda.sql creates it only if it is missing.
            migrationBuilder.Sql("""
                DO $$
                DECLARE
                    funciones text;
                BEGIN
                    SELECT string_agg(p.oid::regprocedure::text, ', ') INTO funciones
                      FROM pg_proc p
                     WHERE p.pronamespace = 'public'::regnamespace
                       AND NOT EXISTS (SELECT 1 FROM pg_depend d
                                        WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e');
                    IF funciones IS NOT NULL THEN
                        EXECUTE 'DROP FUNCTION ' || funciones;
                    END IF;
                END $$;
                """);
        }
    }
}
