namespace CompromisosApi.Features.Compromisos;

public static class ObtenerCompromisoEndpoint
{
    public static RouteHandlerBuilder MapObtenerCompromiso(this IEndpointRouteBuilder rutas) =>
        rutas.MapGet("{id:int}", async (int id, DateOnly? alCorte, DateTimeOffset? conocidoAl, IMediator m, HttpContext http, CancellationToken ct) =>
                Http.ConEtag(http, await m.Send(new ObtenerCompromiso(id, alCorte, conocidoAl), ct)))
            .ConVersion()
            .Documentar("ObtenerCompromiso", "Obtiene un compromiso",
                "Con su calificación vigente y vencido calculado al corte alCorte (por omisión, hoy), tal como se conocía en conocidoAl " +
                "(por omisión, el registro actual; 404 si aún no estaba registrado). Devuelve su ETag (el de su versión actual).")
            .Errores(400, 404);
}

public sealed record ObtenerCompromiso(int Id, DateOnly? AlCorte, DateTimeOffset? ConocidoAl = null) : IQuery<Versionado<CompromisoDto>>, ILecturaAlMomento;

public sealed class ObtenerCompromisoValidator : AbstractValidator<ObtenerCompromiso>
{
    public ObtenerCompromisoValidator(TimeProvider reloj) => this.ReglasDeMomento(reloj);
}

public sealed class ObtenerCompromisoHandler(CompromisosDbContext db, Calendario calendario) : IQueryHandler<ObtenerCompromiso, Versionado<CompromisoDto>>
{
    // The most requested read (integrating systems poll it): compiled once, so a request skips building, hashing
    // and parameter-extracting the LINQ expression (bench/RESULTS.md).
    private static readonly Func<CompromisosDbContext, int, CancellationToken, Task<CompromisoAlCorte?>> PorId =
        EF.CompileAsyncQuery((CompromisosDbContext db, int id, CancellationToken ct) =>
            db.Compromisos.AsNoTracking().Where(c => c.Id == id).Select(AlCorte.Actual).FirstOrDefault());

    public async ValueTask<Versionado<CompromisoDto>> Handle(ObtenerCompromiso q, CancellationToken ct)
    {
        if (!q.Momento().EsElActual)
        {
            var alCorte = q.Momento().Corte(calendario);
            var x = await db.Compromisos.AsNoTracking().Where(c => c.Id == q.Id).ComoEstaban(db, q.Momento()).FirstOrDefaultAsync(ct)
                ?? throw new NoEncontradoException("compromiso", q.Id);
            return new(x.ToDto(alCorte), x.Compromiso.Version);
        }

        var c = await PorId(db, q.Id, ct) ?? throw new NoEncontradoException("compromiso", q.Id);
        return new(c.ToDto(calendario.Hoy()), c.Compromiso.Version);
    }
}
