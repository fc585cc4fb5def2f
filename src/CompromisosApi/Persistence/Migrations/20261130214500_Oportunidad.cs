using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CompromisosApi.Persistence.Migrations
{
    /// <summary>
    /// Timeliness (issue 18): the edited al-corte.sql adds cumplido_al_corte and meses_de_atraso (Domain/Oportunidad.cs
    /// says what they compute); the other functions of the file are created again unchanged. No table changes, so the
    /// model snapshot is that of TiposCompromiso.
    /// </summary>
    [DbContext(typeof(CompromisosDbContext))]
    [Migration("20261130214500_Oportunidad")]
    public partial class Oportunidad : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(ObjetosSql.Leer("al-corte.sql"));

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder) =>
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS cumplido_al_corte(integer, date, timestamptz), meses_de_atraso(date, date);");
    }
}
