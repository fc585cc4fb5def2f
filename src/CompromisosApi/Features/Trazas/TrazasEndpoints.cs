namespace CompromisosApi.Features.Trazas;

public static class TrazasEndpoints
{
    /// <summary>Who reads the trace: administradores only (it names officials by RUN, and who read what).</summary>
    public static IServiceCollection AddTrazas(this IServiceCollection services)
    {
        services.AddAuthorizationBuilder().AddPolicy(Politicas.Trazas, p => p.RequireRole(Roles.Administrador));
        return services;
    }

    public static IEndpointRouteBuilder MapTrazas(this IEndpointRouteBuilder app)
    {
        var g = app.MapGrupo("/trazas", "Trazas");
        g.MapListarTrazas();
        g.MapExportarTrazas();
        return app;
    }
}
