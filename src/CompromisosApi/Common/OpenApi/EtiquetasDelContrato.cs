namespace CompromisosApi.Common;

internal static class EtiquetasDelContrato
{
    /// <summary>The description of each tag (an area of the API); a tag without one fails the contract test.</summary>
    public static readonly IReadOnlyDictionary<string, string> Descripciones = new Dictionary<string, string>
    {
        ["Auditoría"] = "La bitácora de auditoría: cada escritura, con su actor, el antes y el después (analistas y administradores).",
        ["Calendario"] = "Los cortes del calendario de reportes, el trabajo pendiente en cada uno y sus rondas de calificaciones y reportes (todo o nada).",
        ["Catálogo"] = "Ministerios, servicios y líneas de evaluación.",
        ["Compromisos"] = "Compromisos, sus calificaciones, reportes de cumplimiento, medios de verificación y la exportación de datos abiertos.",
        ["Correcciones"] = "Correcciones de administradores: reabrir un programa egresado y corregir una calificación, siempre con motivo.",
        ["Estadísticas"] = "Cumplimiento agregado por ministerio, servicio, año o línea de evaluación.",
        ["Eventos"] = "La fuente de eventos (CloudEvents) de todo cambio del registro, para sondear.",
        ["Importaciones"] = "Importación del registro completo de un programa archivado.",
        ["Informes"] = "El Informe de Egreso (o de Seguimiento) de un programa, en JSON, texto, HTML o PDF.",
        ["Programas"] = "Programas evaluados, su seguimiento y su egreso.",
        ["Trazas"] = "La traza de cada transacción (Red de Interoperabilidad del Estado): quién llamó, qué operación, cuándo y con qué resultado; su exportación diaria (administradores).",
        ["Recomendaciones"] = "Las recomendaciones de la evaluación de un programa.",
        ["Webhooks"] = "Suscripciones de webhooks (administradores): entregas firmadas de los eventos.",
    };
}
