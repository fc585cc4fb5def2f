using CompromisosApi.Persistence;

namespace CompromisosApi.UnitTests;

/// <summary>The runtime role's name comes from configuration and goes into DDL: only an identifier, and quoted.</summary>
public sealed class PrivilegiosScriptTests
{
    [Theory]
    [InlineData("compromisos_app\"; DROP TABLE auditoria; --")]
    [InlineData("compromisos app")]
    [InlineData("1compromisos")]
    [InlineData("")]
    [InlineData("a234567890123456789012345678901234567890123456789012345678901234")]
    public void Un_nombre_de_rol_que_no_es_un_identificador_no_llega_al_sql(string rol) =>
        Assert.Throws<InvalidOperationException>(() => Privilegios.Script(rol));

    [Fact]
    public void El_rol_va_entre_comillas_en_cada_instruccion()
    {
        var sql = Privilegios.Script("Compromisos_App");

        Assert.DoesNotContain(":\"rol\"", sql, StringComparison.Ordinal);
        Assert.Contains("GRANT SELECT, INSERT ON auditoria TO \"Compromisos_App\";", sql, StringComparison.Ordinal);
        Assert.Contains("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM \"Compromisos_App\";", sql, StringComparison.Ordinal);
    }
}
