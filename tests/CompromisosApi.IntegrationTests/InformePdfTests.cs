using CompromisosApi.Domain;
using CompromisosApi.Features.Informes;
using CompromisosApi.IntegrationTests.Infrastructure;

namespace CompromisosApi.IntegrationTests;

/// <summary>The PDF layout on its own (no database): long texts across pages, words wider than a column, odd characters.</summary>
public sealed class InformePdfTests
{
    private static readonly string PalabraLarga = string.Concat(Enumerable.Repeat("Inconstitucionalidad", 60));

    private static InformeDto Informe()
    {
        var parrafos = Enumerable.Range(1, 120)
            .Select(i => $"Párrafo {i}: el servicio informa avances en la focalización, con “comillas” – guiones y eñes (año {2000 + i}).")
            .ToList();
        return new InformeDto
        {
            Titulo = Impresion.TituloSeguimiento,
            Programa = "Programa de prueba con un nombre largo que no cabe en una sola línea del encabezado del informe impreso en A4",
            Ministerio = "Ministerio de Economía, Fomento y Turismo",
            Servicio = "Unidad de Compañías Pequeñas",
            AnioEvaluacion = 2009,
            LineaEvaluacion = "EPG",
            Calificacion = Impresion.EnSeguimiento,
            FechaEgreso = null,
            AlCorte = new DateOnly(2010, 12, 31),
            Recomendaciones =
            [
                new RecomendacionInformeDto
                {
                    Numero = 1,
                    Texto = "Mejorar la focalización.",
                    Compromisos =
                    [
                        new CompromisoInformeDto
                        {
                            Numero = "1.1",
                            NumeroEnRecomendacion = "1.",
                            Texto = "Texto\tcon tabulador y una palabra sin espacios: " + PalabraLarga,
                            FechaVencimiento = "2010-12",
                            FechaVencimientoTexto = "Diciembre 2010",
                            Cumplimiento = string.Join("\n\n", parrafos),
                            Observacion = "",
                            Calificacion = Calificacion.ParcialmenteCumplido,
                            CalificacionTexto = "Parcialmente Cumplido",
                            FechaCalificacion = new DateOnly(2010, 6, 30),
                            Oportunidad = new(),
                            MediosVerificacion = ["Minuta", "Informe final"],
                        },
                        new CompromisoInformeDto
                        {
                            Numero = "1.2",
                            NumeroEnRecomendacion = "2.",
                            Texto = "Un compromiso aún pendiente.",
                            FechaVencimiento = "2011-06",
                            FechaVencimientoTexto = "Junio 2011",
                            Cumplimiento = null,
                            Observacion = null,
                            Calificacion = Calificacion.Pendiente,
                            CalificacionTexto = "Pendiente",
                            FechaCalificacion = null,
                            Oportunidad = new(),
                            MediosVerificacion = [],
                        },
                    ],
                },
                new RecomendacionInformeDto { Numero = 2, Texto = "Una recomendación sin compromisos.", Compromisos = [] },
            ],
        };
    }

    [Fact]
    public void Los_textos_largos_siguen_en_paginas_nuevas_sin_salirse_de_los_margenes()
    {
        var informe = Informe();
        var pdf = InformePdf.Generar(informe);

        var paginas = TextoPdf.Paginas(pdf);
        Assert.True(paginas.Count >= 3, $"Solo {paginas.Count} páginas");
        var continuo = TextoPdf.Continuo(paginas, "Recomendación Compromiso Cumplimiento");
        Assert.StartsWith("INFORME DE SEGUIMIENTO DEL SISTEMA DE CUMPLIMIENTO DE COMPROMISOS Programa/Institución: Programa de prueba", continuo);
        Assert.Contains("MINISTERIO DE ECONOMÍA, FOMENTO Y TURISMO Servicio: UNIDAD DE COMPAÑÍAS PEQUEÑAS Año: 2009 Calificación: En Seguimiento Fecha Corte: 31-12-2010", continuo);
        foreach (var parrafo in informe.Recomendaciones[0].Compromisos[0].Cumplimiento!.Split("\n\n")) Assert.Contains(parrafo, continuo);
        Assert.Contains("Observación: Calificación: Parcialmente Cumplido (30-06-2010) Medios de Verificación: Minuta Informe final", continuo);
        Assert.Contains("2. Un compromiso aún pendiente. Fecha de Vencimiento: Junio 2011 Observación: Calificación: Pendiente", continuo);
        Assert.EndsWith("2. Una recomendación sin compromisos.", continuo);
        // The word wider than its column is cut across lines, not lost.
        Assert.Contains(PalabraLarga, continuo.Replace(" ", ""));
        Assert.Contains("Texto con tabulador", continuo);

        using var documento = UglyToad.PdfPig.PdfDocument.Open(pdf);
        foreach (var pagina in documento.GetPages())
        {
            Assert.All(pagina.Letters, l =>
            {
                Assert.InRange(l.StartBaseLine.X, 39, pagina.Width - 39);
                Assert.InRange(l.EndBaseLine.X, 39, pagina.Width - 39);
                Assert.InRange(l.StartBaseLine.Y, 20, pagina.Height - 39);
            });
        }
    }

    [Fact]
    public void Los_mismos_datos_dan_el_mismo_pdf()
    {
        var primero = InformePdf.Generar(Informe());
        var segundo = InformePdf.Generar(Informe());

        Assert.True(primero.SequenceEqual(segundo));
        Assert.False(primero.SequenceEqual(InformePdf.Generar(Informe() with { AnioEvaluacion = 2010 })));
    }
}
