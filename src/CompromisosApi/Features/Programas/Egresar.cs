using CompromisosApi.Common;
using CompromisosApi.Persistence;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CompromisosApi.Features.Programas;

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
