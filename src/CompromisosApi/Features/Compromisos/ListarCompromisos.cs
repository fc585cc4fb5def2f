using CompromisosApi.Common;
using CompromisosApi.Domain;
using CompromisosApi.Persistence;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CompromisosApi.Features.Compromisos;

/// <summary>Compromisos across programas, with the filters analysts and the transparency portal need.</summary>
/// <param name="Limit" example="50">Tamaño de página, 1 a 200 (por omisión 50).</param>
/// <param name="Cursor">El nextCursor de la página anterior.</param>
/// <param name="ProgramaId" example="1">Solo los compromisos de este programa.</param>
/// <param name="ServicioId">Solo los de programas de este servicio.</param>
/// <param name="MinisterioId">Solo los de programas de servicios de este ministerio.</param>
/// <param name="Calificacion" example="Pendiente">Solo los que tienen esta calificación vigente.</param>
/// <param name="Vencidos" example="true">true: solo los vencidos al corte; false: solo los no vencidos.</param>
/// <param name="AlCorte" example="2013-12-31">Corte al que se calcula vencido (por omisión, hoy en Chile).</param>
/// <param name="VenceDesde" example="2009-01">Mes de vencimiento mínimo (yyyy-MM, inclusive).</param>
/// <param name="VenceHasta" example="2009-12">Mes de vencimiento máximo (yyyy-MM, inclusive).</param>
public sealed record ListarCompromisos(
    int? Limit,
    string? Cursor,
    int? ProgramaId,
    int? ServicioId,
    int? MinisterioId,
    Calificacion? Calificacion,
    bool? Vencidos,
    DateOnly? AlCorte,
    string? VenceDesde,
    string? VenceHasta) : IQuery<Pagina<CompromisoDto>>, IPaginada;

public sealed class ListarCompromisosValidator : AbstractValidator<ListarCompromisos>
{
    public ListarCompromisosValidator()
    {
        this.ReglasDePaginacion();
        RuleFor(x => x.Calificacion).IsInEnum().WithMessage("No es una calificación válida.");
        RuleFor(x => x.AlCorte).EsFechaRazonable();
        RuleFor(x => x.VenceDesde).EsMes();
        RuleFor(x => x.VenceHasta).EsMes();
    }
}

public sealed class ListarCompromisosHandler(CompromisosDbContext db, Calendario calendario) : IQueryHandler<ListarCompromisos, Pagina<CompromisoDto>>
{
    public async ValueTask<Pagina<CompromisoDto>> Handle(ListarCompromisos q, CancellationToken ct)
    {
        var alCorte = q.AlCorte ?? calendario.Hoy();
        var mesDelCorte = Compromiso.PrimerDiaDelMes(alCorte);
        var despues = q.Despues() ?? 0;

        var consulta = db.Compromisos.AsNoTracking().Where(c => c.Id > despues);
        if (q.ProgramaId is { } pid) consulta = consulta.Where(c => c.ProgramaId == pid);
        if (q.ServicioId is { } sid)
            consulta = consulta.Where(c => db.Programas.Any(p => p.Id == c.ProgramaId && p.ServicioId == sid));
        if (q.MinisterioId is { } mid)
            consulta = consulta.Where(c => db.Programas.Any(p => p.Id == c.ProgramaId
                && db.Servicios.Any(s => s.Id == p.ServicioId && s.MinisterioId == mid)));
        if (q.Calificacion is { } cal) consulta = consulta.Where(c => c.Calificacion == cal);
        if (q.Vencidos is { } vencidos)
        {
            // The same rule as Compromiso.EstaVencido, written so PostgreSQL can evaluate it.
            consulta = vencidos
                ? consulta.Where(c => c.FechaVencimiento <= mesDelCorte
                    && c.Calificacion != Calificacion.Cumplido && c.Calificacion != Calificacion.Cancelado)
                : consulta.Where(c => c.FechaVencimiento > mesDelCorte
                    || c.Calificacion == Calificacion.Cumplido || c.Calificacion == Calificacion.Cancelado);
        }

        if (q.VenceDesde is not null)
        {
            var desde = Meses.Parse(q.VenceDesde);
            consulta = consulta.Where(c => c.FechaVencimiento >= desde);
        }

        if (q.VenceHasta is not null)
        {
            var hasta = Meses.Parse(q.VenceHasta);
            consulta = consulta.Where(c => c.FechaVencimiento <= hasta);
        }

        var filas = await consulta.OrderBy(c => c.Id).Take(q.Limite() + 1).ToListAsync(ct);
        return Paginacion.Cortar(filas, q.Limite(), c => c.Id, c => c.ToDto(alCorte));
    }
}

public sealed record ListarCompromisosDeRecomendacion(int RecomendacionId, int? Limit, string? Cursor, DateOnly? AlCorte)
    : IQuery<Pagina<CompromisoDto>>, IPaginada;

public sealed class ListarCompromisosDeRecomendacionValidator : AbstractValidator<ListarCompromisosDeRecomendacion>
{
    public ListarCompromisosDeRecomendacionValidator()
    {
        this.ReglasDePaginacion();
        RuleFor(x => x.AlCorte).EsFechaRazonable();
    }
}

public sealed class ListarCompromisosDeRecomendacionHandler(CompromisosDbContext db, Calendario calendario)
    : IQueryHandler<ListarCompromisosDeRecomendacion, Pagina<CompromisoDto>>
{
    public async ValueTask<Pagina<CompromisoDto>> Handle(ListarCompromisosDeRecomendacion q, CancellationToken ct)
    {
        if (!await db.Recomendaciones.AnyAsync(r => r.Id == q.RecomendacionId, ct))
            throw new NoEncontradoException("recomendación", q.RecomendacionId);
        var alCorte = q.AlCorte ?? calendario.Hoy();
        var despues = q.Despues() ?? 0;
        var filas = await db.Compromisos.AsNoTracking()
            .Where(c => c.RecomendacionId == q.RecomendacionId && c.Secuencia > despues)
            .OrderBy(c => c.Secuencia).Take(q.Limite() + 1).ToListAsync(ct);
        return Paginacion.Cortar(filas, q.Limite(), c => c.Secuencia, c => c.ToDto(alCorte));
    }
}

public sealed record ObtenerCompromiso(int Id, DateOnly? AlCorte) : IQuery<Versionado<CompromisoDto>>;

public sealed class ObtenerCompromisoValidator : AbstractValidator<ObtenerCompromiso>
{
    public ObtenerCompromisoValidator() => RuleFor(x => x.AlCorte).EsFechaRazonable();
}

public sealed class ObtenerCompromisoHandler(CompromisosDbContext db, Calendario calendario) : IQueryHandler<ObtenerCompromiso, Versionado<CompromisoDto>>
{
    public async ValueTask<Versionado<CompromisoDto>> Handle(ObtenerCompromiso q, CancellationToken ct)
    {
        var c = await db.Compromisos.AsNoTracking().SingleOrDefaultAsync(x => x.Id == q.Id, ct)
            ?? throw new NoEncontradoException("compromiso", q.Id);
        return new(c.ToDto(q.AlCorte ?? calendario.Hoy()), c.Version);
    }
}
