namespace CompromisosApi.Features.Informes;

public static class ObtenerInformePdfEndpoint
{
    public static RouteHandlerBuilder MapObtenerInformePdf(this IEndpointRouteBuilder rutas) =>
        rutas.MapEnFormato(FormatoInforme.Pdf, "pdf", "application/pdf")
            .Documentar("ObtenerInformePdf", "Informe de egreso (o de seguimiento) del programa, en PDF",
                "En application/pdf: A4, con la fila de encabezado en cada página y \"Página n de m\" al pie; Content-Disposition inline con el nombre informe-programa-<id>-<corte>.pdf. " +
                ObtenerInformeEndpoint.MismoInforme);
}
