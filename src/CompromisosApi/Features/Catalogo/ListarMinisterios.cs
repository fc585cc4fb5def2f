namespace CompromisosApi.Features.Catalogo;

public static class ListarMinisteriosEndpoint
{
    public static RouteHandlerBuilder MapListarMinisterios(this IEndpointRouteBuilder rutas) =>
        rutas.MapGet("", async ([AsParameters] ListarMinisterios q, IMediator m, CancellationToken ct) => TypedResults.Ok(await m.Send(q, ct)))
            .Documentar("ListarMinisterios", "Lista los ministerios", "Lista paginada (limit, cursor) en orden de id; filtra por codigo (la partida).")
            .Errores(400);
}

/// <param name="Limit" example="50">Tamaño de página, 1 a 200 (por omisión 50).</param>
/// <param name="Cursor">El nextCursor de la página anterior.</param>
/// <param name="Codigo" example="13">Solo el ministerio de esta partida de la Ley de Presupuestos (dos dígitos).</param>
public sealed record ListarMinisterios(
    int? Limit, string? Cursor,
    [property: System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoCodigoMinisterio), Patron(CodigosPresupuestarios.PatronPartida)] string? Codigo = null) : IQuery<Pagina<MinisterioDto>>, IPaginada;

public sealed class ListarMinisteriosValidator : AbstractValidator<ListarMinisterios>
{
    public ListarMinisteriosValidator()
    {
        this.ReglasDePaginacion();
        RuleFor(x => x.Codigo).CodigoMinisterio();
    }
}

public sealed class ListarMinisteriosHandler(CompromisosDbContext db) : IQueryHandler<ListarMinisterios, Pagina<MinisterioDto>>
{
    public async ValueTask<Pagina<MinisterioDto>> Handle(ListarMinisterios q, CancellationToken ct)
    {
        var despues = q.DespuesEntero();
        var consulta = db.Ministerios.AsNoTracking().Where(m => m.Id > despues);
        if (q.Codigo is { } codigo) consulta = consulta.Where(m => m.Codigo == codigo);
        var filas = await consulta.OrderBy(m => m.Id).Take(q.Limite() + 1).ProjectToDto().ToListAsync(ct);
        return Paginacion.Cortar(filas, q.Limite(), m => m.Id, m => m);
    }
}
