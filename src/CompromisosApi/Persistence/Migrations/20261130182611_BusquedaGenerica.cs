using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CompromisosApi.Persistence.Migrations
{
    /// <summary>
    /// The search triggers through two generic functions, busqueda_tr_filas and busqueda_tr_cambio, whose arguments
    /// name the documents a table's rows are in, instead of two functions per table that repeated each other, and one
    /// busqueda_refrescar for both kinds of document. The documents they write are the same.
    /// </summary>
    public partial class BusquedaGenerica : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The edited file points every trigger at the generic functions; then the per-table ones are unused.
            migrationBuilder.Sql(ObjetosSql.Leer("busqueda.sql"));
            migrationBuilder.Sql("""
                DROP FUNCTION IF EXISTS busqueda_tr_programas_filas(), busqueda_tr_recomendaciones_filas(),
                    busqueda_tr_compromisos_filas(), busqueda_tr_reportes_filas(), busqueda_tr_programas_cambio(),
                    busqueda_tr_recomendaciones_cambio(), busqueda_tr_compromisos_cambio(), busqueda_tr_reportes_cambio(),
                    busqueda_refrescar_compromiso(integer), busqueda_refrescar_programa(integer);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Nothing to undo: the generic functions keep the documents as the per-table ones did, and Inicial's Down
            // drops every function of the schema.
        }
    }
}
