namespace CompromisosApi.Features.Compromisos;

public static class ExportarCompromisosXlsxEndpoint
{
    public static RouteHandlerBuilder MapExportarCompromisosXlsx(this IEndpointRouteBuilder rutas) =>
        rutas.MapExportacion(FormatoLista.Xlsx, "xlsx", Exportacion.TipoXlsx)
            .Documentar("ExportarCompromisosXlsx", "Exporta los compromisos que cumplen los filtros (XLSX, datos abiertos)",
                "Planilla Excel (una hoja, encabezados en la primera fila, todo texto como texto): la opción para abrir en planillas. " +
                ListarCompromisosEndpoint.FilasExportadas("xlsx"));
}
