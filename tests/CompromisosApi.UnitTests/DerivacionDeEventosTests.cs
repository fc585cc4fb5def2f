using CompromisosApi.Common;
using CompromisosApi.Features.Webhooks;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace CompromisosApi.UnitTests;

public sealed class DerivacionDeEventosTests
{
    private static Persistence.CambioRegistrado Cambio(string entidad, bool creado, Dictionary<string, object?>? antes, Dictionary<string, object?> despues) =>
        new(entidad, despues["Id"]!.ToString()!, creado, antes, despues);

    private static Dictionary<string, object?> Programa(int id, Domain.EstadoPrograma estado, string nombre = "P") =>
        new() { ["Id"] = id, ["Nombre"] = nombre, ["Estado"] = estado, ["FechaEgreso"] = null };

    private static Dictionary<string, object?> Compromiso(int id, Domain.Calificacion calificacion, string texto = "C") => new()
    {
        ["Id"] = id, ["ProgramaId"] = 7, ["RecomendacionId"] = 3, ["Secuencia"] = 1, ["Numero"] = "1.1", ["Texto"] = texto,
        ["FechaVencimiento"] = new DateOnly(2009, 12, 1), ["Calificacion"] = calificacion, ["FechaCalificacion"] = null,
    };

    [Fact]
    public async Task Cada_fila_del_registro_da_su_evento_padres_primero_y_egreso_al_final()
    {
        var cambios = new List<Persistence.CambioRegistrado>
        {
            Cambio("Ministerio", true, null, new() { ["Id"] = 1, ["Nombre"] = "M" }),
            Cambio("Programa", true, null, Programa(7, Domain.EstadoPrograma.EnSeguimiento)),
            Cambio("RegistroCalificacion", true, null, new() { ["Id"] = 40L, ["CompromisoId"] = 9, ["Calificacion"] = Domain.Calificacion.Cumplido, ["MotivoCorreccion"] = null }),
            Cambio("Programa", false, Programa(7, Domain.EstadoPrograma.EnSeguimiento), Programa(7, Domain.EstadoPrograma.Egresado)),
            Cambio("Compromiso", true, null, Compromiso(9, Domain.Calificacion.Pendiente)),
            // Changed only by its calificación: told by compromiso.calificado, not compromiso.actualizado.
            Cambio("Compromiso", false, Compromiso(9, Domain.Calificacion.Pendiente), Compromiso(9, Domain.Calificacion.Cumplido)),
            Cambio("Recomendacion", true, null, new() { ["Id"] = 3, ["ProgramaId"] = 7, ["Numero"] = 1, ["Texto"] = "R" }),
            Cambio("ReporteCumplimiento", true, null, new() { ["Id"] = 5L, ["CompromisoId"] = 9, ["Texto"] = "T" }),
            Cambio("SinId", true, null, new() { ["Id"] = "x", ["Codigo"] = "X" }),
        };

        var eventos = await Persistence.Bandeja.DerivarAsync(null!, cambios, default);

        Assert.Equal(
            ["programa.creado", "recomendacion.creada", "compromiso.creado", "reporte.registrado", "compromiso.calificado", "programa.egresado"],
            eventos.Select(e => e.Tipo));
        Assert.All(eventos, e => Assert.Equal(7, e.ProgramaId));
        Assert.Equal("compromisos/9/calificaciones/40", eventos[4].Sujeto);
        var compromiso = System.Text.Json.Nodes.JsonNode.Parse(eventos[2].Datos)!;
        Assert.Equal("2009-12", (string?)compromiso["fechaVencimiento"]);
        Assert.Equal("Pendiente", (string?)compromiso["calificacion"]);
        Assert.Null(compromiso["secuencia"]);
    }

    [Theory]
    [InlineData(Domain.EstadoPrograma.EnSeguimiento, Domain.EstadoPrograma.EnSeguimiento, "programa.actualizado")]
    [InlineData(Domain.EstadoPrograma.EnSeguimiento, Domain.EstadoPrograma.Egresado, "programa.egresado")]
    [InlineData(Domain.EstadoPrograma.Egresado, Domain.EstadoPrograma.EnSeguimiento, "programa.reabierto")]
    public async Task El_cambio_de_estado_del_programa_nombra_su_evento(Domain.EstadoPrograma antes, Domain.EstadoPrograma despues, string tipo)
    {
        var eventos = await Persistence.Bandeja.DerivarAsync(null!,
            [Cambio("Programa", false, Programa(7, antes), Programa(7, despues, "Otro"))], default);
        Assert.Equal(tipo, Assert.Single(eventos).Tipo);
    }

    [Fact]
    public async Task Una_correccion_es_calificacion_corregida_y_un_cambio_de_texto_compromiso_actualizado()
    {
        var eventos = await Persistence.Bandeja.DerivarAsync(null!,
        [
            Cambio("Compromiso", false, Compromiso(9, Domain.Calificacion.Cancelado), Compromiso(9, Domain.Calificacion.Cumplido)),
            Cambio("RegistroCalificacion", true, null, new() { ["Id"] = 41L, ["CompromisoId"] = 9, ["MotivoCorreccion"] = "Error" }),
            Cambio("Compromiso", false, Compromiso(10, Domain.Calificacion.Pendiente), Compromiso(10, Domain.Calificacion.Pendiente, "Nuevo texto")),
        ], default);
        Assert.Equal(["compromiso.actualizado", "calificacion.corregida"], eventos.Select(e => e.Tipo));
    }
}
