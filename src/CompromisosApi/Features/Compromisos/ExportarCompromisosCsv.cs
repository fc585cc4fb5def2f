namespace CompromisosApi.Features.Compromisos;

public static class ExportarCompromisosCsvEndpoint
{
    public static RouteHandlerBuilder MapExportarCompromisosCsv(this IEndpointRouteBuilder rutas) =>
        rutas.MapExportacion(FormatoLista.Csv, "csv", "text/csv")
            .Documentar("ExportarCompromisosCsv", "Exporta los compromisos que cumplen los filtros (CSV, datos abiertos)",
                "CSV (RFC 4180) en UTF-8 con BOM (para que Excel muestre tildes y eñes), líneas CRLF, una fila de encabezados. " +
                ListarCompromisosEndpoint.FilasExportadas("csv"));
}
