using Microsoft.AspNetCore.Mvc;

namespace CompromisosApi.Features.Programas;

public static class EgresarProgramaEndpoint
{
    public static RouteHandlerBuilder MapEgresarPrograma(this IEndpointRouteBuilder rutas) =>
        rutas.MapPost("{id:int}/egreso", async (int id, [FromHeader(Name = "If-Match")] string? ifMatch, [FromBody] EgresoEntrada? body, IMediator m, HttpContext http, CancellationToken ct) =>
                Http.ConEtag(http, await m.Send(new EgresarPrograma(id, Etags.Leer(ifMatch), body?.FechaEgreso), ct)))
            .ConVersion()
            .Documentar("EgresarPrograma", "Egresa el programa del seguimiento",
                "Solo si todos sus compromisos están Cumplidos o Cancelados (409 con la lista compromisosAbiertos si no). " +
                "La fecha de egreso es, por omisión, la de la última calificación del programa. Después, el registro es de solo lectura. " +
                "If-Match es opcional (412 si no es el ETag actual).")
            .Errores(400, 404, 409, 412)
            .Requiere(Politicas.Registro);
}

public sealed record EgresarPrograma(int Id, uint[]? IfMatch, DateOnly? FechaEgreso) : ICommand<Versionado<ProgramaDto>>;

public sealed class EgresarProgramaValidator : AbstractValidator<EgresarPrograma>
{
    public EgresarProgramaValidator(Calendario calendario) =>
        RuleFor(x => x.FechaEgreso!.Value).NoFutura(calendario).OverridePropertyName("fechaEgreso").When(x => x.FechaEgreso is not null);
}

public sealed class EgresarProgramaHandler(CompromisosDbContext db, UsuarioActual usuario) : ICommandHandler<EgresarPrograma, Versionado<ProgramaDto>>
{
    public async ValueTask<Versionado<ProgramaDto>> Handle(EgresarPrograma c, CancellationToken ct)
    {
        // FOR UPDATE waits for writers holding the programa FOR SHARE, so the compromisos read next are
        // all of them, and none can be added or re-qualified until the egreso commits.
        var p = await db.BloquearProgramaAsync(c.Id, exclusivo: true, ct) ?? throw new NoEncontradoException("programa", c.Id);
        Etags.Verificar(c.IfMatch, p.Version);
        var compromisos = await db.Compromisos.AsNoTracking().Where(x => x.ProgramaId == c.Id).ToListAsync(ct);
        db.Egresos.Add(p.Egresar(compromisos, c.FechaEgreso, usuario.Firmar()));
        await db.SaveChangesAsync(ct);
        return new(p.ToDto(), p.Version);
    }
}
