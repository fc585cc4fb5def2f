namespace CompromisosApi.Features.Recomendaciones;

public static class CrearRecomendacionEndpoint
{
    public static RouteHandlerBuilder MapCrearRecomendacion(this IEndpointRouteBuilder rutas) =>
        rutas.MapPost("{id:int}/recomendaciones", async (int id, RecomendacionEntrada body, IMediator m, HttpContext http, CancellationToken ct) =>
            {
                var v = await m.Send(new CrearRecomendacion(id, body.Texto), ct);
                return Http.CreadoConEtag(http, $"{Http.Base}/recomendaciones/{v.Recurso.Id}", v);
            })
            .ConVersion()
            .Documentar("CrearRecomendacion", "Agrega una recomendación al programa",
                "El número se asigna en orden dentro del programa. 409 si el programa egresó.")
            .Errores(400, 404, 409)
            .Requiere(Politicas.Registro);
}

public sealed record CrearRecomendacion(int ProgramaId, string Texto) : ICommand<Versionado<RecomendacionDto>>;

public sealed class CrearRecomendacionValidator : AbstractValidator<CrearRecomendacion>
{
    public CrearRecomendacionValidator() => RuleFor(x => x.Texto).TextoObligatorio(Validacion.LargoTexto);
}

public sealed class CrearRecomendacionHandler(CompromisosDbContext db, UsuarioActual usuario) : ICommandHandler<CrearRecomendacion, Versionado<RecomendacionDto>>
{
    public async ValueTask<Versionado<RecomendacionDto>> Handle(CrearRecomendacion c, CancellationToken ct)
    {
        // FOR UPDATE on the programa serialises numbering: two concurrent additions can't both take "n + 1".
        var p = await db.BloquearProgramaAsync(c.ProgramaId, exclusivo: true, ct) ?? throw new NoEncontradoException("programa", c.ProgramaId);
        p.AsegurarEnSeguimiento();
        var numero = 1 + (await db.Recomendaciones.Where(r => r.ProgramaId == p.Id).MaxAsync(r => (int?)r.Numero, ct) ?? 0);
        var r = new Recomendacion(p.Id, numero, c.Texto, usuario.Firmar().En);
        db.Recomendaciones.Add(r);
        await db.SaveChangesAsync(ct);
        return new(r.ToDto(), r.Version);
    }
}
