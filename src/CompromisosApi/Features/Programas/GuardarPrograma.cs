using CompromisosApi.Common;
using CompromisosApi.Domain;
using CompromisosApi.Persistence;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CompromisosApi.Features.Programas;

public interface IDatosPrograma
{
    string Nombre { get; }
    int ServicioId { get; }
    int AnioEvaluacion { get; }
    string LineaEvaluacion { get; }
}

public abstract class DatosProgramaValidator<T> : AbstractValidator<T> where T : IDatosPrograma
{
    /// <summary>DIPRES began evaluating programs in 1997; a year after next can't have been evaluated.</summary>
    public const int PrimerAnio = 1997;

    protected DatosProgramaValidator(CompromisosDbContext db, Calendario calendario)
    {
        RuleFor(x => x.Nombre).TextoObligatorio(Validacion.LargoNombrePrograma);
        RuleFor(x => x.ServicioId).Id();
        RuleFor(x => x.AnioEvaluacion)
            .Must(a => a >= PrimerAnio && a <= calendario.Hoy().Year + 1)
            .WithMessage(_ => $"Debe estar entre {PrimerAnio} y {calendario.Hoy().Year + 1}.");
        RuleFor(x => x.LineaEvaluacion).TextoObligatorio(10)
            .MustAsync((codigo, ct) => db.LineasEvaluacion.AnyAsync(l => l.Codigo == codigo, ct))
            .WithMessage("No es una línea de evaluación del catálogo (GET /api/v1/lineas-evaluacion).");
    }
}

public sealed record CrearPrograma(string Nombre, int ServicioId, int AnioEvaluacion, string LineaEvaluacion)
    : ICommand<Versionado<ProgramaDto>>, IDatosPrograma;

public sealed class CrearProgramaValidator(CompromisosDbContext db, Calendario calendario) : DatosProgramaValidator<CrearPrograma>(db, calendario);

public sealed class CrearProgramaHandler(CompromisosDbContext db, UsuarioActual usuario) : ICommandHandler<CrearPrograma, Versionado<ProgramaDto>>
{
    public async ValueTask<Versionado<ProgramaDto>> Handle(CrearPrograma c, CancellationToken ct)
    {
        if (!await db.Servicios.AnyAsync(s => s.Id == c.ServicioId, ct)) throw new NoEncontradoException("servicio", c.ServicioId);
        var p = new Programa(c.Nombre, c.ServicioId, c.AnioEvaluacion, c.LineaEvaluacion, usuario.Firmar().En);
        db.Programas.Add(p);
        await db.SaveChangesAsync(ct);
        return new(p.ToDto(), p.Version);
    }
}

public sealed record ActualizarPrograma(int Id, uint[]? IfMatch, string Nombre, int ServicioId, int AnioEvaluacion, string LineaEvaluacion)
    : ICommand<Versionado<ProgramaDto>>, IDatosPrograma;

public sealed class ActualizarProgramaValidator(CompromisosDbContext db, Calendario calendario) : DatosProgramaValidator<ActualizarPrograma>(db, calendario);

public sealed class ActualizarProgramaHandler(CompromisosDbContext db) : ICommandHandler<ActualizarPrograma, Versionado<ProgramaDto>>
{
    public async ValueTask<Versionado<ProgramaDto>> Handle(ActualizarPrograma c, CancellationToken ct)
    {
        var p = await db.BloquearProgramaAsync(c.Id, exclusivo: true, ct) ?? throw new NoEncontradoException("programa", c.Id);
        Etags.Verificar(c.IfMatch, p.Version);
        if (!await db.Servicios.AnyAsync(s => s.Id == c.ServicioId, ct)) throw new NoEncontradoException("servicio", c.ServicioId);
        p.Actualizar(c.Nombre, c.ServicioId, c.AnioEvaluacion, c.LineaEvaluacion);
        await db.SaveChangesAsync(ct);
        return new(await EgresoPropuesto.CompletarAsync(db, p.ToDto(), ct), p.Version);
    }
}
