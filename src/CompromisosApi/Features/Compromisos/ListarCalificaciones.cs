namespace CompromisosApi.Features.Compromisos;

public static class ListarCalificacionesEndpoint
{
    public static RouteHandlerBuilder MapListarCalificaciones(this IEndpointRouteBuilder rutas) =>
        rutas.MapGet("{id:int}/calificaciones", async (int id, int? limit, string? cursor, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new ListarCalificaciones(id, limit, cursor), ct)))
            .Documentar("ListarCalificaciones", "Historial de calificaciones del compromiso", "En el orden en que se registraron; se conserva para siempre.")
            .Errores(400, 404);
}

public sealed record ListarCalificaciones(int CompromisoId, int? Limit, string? Cursor) : IQuery<Pagina<CalificacionRegistradaDto>>, IPaginada;

public sealed class ListarCalificacionesValidator : AbstractValidator<ListarCalificaciones>
{
    public ListarCalificacionesValidator() => this.ReglasDePaginacion();
}

public sealed class ListarCalificacionesHandler(CompromisosDbContext db) : IQueryHandler<ListarCalificaciones, Pagina<CalificacionRegistradaDto>>
{
    public async ValueTask<Pagina<CalificacionRegistradaDto>> Handle(ListarCalificaciones q, CancellationToken ct) =>
        await HijosDeCompromiso.ListarAsync<RegistroCalificacion, CalificacionRegistradaDto>(db, q.CompromisoId, q, x => x.ProjectToDto(), x => x.Id, ct);
}
