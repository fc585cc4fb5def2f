using CompromisosApi.Common;
using CompromisosApi.Domain;
using CompromisosApi.Persistence;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CompromisosApi.Features.Compromisos;

public interface IDatosCompromiso
{
    string Texto { get; }
    string FechaVencimiento { get; }
}

public abstract class DatosCompromisoValidator<T> : AbstractValidator<T> where T : IDatosCompromiso
{
    protected DatosCompromisoValidator()
    {
        RuleFor(x => x.Texto).TextoObligatorio(Validacion.LargoTexto);
        RuleFor(x => x.FechaVencimiento).Cascade(CascadeMode.Stop).TextoObligatorio(7).EsMes();
    }
}

public sealed record CrearCompromiso(int RecomendacionId, string Texto, string FechaVencimiento)
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
        var compromiso = new Compromiso(rec, secuencia, c.Texto, Meses.Parse(c.FechaVencimiento), usuario.Firmar().En);
        db.Compromisos.Add(compromiso);
        await db.SaveChangesAsync(ct);
        return new(compromiso.ToDto(calendario.Hoy()), compromiso.Version);
    }
}

public sealed record ActualizarCompromiso(int Id, uint[]? IfMatch, string Texto, string FechaVencimiento)
    : ICommand<Versionado<CompromisoDto>>, IDatosCompromiso;

public sealed class ActualizarCompromisoValidator : DatosCompromisoValidator<ActualizarCompromiso>;

public sealed class ActualizarCompromisoHandler(CompromisosDbContext db, Calendario calendario) : ICommandHandler<ActualizarCompromiso, Versionado<CompromisoDto>>
{
    public async ValueTask<Versionado<CompromisoDto>> Handle(ActualizarCompromiso c, CancellationToken ct)
    {
        var (_, compromiso) = await EscrituraDeCompromiso.BloquearAsync(db, c.Id, c.IfMatch, ct);
        compromiso.Actualizar(c.Texto, Meses.Parse(c.FechaVencimiento));
        await db.SaveChangesAsync(ct);
        return new(compromiso.ToDto(calendario.Hoy()), compromiso.Version);
    }
}

/// <summary>The lock order every write under a compromiso follows: programa (shared), then the compromiso.</summary>
public static class EscrituraDeCompromiso
{
    public static async Task<(Programa Programa, Compromiso Compromiso)> BloquearAsync(
        CompromisosDbContext db, int compromisoId, uint[]? ifMatch, CancellationToken ct)
    {
        var programaId = await db.Compromisos.Where(x => x.Id == compromisoId).Select(x => (int?)x.ProgramaId).SingleOrDefaultAsync(ct)
            ?? throw new NoEncontradoException("compromiso", compromisoId);
        var programa = await db.BloquearProgramaAsync(programaId, exclusivo: false, ct) ?? throw new NoEncontradoException("programa", programaId);
        var compromiso = await db.BloquearCompromisoAsync(compromisoId, ct) ?? throw new NoEncontradoException("compromiso", compromisoId);
        Etags.Verificar(ifMatch, compromiso.Version);
        programa.AsegurarEnSeguimiento();
        return (programa, compromiso);
    }

    /// <summary>Reportes and medios refer to cortes of the follow-up, which starts with the programa's evaluation year.</summary>
    public static void AsegurarCorteDelPrograma(Programa programa, DateOnly corte)
    {
        if (corte.Year >= programa.AnioEvaluacion) return;
        throw new ValidationException([new FluentValidation.Results.ValidationFailure("corte",
            $"No puede ser anterior al año de evaluación del programa ({programa.AnioEvaluacion}).")]);
    }
}
