namespace CompromisosApi.Features.Informes;

public static class ObtenerInformeTextoEndpoint
{
    public static RouteHandlerBuilder MapObtenerInformeTexto(this IEndpointRouteBuilder rutas) =>
        rutas.MapEnFormato(FormatoInforme.Texto, "texto", "text/plain")
            .Documentar("ObtenerInformeTexto", "Informe de egreso (o de seguimiento) del programa, en texto",
                "En text/plain; charset=utf-8: el diseño y la redacción del informe oficial, una línea por dato del encabezado y un bloque por compromiso. " +
                ObtenerInformeEndpoint.MismoInforme);
}
