namespace CompromisosApi.Features.Informes;

public static class ObtenerInformePdfEndpoint
{
    public static RouteHandlerBuilder MapObtenerInformePdf(this IEndpointRouteBuilder rutas) =>
        rutas.MapEnFormato(FormatoInforme.Pdf, "pdf", "application/pdf")
            .Documentar("ObtenerInformePdf", "Informe de egreso (o de seguimiento) del programa, en PDF",
                "En application/pdf: A4, con la fila de encabezado en cada página y \"Página n de m\" al pie; Content-Disposition inline con el nombre informe-programa-<id>-<corte>.pdf. " +
                "Ver ObtenerInforme: el mismo informe, con los mismos parámetros alCorte y conocidoAl y las mismas reglas; los mismos datos dan siempre los mismos bytes. " +
                "Los informes en curso están acotados por dirección (429) y en total (503).");
}
