namespace CompromisosApi.Features.Correcciones;

// After egreso the record is closed; later changes are an administrator's corrections, each with a stated reason,
// and the audit trail keeps them with their before and after.

public static class CorreccionesEndpoints
{
    public static IEndpointRouteBuilder MapCorrecciones(this IEndpointRouteBuilder app) =>
        app.MapGrupo("", "Correcciones",
            g => g.MapReabrirPrograma(), g => g.MapCorregirCalificacion());
}
