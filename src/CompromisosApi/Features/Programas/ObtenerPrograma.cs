namespace CompromisosApi.Features.Programas;

public static class ObtenerProgramaEndpoint
{
    public static RouteHandlerBuilder MapObtenerPrograma(this IEndpointRouteBuilder rutas) =>
        rutas.MapGet("{id:int}", async (int id, DateOnly? alCorte, DateTimeOffset? conocidoAl, IMediator m, HttpContext http, CancellationToken ct) =>
                Http.ConEtag(http, await m.Send(new ObtenerPrograma(id, alCorte, conocidoAl), ct)))
            .ConVersion()
            .Documentar("ObtenerPrograma", "Obtiene un programa",
                "Devuelve el programa (estado y fecha de egreso, actuales o al corte alCorte, tal como se conocían en conocidoAl; 404 si " +
                "aún no estaba registrado) y el ETag de su versión actual.")
            .Errores(400, 404);
}

public sealed record ObtenerPrograma(int Id, DateOnly? AlCorte, DateTimeOffset? ConocidoAl = null) : IQuery<Versionado<ProgramaDto>>, ILecturaAlMomento;

public sealed class ObtenerProgramaValidator : AbstractValidator<ObtenerPrograma>
{
    public ObtenerProgramaValidator(TimeProvider reloj) => this.ReglasDeMomento(reloj);
}

public sealed class ObtenerProgramaHandler(CompromisosDbContext db) : IQueryHandler<ObtenerPrograma, Versionado<ProgramaDto>>
{
    public async ValueTask<Versionado<ProgramaDto>> Handle(ObtenerPrograma q, CancellationToken ct)
    {
        var x = await db.Programas.AsNoTracking().Where(p => p.Id == q.Id).ComoEstaban(db, q.Momento()).SingleOrDefaultAsync(ct)
            ?? throw new NoEncontradoException("programa", q.Id);
        return new(await EgresoPropuesto.CompletarAsync(db, x.ToDto(q.Momento().AlCorte), ct, q.Momento()), x.Programa.Version);
    }
}
