using CompromisosApi.Common;
using CompromisosApi.Domain;
using CompromisosApi.Persistence;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CompromisosApi.Features.Compromisos;

/// <summary>The evidence behind a calificación, by its title only (files: Features/Evidencia).</summary>
public sealed record RegistrarMedioVerificacion(int CompromisoId, string Titulo, DateOnly Corte) : ICommand<MedioVerificacionDto>, IDatosMedio;

/// <summary>What every medio carries, with or without a file.</summary>
public interface IDatosMedio
{
    string Titulo { get; }
    DateOnly Corte { get; }
}

public abstract class DatosMedioValidator<T> : AbstractValidator<T> where T : IDatosMedio
{
    protected DatosMedioValidator(Calendario calendario)
    {
        RuleFor(x => x.Titulo).TextoObligatorio(Validacion.LargoTitulo);
        RuleFor(x => x.Corte).EsFechaRazonable().EsCorte(calendario).NoPosteriorAlProximoCorte(calendario);
    }
}

public sealed class RegistrarMedioVerificacionValidator(Calendario calendario) : DatosMedioValidator<RegistrarMedioVerificacion>(calendario);

public sealed class RegistrarMedioVerificacionHandler(CompromisosDbContext db, UsuarioActual usuario, Cuotas cuotas)
    : ICommandHandler<RegistrarMedioVerificacion, MedioVerificacionDto>
{
    public async ValueTask<MedioVerificacionDto> Handle(RegistrarMedioVerificacion c, CancellationToken ct)
    {
        var (programa, compromiso) = await EscrituraDeCompromiso.BloquearAsync(db, c.CompromisoId, null, ct);
        usuario.AsegurarAccesoAServicio(programa.ServicioId);
        EscrituraDeCompromiso.AsegurarCorteDelPrograma(programa, c.Corte);
        await cuotas.AsegurarMedioAsync(programa.ServicioId, compromiso.Id, c.Corte, 0, bloquear: true, ct);
        var medio = new MedioVerificacion(compromiso.Id, c.Titulo, c.Corte, usuario.Firmar());
        db.MediosVerificacion.Add(medio);
        await db.SaveChangesAsync(ct);
        return medio.ToDto();
    }
}

public sealed record ListarMediosVerificacion(int CompromisoId, int? Limit, string? Cursor) : IQuery<Pagina<MedioVerificacionDto>>, IPaginada;

public sealed class ListarMediosVerificacionValidator : AbstractValidator<ListarMediosVerificacion>
{
    public ListarMediosVerificacionValidator() => this.ReglasDePaginacion();
}

public sealed class ListarMediosVerificacionHandler(CompromisosDbContext db) : IQueryHandler<ListarMediosVerificacion, Pagina<MedioVerificacionDto>>
{
    public async ValueTask<Pagina<MedioVerificacionDto>> Handle(ListarMediosVerificacion q, CancellationToken ct) =>
        await HijosDeCompromiso.ListarAsync<MedioVerificacion, MedioVerificacionDto>(db, q.CompromisoId, q, x => x.ProjectToDto(), x => x.Id, ct);
}

public sealed record ObtenerMedioVerificacion(int CompromisoId, long Id) : IQuery<MedioVerificacionDto>;

public sealed class ObtenerMedioVerificacionHandler(CompromisosDbContext db) : IQueryHandler<ObtenerMedioVerificacion, MedioVerificacionDto>
{
    public async ValueTask<MedioVerificacionDto> Handle(ObtenerMedioVerificacion q, CancellationToken ct) =>
        await db.MediosVerificacion.AsNoTracking().Where(x => x.Id == q.Id && x.CompromisoId == q.CompromisoId)
            .ProjectToDto().SingleOrDefaultAsync(ct)
        ?? throw new NoEncontradoException("medio de verificación", q.Id);
}
