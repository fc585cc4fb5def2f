using CompromisosApi.Common;
using CompromisosApi.Domain;
using CompromisosApi.Features.Importaciones;

namespace CompromisosApi.UnitTests;

public sealed class RolesDeImportacionTests
{
    /// <summary>Two recomendaciones; the second's compromiso has a reporte, a medio and two calificaciones; egresado.</summary>
    private static readonly DocumentoImportacion Documento = new()
    {
        Ministerio = "Ministerio de Agricultura",
        Servicio = new ServicioImportado { Nombre = "INDAP" },
        Programa = new ProgramaImportado { Nombre = "Programa", AnioEvaluacion = 2007, LineaEvaluacion = "EPG" },
        Recomendaciones =
        [
            new RecomendacionImportada { Numero = 1, Texto = "R1", Compromisos = [] },
            new RecomendacionImportada
            {
                Numero = 2,
                Texto = "R2",
                Compromisos =
                [
                    new CompromisoImportado
                    {
                        Numero = "2.1",
                        Texto = "C",
                        FechaVencimiento = "2009-12",
                        Reportes = [new ReporteImportado { Corte = new(2009, 12, 31), Texto = "Hecho" }],
                        MediosVerificacion = [new MedioImportado { Titulo = "Acta", Corte = new(2009, 12, 31) }],
                        Calificaciones =
                        [
                            new CalificacionImportada { Calificacion = Calificacion.ParcialmenteCumplido, Fecha = new(2009, 6, 30) },
                            new CalificacionImportada { Calificacion = Calificacion.Cumplido, Fecha = new(2009, 12, 31) },
                        ],
                    },
                ],
            },
        ],
        FechaEgreso = new(2009, 12, 31),
    };

    private static List<string> Rechazos(bool creaMinisterio, bool creaServicio, params string[] roles) =>
        RolesDeImportacion.Rechazos(Documento, creaMinisterio, creaServicio, roles.Contains)
            .Select(r => $"{r.Ruta} {r.Operacion} {r.Rol}").ToList();

    [Fact]
    public void Con_ambos_roles_nada_se_rechaza() =>
        Assert.Empty(Rechazos(true, true, Roles.Analista, Roles.Administrador));

    [Fact]
    public void Un_analista_no_crea_catalogo_pero_si_usa_el_existente()
    {
        Assert.Equal(["ministerio CrearMinisterio administrador", "servicio CrearServicio administrador"], Rechazos(true, true, Roles.Analista));
        Assert.Equal(["servicio CrearServicio administrador"], Rechazos(false, true, Roles.Analista));
        Assert.Empty(Rechazos(false, false, Roles.Analista));
    }

    [Fact]
    public void Un_administrador_no_escribe_el_registro_ni_califica_ni_egresa()
    {
        Assert.Equal(
            [
                "programa CrearPrograma analista",
                "recomendaciones[0] CrearRecomendacion analista",
                "recomendaciones[1] CrearRecomendacion analista",
                "recomendaciones[1].compromisos[0] CrearCompromiso analista",
                "recomendaciones[1].compromisos[0].reportes[0] RegistrarReporte analista",
                "recomendaciones[1].compromisos[0].mediosVerificacion[0] RegistrarMedioVerificacion analista",
                "recomendaciones[1].compromisos[0].calificaciones[0] CalificarCompromiso analista",
                "recomendaciones[1].compromisos[0].calificaciones[1] CalificarCompromiso analista",
                "fechaEgreso EgresarPrograma analista",
            ],
            Rechazos(true, true, Roles.Administrador));
    }

    [Fact]
    public void Un_token_de_servicio_no_escribe_nada_y_no_cuenta_como_analista() =>
        Assert.Equal(11, Rechazos(true, true, Roles.Servicio).Count);
}
