using CompromisosApi.Common;
using Microsoft.AspNetCore.Http;

namespace CompromisosApi.UnitTests;

/// <summary>The network's headers (issue 17): the RUN's check digit, the codes' bounds and patterns.</summary>
public sealed class InteroperabilidadTests
{
    [Theory]
    [InlineData("12345678-5", "12345678-5")]
    [InlineData("11111111-1", "11111111-1")]
    [InlineData("10000013-k", "10000013-K")]
    [InlineData("10000013-K", "10000013-K")]
    [InlineData("1-9", "1-9")]
    [InlineData("7654321-6", "7654321-6")]
    [InlineData("99999999-9", "99999999-9")]
    public void Un_RUN_con_su_digito_verificador_correcto_se_acepta(string run, string normalizado) =>
        Assert.Equal(normalizado, Interoperabilidad.RunValido(run));

    [Theory]
    [InlineData("12345678-4")]
    [InlineData("12345678-K")]
    [InlineData("10000013-0")]
    [InlineData("12.345.678-5")]
    [InlineData("012345678-5")]
    [InlineData("123456789-5")]
    [InlineData("12345678")]
    [InlineData("12345678-")]
    [InlineData("-5")]
    [InlineData("12345678-5\n")]
    [InlineData(" 12345678-5")]
    [InlineData("")]
    [InlineData(null)]
    public void Un_RUN_malformado_o_con_otro_digito_se_rechaza(string? run) => Assert.Null(Interoperabilidad.RunValido(run));

    /// <summary>Every RUN of a range has exactly one check digit that holds (módulo 11, computed here the long way).</summary>
    [Fact]
    public void Cada_numero_tiene_un_solo_digito_verificador()
    {
        for (var n = 1_000_000; n < 1_000_300; n++)
        {
            var digitos = n.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var suma = digitos.Reverse().Select((c, i) => (c - '0') * (2 + i % 6)).Sum();
            var esperado = (11 - suma % 11) switch { 11 => "0", 10 => "K", var d => d.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            var validos = "0123456789K".Where(dv => Interoperabilidad.RunValido($"{n}-{dv}") is not null).Select(dv => dv.ToString()).ToList();
            Assert.Equal([esperado], validos);
        }
    }

    [Fact]
    public void Los_encabezados_validos_se_leen_y_los_demas_se_nombran_sin_guardarse()
    {
        var nombres = new OpcionesEncabezados();
        var h = new HeaderDictionary
        {
            ["X-Organismo-Solicitante"] = "13.01",
            ["X-Funcionario-Run"] = "12345678-4",
            ["X-Procedimiento"] = new Microsoft.Extensions.Primitives.StringValues(["A", "B"]),
            ["X-Transaccion-Id"] = "abc-123",
        };
        var s = Interoperabilidad.Leer(h, nombres);
        Assert.Equal("13.01", s.OrganismoSolicitante);
        Assert.Null(s.FuncionarioRun);
        Assert.Null(s.Procedimiento);
        Assert.Equal("abc-123", s.TransaccionId);
        Assert.Equal(["X-Funcionario-Run", "X-Procedimiento"], s.Errores!.Select(e => e.PropertyName).Order());

        var vacia = Interoperabilidad.Leer(new HeaderDictionary(), nombres);
        Assert.Null(vacia.Errores);
        Assert.True(Guid.TryParse(vacia.TransaccionId, out _));
        Assert.NotEqual(vacia.TransaccionId, Interoperabilidad.Leer(new HeaderDictionary(), nombres).TransaccionId);
    }

    [Fact]
    public void Lo_que_viene_de_la_ruta_se_acota_y_pierde_los_caracteres_de_control() =>
        Assert.Equal("a\uFFFDb\uFFFD", Interoperabilidad.Acotar("a\0b\n" + new string('x', 300), 4));
}
