namespace CompromisosApi.Features.Compromisos;

public static class ExportarCompromisosXlsxEndpoint
{
    public static RouteHandlerBuilder MapExportarCompromisosXlsx(this IEndpointRouteBuilder rutas) =>
        rutas.MapExportacion(FormatoLista.Xlsx, "xlsx", Exportacion.TipoXlsx)
            .Documentar("ExportarCompromisosXlsx", "Exporta los compromisos que cumplen los filtros (XLSX, datos abiertos)",
                "Planilla Excel (una hoja, encabezados en la primera fila, todo texto como texto): la opción para abrir en planillas. " +
                "Todas las filas que cumplen los filtros de ListarCompromisos (q incluido), sin paginar, en el mismo orden, como adjunto " +
                "compromisos-<aaaa-mm-dd>.xlsx: id, programaId, programa, servicio, ministerio, anioEvaluacion, recomendacion, numero, texto, " +
                "fechaVencimiento (yyyy-MM), calificacion, fechaCalificacion, vencido (al corte), tipo y prioritario. Las exportaciones en curso están acotadas " +
                "por dirección (429) y en total (503).");
}
