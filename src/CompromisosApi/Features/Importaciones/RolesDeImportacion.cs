using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;

namespace CompromisosApi.Features.Importaciones;

/// <summary>Un elemento del documento de importación cuya escritura exige un rol que el token no tiene.</summary>
public sealed record RechazoImportacion
{
    /// <summary>Ruta del elemento en el documento, con la notación de errors en el 400.</summary>
    /// <example>recomendaciones[0].compromisos[1].calificaciones[0]</example>
    [MaxLength(100)]
    public required string Ruta { get; init; }

    /// <summary>La operación individual que haría la misma escritura (operationId), cuyo rol se exige también aquí.</summary>
    /// <example>CalificarCompromiso</example>
    [MaxLength(50)]
    public required string Operacion { get; init; }

    /// <summary>Rol que exige esa escritura.</summary>
    /// <example>analista</example>
    [MaxLength(20)]
    public required string Rol { get; init; }
}

/// <summary>403 de una importación: nada se importó.</summary>
public sealed class ProblemaImportacionNoAutorizada : ProblemDetails
{
    /// <summary>
    /// Cada elemento del documento que exige un rol que el token no tiene, en el orden del documento (los primeros 1000;
    /// el ministerio y el servicio van primero, así que todo rol que falta aparece). Ausente cuando el token no puede
    /// importar en absoluto (un token de servicio).
    /// </summary>
    [MaxLength(RolesDeImportacion.MaximoRechazos)]
    public IReadOnlyList<RechazoImportacion>? Rechazos { get; init; }
}

/// <summary>
/// The import writes what the single operations write, so it asks for the roles they ask for (the role table):
/// creating a ministerio or a servicio is an administrador's; the programa and everything under it (recomendaciones,
/// compromisos, reportes, medios, calificaciones) and the egreso are an analista's. A token with both roles may import
/// a whole record.
/// </summary>
public static class RolesDeImportacion
{

    /// <summary>
    /// The answer stays bounded whatever the document's size. Every role a caller can lack shows within it: the
    /// administrador's writes (ministerio, servicio) come first, and all the others need the analista's.
    /// </summary>
    public const int MaximoRechazos = 1000;

    /// <summary>Every write of the document the caller may not make, in document order; empty when it may make them all.</summary>
    public static List<RechazoImportacion> Rechazos(DocumentoImportacion doc, bool creaMinisterio, bool creaServicio, Func<string, bool> tieneRol)
    {
        var rechazos = new List<RechazoImportacion>();
        void Exigir(string rol, string ruta, string operacion)
        {
            if (!tieneRol(rol)) rechazos.Add(new RechazoImportacion { Ruta = ruta, Operacion = operacion, Rol = rol });
        }

        if (creaMinisterio) Exigir(Roles.Administrador, "ministerio", "CrearMinisterio");
        if (creaServicio) Exigir(Roles.Administrador, "servicio", "CrearServicio");
        Exigir(Roles.Analista, "programa", "CrearPrograma");
        for (var i = 0; i < doc.Recomendaciones.Count; i++)
        {
            var r = doc.Recomendaciones[i];
            Exigir(Roles.Analista, $"recomendaciones[{i}]", "CrearRecomendacion");
            for (var j = 0; j < r.Compromisos.Count; j++)
            {
                var c = r.Compromisos[j];
                var ruta = $"recomendaciones[{i}].compromisos[{j}]";
                Exigir(Roles.Analista, ruta, "CrearCompromiso");
                // A servicio registers its own reportes and medios one by one, but the import is no servicio's.
                for (var k = 0; k < c.Reportes.Count; k++) Exigir(Roles.Analista, $"{ruta}.reportes[{k}]", "RegistrarReporte");
                for (var k = 0; k < c.MediosVerificacion.Count; k++) Exigir(Roles.Analista, $"{ruta}.mediosVerificacion[{k}]", "RegistrarMedioVerificacion");
                for (var k = 0; k < c.Calificaciones.Count; k++) Exigir(Roles.Analista, $"{ruta}.calificaciones[{k}]", "CalificarCompromiso");
            }
        }

        if (doc.FechaEgreso is not null) Exigir(Roles.Analista, "fechaEgreso", "EgresarPrograma");
        return rechazos;
    }

    public static ProblemaHttpException Problema(IReadOnlyList<RechazoImportacion> rechazos) =>
        new(StatusCodes.Status403Forbidden, TiposDeProblema.ImportacionNoAutorizada, "La importación incluye escrituras que su rol no permite",
            "Nada se importó. Cada elemento de rechazos exige el rol indicado, el mismo que la operación individual equivalente: " +
            "crear un ministerio o un servicio es de administrador; el programa y su registro, las calificaciones y el egreso, de analista. " +
            "Un token con ambos roles puede importar el registro completo.",
            new Dictionary<string, object?> { [MiembrosDeProblema.Rechazos] = rechazos.Take(MaximoRechazos).ToList() });
}
