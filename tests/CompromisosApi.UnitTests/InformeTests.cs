using CompromisosApi.Common;
using CompromisosApi.Domain;
using CompromisosApi.Features.Informes;
using FluentValidation;
using Microsoft.Extensions.Primitives;

namespace CompromisosApi.UnitTests;

public sealed class InformeTests
{
    [Theory]
    [InlineData("Ministerio de Agricultura", "MINISTERIO DE AGRICULTURA")]
    [InlineData("Unidad de Compañías Pequeñas", "UNIDAD DE COMPAÑÍAS PEQUEÑAS")]
    [InlineData("Dirección de Educación Pública", "DIRECCIÓN DE EDUCACIÓN PÚBLICA")]
    [InlineData("Servicio de Salud Ñuble (ü, i)", "SERVICIO DE SALUD ÑUBLE (Ü, I)")]
    public void Las_mayusculas_son_las_del_castellano(string nombre, string impreso) =>
        Assert.Equal(impreso, Impresion.Mayusculas(nombre));

    [Fact]
    public void Los_meses_se_imprimen_en_castellano_con_mayuscula()
    {
        Assert.Equal("Diciembre 2009", Impresion.Mes(new DateOnly(2009, 12, 1)));
        Assert.Equal(
            ["Enero", "Febrero", "Marzo", "Abril", "Mayo", "Junio", "Julio", "Agosto", "Septiembre", "Octubre", "Noviembre", "Diciembre"],
            Enumerable.Range(1, 12).Select(m => Impresion.Mes(new DateOnly(2010, m, 1)).Split(' ')[0]));
    }

    [Theory]
    [InlineData(Calificacion.Pendiente, "Pendiente")]
    [InlineData(Calificacion.Cumplido, "Cumplido")]
    [InlineData(Calificacion.ParcialmenteCumplido, "Parcialmente Cumplido")]
    [InlineData(Calificacion.NoCumplido, "No Cumplido")]
    [InlineData(Calificacion.Cancelado, "Cancelado")]
    public void Las_calificaciones_se_imprimen_como_en_el_informe(Calificacion c, string impresa) =>
        Assert.Equal(impresa, Impresion.Calificacion(c));

    [Theory]
    [InlineData(null, FormatoInforme.Json)]
    [InlineData("", FormatoInforme.Json)]
    [InlineData("*/*", FormatoInforme.Json)]
    [InlineData("application/*", FormatoInforme.Json)]
    [InlineData("text/*", FormatoInforme.Texto)]
    [InlineData("TEXT/PLAIN", FormatoInforme.Texto)]
    [InlineData("text/html, */*;q=0.1", FormatoInforme.Html)]
    [InlineData("text/html, */*", FormatoInforme.Html)]
    [InlineData("text/plain;q=0.4, application/pdf;q=0.5", FormatoInforme.Pdf)]
    [InlineData("application/json;q=0, text/plain;q=0, */*", FormatoInforme.Html)]
    public void Accept_se_lee_como_dice_RFC_9110(string? accept, FormatoInforme esperado) =>
        Assert.Equal(esperado, NegociacionInforme.Elegir(null, accept is null ? StringValues.Empty : new StringValues(accept)));

    [Theory]
    [InlineData("image/png")]
    [InlineData("application/xml, text/csv")]
    [InlineData("*/*;q=0")]
    [InlineData("text/plain;q=0, text/html;q=0")]
    public void Sin_representacion_aceptable_es_406(string accept) =>
        Assert.Throws<NoAceptableException>(() => NegociacionInforme.Elegir(null, accept));

    [Fact]
    public void Formato_manda_sobre_Accept_y_solo_admite_sus_cuatro_valores()
    {
        Assert.Equal(FormatoInforme.Pdf, NegociacionInforme.Elegir("pdf", "image/png"));
        Assert.Equal(FormatoInforme.Texto, NegociacionInforme.Elegir("texto", "application/json"));
        Assert.Throws<ValidationException>(() => NegociacionInforme.Elegir("xml", "*/*"));
        Assert.Throws<ValidationException>(() => NegociacionInforme.Elegir("Json", "*/*"));
    }
}
