namespace CompromisosApi.Features.Informes;

public static class ObtenerInformeHtmlEndpoint
{
    public static RouteHandlerBuilder MapObtenerInformeHtml(this IEndpointRouteBuilder rutas) =>
        rutas.MapEnFormato(FormatoInforme.Html, "html", "text/html")
            .Documentar("ObtenerInformeHtml", "Informe de egreso (o de seguimiento) del programa, como página imprimible",
                "En text/html; charset=utf-8: una página autocontenida e imprimible (A4), con una fila por compromiso. " +
                ObtenerInformeEndpoint.MismoInforme);
}
