namespace CompromisosApi.Features.Compromisos;

public static class CrearCompromisoEndpoint
{
    public static RouteHandlerBuilder MapCrearCompromiso(this IEndpointRouteBuilder rutas) =>
        rutas.MapPost("{id:int}/compromisos", async (int id, CompromisoEntrada body, IMediator m, HttpContext http, CancellationToken ct) =>
            {
                var v = await m.Send(new CrearCompromiso(id, body.Texto, body.FechaVencimiento, body.Tipo, body.Prioritario ?? false), ct);
                return Http.CreadoConEtag(http, $"{Http.Base}/compromisos/{v.Recurso.Id}", v);
            })
            .ConVersion()
            .Documentar("CrearCompromiso", "Agrega un compromiso a la recomendación",
                "El número \"<recomendación>.<n>\" se asigna solo; nace Pendiente. fechaVencimiento es un mes yyyy-MM. 409 si el programa egresó.")
            .Errores(400, 404, 409)
            .Requiere(Politicas.Registro);
}

public sealed record CrearCompromiso(int RecomendacionId, string Texto, string FechaVencimiento, string? Tipo = null, bool Prioritario = false)
    : ICommand<Versionado<CompromisoDto>>, IDatosCompromiso;

public sealed class CrearCompromisoValidator : DatosCompromisoValidator<CrearCompromiso>;

public sealed class CrearCompromisoHandler(CompromisosDbContext db, Calendario calendario, UsuarioActual usuario) : ICommandHandler<CrearCompromiso, Versionado<CompromisoDto>>
{
    public async ValueTask<Versionado<CompromisoDto>> Handle(CrearCompromiso c, CancellationToken ct)
    {
        var programaId = await db.Recomendaciones.Where(r => r.Id == c.RecomendacionId).Select(r => (int?)r.ProgramaId).SingleOrDefaultAsync(ct)
            ?? throw new NoEncontradoException("recomendación", c.RecomendacionId);
        var programa = await db.BloquearProgramaAsync(programaId, exclusivo: false, ct) ?? throw new NoEncontradoException("programa", programaId);
        programa.AsegurarEnSeguimiento();

        // FOR UPDATE on the recomendación serialises numbering of its compromisos.
        var rec = await db.BloquearRecomendacionAsync(c.RecomendacionId, ct) ?? throw new NoEncontradoException("recomendación", c.RecomendacionId);
        var secuencia = 1 + (await db.Compromisos.Where(x => x.RecomendacionId == rec.Id).MaxAsync(x => (int?)x.Secuencia, ct) ?? 0);
        var compromiso = new Compromiso(rec, secuencia, c.Texto, Meses.Parse(c.FechaVencimiento), usuario.Firmar().En, c.Tipo, c.Prioritario);
        db.Compromisos.Add(compromiso);
        await db.SaveChangesAsync(ct);
        return new(compromiso.ToDto(calendario.Hoy()), compromiso.Version);
    }
}
