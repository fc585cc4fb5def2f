using CompromisosApi.Common;
using CompromisosApi.Domain;
using CompromisosApi.Persistence;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CompromisosApi.Features.Compromisos;

public sealed record CalificarCompromiso(int CompromisoId, uint[]? IfMatch, Calificacion Calificacion, DateOnly Fecha, string? Observacion)
    : ICommand<CalificacionRegistradaDto>;

public sealed class CalificarCompromisoValidator : AbstractValidator<CalificarCompromiso>
{
    public CalificarCompromisoValidator(Calendario calendario)
    {
        RuleFor(x => x.Calificacion).IsInEnum().WithMessage("No es una calificación válida.");
        RuleFor(x => x.Fecha).EsFechaRazonable().NoFutura(calendario).EsCorte(calendario);
        RuleFor(x => x.Observacion).TextoOpcional(Validacion.LargoTexto);
    }
}

public sealed class CalificarCompromisoHandler(CompromisosDbContext db, UsuarioActual usuario) : ICommandHandler<CalificarCompromiso, CalificacionRegistradaDto>
{
    public async ValueTask<CalificacionRegistradaDto> Handle(CalificarCompromiso c, CancellationToken ct)
    {
        // The compromiso row stays locked until commit, so concurrent calificaciones apply one after the
        // other and each sees the state the previous one left (a second "Cumplido" meets a final state).
        var (_, compromiso) = await EscrituraDeCompromiso.BloquearAsync(db, c.CompromisoId, c.IfMatch, ct);
        var hayReporte = await db.Reportes.AnyAsync(r => r.CompromisoId == compromiso.Id && r.Corte == c.Fecha, ct);
        var registro = compromiso.Calificar(c.Calificacion, c.Fecha, c.Observacion, hayReporte, usuario.Firmar());
        db.Calificaciones.Add(registro);
        await db.SaveChangesAsync(ct);
        return registro.ToDto();
    }
}

public sealed record ListarCalificaciones(int CompromisoId, int? Limit, string? Cursor) : IQuery<Pagina<CalificacionRegistradaDto>>, IPaginada;

public sealed class ListarCalificacionesValidator : AbstractValidator<ListarCalificaciones>
{
    public ListarCalificacionesValidator() => this.ReglasDePaginacion();
}

public sealed class ListarCalificacionesHandler(CompromisosDbContext db) : IQueryHandler<ListarCalificaciones, Pagina<CalificacionRegistradaDto>>
{
    public async ValueTask<Pagina<CalificacionRegistradaDto>> Handle(ListarCalificaciones q, CancellationToken ct) =>
        await HijosDeCompromiso.ListarAsync<RegistroCalificacion, CalificacionRegistradaDto>(db, q.CompromisoId, q, x => x.ProjectToDto(), x => x.Id, ct);
}

public sealed record ObtenerCalificacion(int CompromisoId, long Id) : IQuery<CalificacionRegistradaDto>;

public sealed class ObtenerCalificacionHandler(CompromisosDbContext db) : IQueryHandler<ObtenerCalificacion, CalificacionRegistradaDto>
{
    public async ValueTask<CalificacionRegistradaDto> Handle(ObtenerCalificacion q, CancellationToken ct) =>
        await db.Calificaciones.AsNoTracking().Where(x => x.Id == q.Id && x.CompromisoId == q.CompromisoId)
            .ProjectToDto().SingleOrDefaultAsync(ct)
        ?? throw new NoEncontradoException("calificación", q.Id);
}
