namespace CompromisosApi.Features.Informes;

public static class InformesEndpoints
{
    public static IEndpointRouteBuilder MapInformes(this IEndpointRouteBuilder app) =>
        // The informe is a programa's, so it sits under /programas; its own group keeps it in its own tag.
        app.MapGrupo("/programas", "Informes",
            g => g.MapObtenerInforme(), g => g.MapObtenerInformeTexto(), g => g.MapObtenerInformeHtml(),
            g => g.MapObtenerInformePdf());
}
