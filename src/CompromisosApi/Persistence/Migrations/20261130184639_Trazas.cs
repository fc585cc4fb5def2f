using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CompromisosApi.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class Trazas : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The table EF models (Persistence/Traza.cs), written out because EF can't declare partitioning: by range of
            // ocurrida_en, one partition per month (UTC), so that a month past its retention goes with one DROP TABLE.
            // The key includes the partition key, as PostgreSQL requires; ids come from a sequence of its own (COPY
            // leaves the column out).
            migrationBuilder.Sql("""
                CREATE SEQUENCE trazas_id_seq AS bigint;
                CREATE TABLE trazas (
                    id bigint NOT NULL DEFAULT nextval('trazas_id_seq'),
                    ocurrida_en timestamp with time zone NOT NULL,
                    duracion_ms integer NOT NULL,
                    metodo character varying(20) NOT NULL,
                    operacion character varying(100),
                    ruta character varying(300),
                    recurso_id character varying(200),
                    organismo_solicitante character varying(50),
                    funcionario_run character varying(10),
                    procedimiento character varying(100),
                    transaccion_id character varying(100) NOT NULL,
                    trace_id character varying(32),
                    sujeto character varying(200),
                    status smallint NOT NULL,
                    resultado character varying(10) NOT NULL,
                    tipo_problema character varying(200),
                    proveedor character varying(50) NOT NULL,
                    CONSTRAINT pk_trazas PRIMARY KEY (id, ocurrida_en)
                ) PARTITION BY RANGE (ocurrida_en);
                ALTER SEQUENCE trazas_id_seq OWNED BY trazas.id;
                CREATE INDEX ix_trazas_ocurrida_en_id ON trazas (ocurrida_en, id);
                CREATE INDEX ix_trazas_transaccion_id ON trazas (transaccion_id);
                """);

            // The functions that create and drop its partitions (also run by Inicial on a new database), then the
            // partitions of the months around today; the service and its scheduled task keep creating them ahead.
            migrationBuilder.Sql(ObjetosSql.Leer("trazas.sql"));
            migrationBuilder.Sql("SELECT trazas_asegurar_particiones(2);");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The partitions go with their table, the sequence with its column.
            migrationBuilder.Sql("""
                DROP TABLE trazas;
                DROP FUNCTION IF EXISTS trazas_asegurar_particiones(integer);
                DROP FUNCTION IF EXISTS trazas_purgar(integer);
                """);
        }
    }
}
