using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CompromisosApi.Persistence.Migrations
{
    /// <summary>
    /// The record as it stood at a cut-off, for raw SQL (the statistics): the same rules as the domain
    /// (Compromiso.CalificacionAlCorte, Compromiso.EstaVencido, Programa.EgresadoAl) and the EF queries (Persistence/AlCorte.cs).
    /// </summary>
    public partial class FuncionesAlCorte : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // calificacion_al_corte returns a set (zero or one row) so that LEFT JOIN LATERAL calificacion_al_corte(c.id, @corte)
            // is inlined into the calling statement and planned with it, as an index scan on (compromiso_id, id) backwards; a
            // scalar function with a FROM would be an opaque call per row. No row: still Pendiente at that cut-off.
            // The other two have no FROM, so PostgreSQL inlines them as the expressions they are.
            migrationBuilder.Sql("""
                CREATE FUNCTION calificacion_al_corte(del_compromiso integer, al_corte date)
                RETURNS TABLE (calificacion character varying, fecha date)
                LANGUAGE sql STABLE PARALLEL SAFE AS $$
                    SELECT k.calificacion, k.fecha FROM calificaciones k
                     WHERE k.compromiso_id = del_compromiso AND k.fecha <= al_corte
                     ORDER BY k.id DESC
                     LIMIT 1
                $$;

                CREATE FUNCTION vencido_al_corte(fecha_vencimiento date, calificacion character varying, al_corte date)
                RETURNS boolean
                LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
                    SELECT fecha_vencimiento <= al_corte - (extract(day FROM al_corte)::integer - 1)
                       AND calificacion NOT IN ('Cumplido', 'Cancelado')
                $$;

                CREATE FUNCTION egresado_al_corte(estado character varying, fecha_egreso date, al_corte date)
                RETURNS boolean
                LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
                    SELECT coalesce(estado = 'Egresado' AND fecha_egreso <= al_corte, false)
                $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP FUNCTION egresado_al_corte(character varying, date, date);
                DROP FUNCTION vencido_al_corte(date, character varying, date);
                DROP FUNCTION calificacion_al_corte(integer, date);
                """);
        }
    }
}
