namespace CompromisosApi.Features.Recomendaciones;

public static class ListarRecomendacionesEndpoint
{
    public static RouteHandlerBuilder MapListarRecomendaciones(this IEndpointRouteBuilder rutas) =>
        rutas.MapGet("{id:int}/recomendaciones", async (int id, int? limit, string? cursor, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new ListarRecomendaciones(id, limit, cursor), ct)))
            .Documentar("ListarRecomendaciones", "Lista las recomendaciones de un programa", "En orden de número (1, 2, 3 …), paginada.")
            .Errores(400, 404);
}

public sealed record ListarRecomendaciones(int ProgramaId, int? Limit, string? Cursor) : IQuery<Pagina<RecomendacionDto>>, IPaginada;

public sealed class ListarRecomendacionesValidator : AbstractValidator<ListarRecomendaciones>
{
    public ListarRecomendacionesValidator() => this.ReglasDePaginacion();
}

public sealed class ListarRecomendacionesHandler(CompromisosDbContext db) : IQueryHandler<ListarRecomendaciones, Pagina<RecomendacionDto>>
{
    public async ValueTask<Pagina<RecomendacionDto>> Handle(ListarRecomendaciones q, CancellationToken ct)
    {
        if (!await db.Programas.AnyAsync(p => p.Id == q.ProgramaId, ct)) throw new NoEncontradoException("programa", q.ProgramaId);
        var despues = q.DespuesEntero();
        var filas = await db.Recomendaciones.AsNoTracking()
            .Where(r => r.ProgramaId == q.ProgramaId && r.Numero > despues)
            .OrderBy(r => r.Numero).Take(q.Limite() + 1).ProjectToDto().ToListAsync(ct);
        return Paginacion.Cortar(filas, q.Limite(), r => r.Numero, r => r);
    }
}
