namespace CompromisosApi.Features.Compromisos;

public static class ListarMediosVerificacionEndpoint
{
    public static RouteHandlerBuilder MapListarMediosVerificacion(this IEndpointRouteBuilder rutas) =>
        rutas.MapGet("{id:int}/medios-verificacion", async (int id, int? limit, string? cursor, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new ListarMediosVerificacion(id, limit, cursor), ct)))
            .Documentar("ListarMediosVerificacion", "Medios de verificación del compromiso", "En el orden en que se registraron.")
            .Errores(400, 404);
}

public sealed record ListarMediosVerificacion(int CompromisoId, int? Limit, string? Cursor) : IQuery<Pagina<MedioVerificacionDto>>, IPaginada;

public sealed class ListarMediosVerificacionValidator : AbstractValidator<ListarMediosVerificacion>
{
    public ListarMediosVerificacionValidator() => this.ReglasDePaginacion();
}

public sealed class ListarMediosVerificacionHandler(CompromisosDbContext db) : IQueryHandler<ListarMediosVerificacion, Pagina<MedioVerificacionDto>>
{
    public async ValueTask<Pagina<MedioVerificacionDto>> Handle(ListarMediosVerificacion q, CancellationToken ct) =>
        await HijosDeCompromiso.ListarAsync<MedioVerificacion, MedioVerificacionDto>(db, q.CompromisoId, q, x => x.ProjectToDto(), x => x.Id, ct);
}
