using CompromisosApi.Common;
using CompromisosApi.Domain;
using CompromisosApi.Persistence;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CompromisosApi.Features.Compromisos;

/// <summary>What the servicio reports of a compromiso at each cut-off, verbatim.</summary>
public sealed record RegistrarReporte(int CompromisoId, DateOnly Corte, string Texto) : ICommand<ReporteDto>;

public sealed class RegistrarReporteValidator : AbstractValidator<RegistrarReporte>
{
    public RegistrarReporteValidator(Calendario calendario)
    {
        RuleFor(x => x.Corte).EsFechaRazonable().EsCorte(calendario).NoPosteriorAlProximoCorte(calendario);
        RuleFor(x => x.Texto).TextoObligatorio(Validacion.LargoCumplimiento);
    }
}

public sealed class RegistrarReporteHandler(CompromisosDbContext db, UsuarioActual usuario, Cuotas cuotas) : ICommandHandler<RegistrarReporte, ReporteDto>
{
    public async ValueTask<ReporteDto> Handle(RegistrarReporte c, CancellationToken ct)
    {
        var (programa, compromiso) = await EscrituraDeCompromiso.BloquearAsync(db, c.CompromisoId, null, ct);
        usuario.AsegurarAccesoAServicio(programa.ServicioId);
        EscrituraDeCompromiso.AsegurarCorteDelPrograma(programa, c.Corte);
        await cuotas.AsegurarReporteAsync(programa.ServicioId, compromiso.Id, c.Corte, c.Texto, ct);
        var reporte = new ReporteCumplimiento(compromiso.Id, c.Corte, c.Texto, usuario.Firmar());
        db.Reportes.Add(reporte);
        await db.SaveChangesAsync(ct);
        return reporte.ToDto();
    }
}

public sealed record ListarReportes(int CompromisoId, int? Limit, string? Cursor) : IQuery<Pagina<ReporteDto>>, IPaginada;

public sealed class ListarReportesValidator : AbstractValidator<ListarReportes>
{
    public ListarReportesValidator() => this.ReglasDePaginacion();
}

public sealed class ListarReportesHandler(CompromisosDbContext db) : IQueryHandler<ListarReportes, Pagina<ReporteDto>>
{
    public async ValueTask<Pagina<ReporteDto>> Handle(ListarReportes q, CancellationToken ct) =>
        await HijosDeCompromiso.ListarAsync<ReporteCumplimiento, ReporteDto>(db, q.CompromisoId, q, x => x.ProjectToDto(), x => x.Id, ct);
}

public sealed record ObtenerReporte(int CompromisoId, long Id) : IQuery<ReporteDto>;

public sealed class ObtenerReporteHandler(CompromisosDbContext db) : IQueryHandler<ObtenerReporte, ReporteDto>
{
    public async ValueTask<ReporteDto> Handle(ObtenerReporte q, CancellationToken ct) =>
        await db.Reportes.AsNoTracking().Where(x => x.Id == q.Id && x.CompromisoId == q.CompromisoId)
            .ProjectToDto().SingleOrDefaultAsync(ct)
        ?? throw new NoEncontradoException("reporte", q.Id);
}
