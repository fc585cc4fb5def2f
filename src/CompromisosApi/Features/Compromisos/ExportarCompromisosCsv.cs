namespace CompromisosApi.Features.Compromisos;

public static class ExportarCompromisosCsvEndpoint
{
    public static RouteHandlerBuilder MapExportarCompromisosCsv(this IEndpointRouteBuilder rutas) =>
        rutas.MapExportacion(FormatoLista.Csv, "csv", "text/csv")
            .Documentar("ExportarCompromisosCsv", "Exporta los compromisos que cumplen los filtros (CSV, datos abiertos)",
                "CSV (RFC 4180) en UTF-8 con BOM (para que Excel muestre tildes y eñes), líneas CRLF, una fila de encabezados. " +
                "Todas las filas que cumplen los filtros de ListarCompromisos (q incluido), sin paginar, en el mismo orden, como adjunto " +
                "compromisos-<aaaa-mm-dd>.csv: id, programaId, programa, servicio, ministerio, anioEvaluacion, recomendacion, numero, texto, " +
                "fechaVencimiento (yyyy-MM), calificacion, fechaCalificacion, vencido (al corte), tipo y prioritario. Las exportaciones en curso están acotadas " +
                "por dirección (429) y en total (503).");
}
