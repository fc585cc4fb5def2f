using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CompromisosApi.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class CompromisosPorMinisterio : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "ministerio_id",
                table: "compromisos",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            // Existing rows, then the triggers that keep the copy right: on every compromiso written (its programa
            // may be another), when a programa moves to another servicio, and when a servicio moves to another ministerio.
            migrationBuilder.Sql("""
                UPDATE compromisos c SET ministerio_id = s.ministerio_id
                FROM programas p JOIN servicios s ON s.id = p.servicio_id
                WHERE p.id = c.programa_id;

                CREATE FUNCTION compromisos_ministerio() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    NEW.ministerio_id := (SELECT s.ministerio_id FROM programas p JOIN servicios s ON s.id = p.servicio_id
                                          WHERE p.id = NEW.programa_id);
                    RETURN NEW;
                END $$;
                CREATE TRIGGER compromisos_ministerio BEFORE INSERT OR UPDATE OF programa_id, ministerio_id ON compromisos
                    FOR EACH ROW EXECUTE FUNCTION compromisos_ministerio();

                CREATE FUNCTION programas_ministerio_de_compromisos() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    UPDATE compromisos SET ministerio_id = (SELECT ministerio_id FROM servicios WHERE id = NEW.servicio_id)
                    WHERE programa_id = NEW.id;
                    RETURN NULL;
                END $$;
                CREATE TRIGGER programas_ministerio_de_compromisos AFTER UPDATE OF servicio_id ON programas
                    FOR EACH ROW WHEN (OLD.servicio_id IS DISTINCT FROM NEW.servicio_id)
                    EXECUTE FUNCTION programas_ministerio_de_compromisos();

                CREATE FUNCTION servicios_ministerio_de_compromisos() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    UPDATE compromisos c SET ministerio_id = NEW.ministerio_id
                    FROM programas p WHERE p.id = c.programa_id AND p.servicio_id = NEW.id;
                    RETURN NULL;
                END $$;
                CREATE TRIGGER servicios_ministerio_de_compromisos AFTER UPDATE OF ministerio_id ON servicios
                    FOR EACH ROW WHEN (OLD.ministerio_id IS DISTINCT FROM NEW.ministerio_id)
                    EXECUTE FUNCTION servicios_ministerio_de_compromisos();

                ALTER TABLE compromisos ALTER COLUMN ministerio_id DROP DEFAULT;
                """);

            migrationBuilder.CreateIndex(
                name: "ix_compromisos_ministerio_id_id",
                table: "compromisos",
                columns: new[] { "ministerio_id", "id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER servicios_ministerio_de_compromisos ON servicios;
                DROP FUNCTION servicios_ministerio_de_compromisos();
                DROP TRIGGER programas_ministerio_de_compromisos ON programas;
                DROP FUNCTION programas_ministerio_de_compromisos();
                DROP TRIGGER compromisos_ministerio ON compromisos;
                DROP FUNCTION compromisos_ministerio();
                """);

            migrationBuilder.DropIndex(
                name: "ix_compromisos_ministerio_id_id",
                table: "compromisos");

            migrationBuilder.DropColumn(
                name: "ministerio_id",
                table: "compromisos");
        }
    }
}
