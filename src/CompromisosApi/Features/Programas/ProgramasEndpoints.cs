namespace CompromisosApi.Features.Programas;

public static class ProgramasEndpoints
{
    /// <summary>programa.egreso-propuesto: the outbox asks <see cref="AvisoDeEgreso"/> after each command's own events.</summary>
    public static IServiceCollection AddProgramas(this IServiceCollection services) =>
        services.AddSingleton<IDerivadorDeEventos, AvisoDeEgreso>();

    public static IEndpointRouteBuilder MapProgramas(this IEndpointRouteBuilder app) =>
        app.MapGrupo("/programas", "Programas",
            g => g.MapListarProgramas(), g => g.MapObtenerPrograma(), g => g.MapCrearPrograma(),
            g => g.MapActualizarPrograma(), g => g.MapEgresarPrograma());
}
