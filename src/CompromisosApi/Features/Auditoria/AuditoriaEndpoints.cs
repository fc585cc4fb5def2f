namespace CompromisosApi.Features.Auditoria;

public static class AuditoriaEndpoints
{
    public static IEndpointRouteBuilder MapAuditoria(this IEndpointRouteBuilder app)
    {
        app.MapListarAuditoria();
        return app;
    }
}
