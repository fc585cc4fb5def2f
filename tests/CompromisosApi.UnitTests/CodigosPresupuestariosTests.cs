using System.Text.Json;
using CompromisosApi.Common;
using CompromisosApi.Domain;
using CompromisosApi.Features.Importaciones;

namespace CompromisosApi.UnitTests;

/// <summary>The budget law's codes (issue 17): their forms, the one consistency rule, and the import's fingerprint.</summary>
public sealed class CodigosPresupuestariosTests
{
    [Theory]
    [InlineData("13", true)]
    [InlineData("50", true)]
    [InlineData("00", false)] // each level is numbered from 01
    [InlineData("1", false)]
    [InlineData("131", false)]
    [InlineData("1a", false)]
    [InlineData(" 13", false)]
    [InlineData("13\n", false)]
    [InlineData("١٣", false)] // Arabic-Indic digits are not the law's
    public void La_partida_son_dos_digitos(string codigo, bool valido) => Assert.Equal(valido, CodigosPresupuestarios.EsPartida(codigo));

    [Theory]
    [InlineData("13.03", true)]
    [InlineData("13", false)]
    [InlineData("13.3", false)]
    [InlineData("1303", false)]
    [InlineData("13-03", false)]
    [InlineData("13.03.01", false)]
    [InlineData("13.00", false)]
    [InlineData("00.03", false)]
    public void El_capitulo_es_partida_punto_capitulo(string codigo, bool valido) => Assert.Equal(valido, CodigosPresupuestarios.EsCapitulo(codigo));

    [Theory]
    [InlineData("13.03.01", true)]
    [InlineData("13.03", false)]
    [InlineData("13.03.1", false)]
    [InlineData("13.03.001", false)]
    [InlineData("13.03.01.", false)]
    [InlineData("13.03.00", false)]
    public void El_programa_es_partida_capitulo_programa(string codigo, bool valido) => Assert.Equal(valido, CodigosPresupuestarios.EsPrograma(codigo));

    [Fact]
    public void Null_es_no_registrado_y_vale()
    {
        Assert.True(CodigosPresupuestarios.EsPartida(null));
        Assert.True(CodigosPresupuestarios.EsCapitulo(null));
        Assert.True(CodigosPresupuestarios.EsPrograma(null));
    }

    [Theory]
    [InlineData("13.03", "13", true)]
    [InlineData("14.03", "13", false)]
    [InlineData("13.03.01", "13.03", true)]
    [InlineData("13.04.01", "13.03", false)]
    [InlineData("13.03", null, true)] // a parent without a code constrains nothing
    [InlineData(null, "13", true)]
    public void Un_hijo_comienza_con_el_codigo_de_su_padre(string? hijo, string? padre, bool pertenece)
    {
        Assert.Equal(pertenece, CodigosPresupuestarios.Pertenece(hijo, padre));
        Assert.Equal(pertenece, CodigosPresupuestarios.Inconsistencia(hijo, padre, "su ministerio") is null);
    }

    [Fact]
    public void El_codigo_de_un_ministerio_no_cambia_si_sus_servicios_no_comenzarian_con_el()
    {
        var m = new Ministerio("Ministerio de Agricultura", "13");

        var e = Assert.Throws<ReglaException>(() => m.Actualizar("Ministerio de Agricultura", "14", ["13.03", null, "13.01"]));

        Assert.Equal(Reglas.CodigoConDependientes, e.Regla);
        Assert.Contains("13.01, 13.03", e.Message);
        Assert.Equal("13", m.Codigo);
        m.Actualizar("Otro nombre", null, ["13.03"]); // null constrains nothing
        Assert.Null(m.Codigo);
        m.Actualizar("Otro nombre", "13", ["13.03"]);
        Assert.Equal("13", m.Codigo);
    }

    [Fact]
    public void El_codigo_de_un_servicio_no_cambia_si_sus_programas_no_comenzarian_con_el()
    {
        var s = new Servicio("Instituto de Desarrollo Agropecuario", "INDAP", 1, "13.03");

        Assert.Equal(Reglas.CodigoConDependientes,
            Assert.Throws<ReglaException>(() => s.Actualizar("INDAP", "INDAP", 1, "13.04", ["13.03.01"])).Regla);
        Assert.Equal("13.03", s.Codigo);
        s.Actualizar("INDAP", "INDAP", 1, "13.03", ["13.03.01"]);
        s.Actualizar("INDAP", "INDAP", 1, "13.04", []);
        Assert.Equal("13.04", s.Codigo);
    }

    [Fact]
    public void Sin_codigos_el_documento_de_importacion_serializa_como_antes_y_su_huella_no_cambia()
    {
        var doc = new DocumentoImportacion
        {
            Ministerio = "M",
            Servicio = new ServicioImportado { Nombre = "S" },
            Programa = new ProgramaImportado { Nombre = "P", AnioEvaluacion = 2007, LineaEvaluacion = "EPG" },
            Recomendaciones = [],
        };

        var json = JsonSerializer.Serialize(doc, JsonDelRegistro.Opciones);

        Assert.DoesNotContain("odigo", json);
        var conCodigos = JsonSerializer.Serialize(
            doc with
            {
                MinisterioCodigo = "13",
                Servicio = doc.Servicio with { Codigo = "13.03" },
                Programa = doc.Programa with { CodigoPresupuestario = "13.03.01" },
            },
            JsonDelRegistro.Opciones);
        Assert.Contains("\"ministerioCodigo\":\"13\"", conCodigos);
        Assert.Contains("\"codigo\":\"13.03\"", conCodigos);
        Assert.Contains("\"codigoPresupuestario\":\"13.03.01\"", conCodigos);
    }
}
