using CompromisosApi.Common;
using CompromisosApi.Domain;
using CompromisosApi.Persistence;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CompromisosApi.Features.Programas;

/// <param name="Limit" example="50">Tamaño de página, 1 a 200 (por omisión 50).</param>
/// <param name="Cursor">El nextCursor de la página anterior.</param>
/// <param name="ServicioId" example="1">Solo los programas de este servicio.</param>
/// <param name="MinisterioId">Solo los programas de servicios de este ministerio.</param>
/// <param name="AnioEvaluacion" example="2007">Año de evaluación.</param>
/// <param name="LineaEvaluacion" example="EPG">Código de línea de evaluación.</param>
/// <param name="Estado" example="EnSeguimiento">EnSeguimiento o Egresado.</param>
public sealed record ListarProgramas(
    int? Limit, string? Cursor, int? ServicioId, int? MinisterioId, int? AnioEvaluacion, string? LineaEvaluacion, EstadoPrograma? Estado)
    : IQuery<Pagina<ProgramaDto>>, IPaginada;

public sealed class ListarProgramasValidator : AbstractValidator<ListarProgramas>
{
    public ListarProgramasValidator()
    {
        this.ReglasDePaginacion();
        RuleFor(x => x.Estado).IsInEnum().WithMessage("No es un estado válido.");
    }
}

public sealed class ListarProgramasHandler(CompromisosDbContext db) : IQueryHandler<ListarProgramas, Pagina<ProgramaDto>>
{
    public async ValueTask<Pagina<ProgramaDto>> Handle(ListarProgramas q, CancellationToken ct)
    {
        var despues = q.Despues() ?? 0;
        var consulta = db.Programas.AsNoTracking().Where(p => p.Id > despues);
        if (q.ServicioId is { } sid) consulta = consulta.Where(p => p.ServicioId == sid);
        if (q.MinisterioId is { } mid)
            consulta = consulta.Where(p => db.Servicios.Any(s => s.Id == p.ServicioId && s.MinisterioId == mid));
        if (q.AnioEvaluacion is { } anio) consulta = consulta.Where(p => p.AnioEvaluacion == anio);
        if (q.LineaEvaluacion is { } linea) consulta = consulta.Where(p => p.LineaEvaluacion == linea);
        if (q.Estado is { } estado) consulta = consulta.Where(p => p.Estado == estado);

        var filas = await consulta.OrderBy(p => p.Id).Take(q.Limite() + 1).ProjectToDto().ToListAsync(ct);
        var pagina = Paginacion.Cortar(filas, q.Limite(), p => p.Id, p => p);
        return pagina with { Items = await EgresoPropuesto.CompletarAsync(db, pagina.Items, ct) };
    }
}

public sealed record ObtenerPrograma(int Id) : IQuery<Versionado<ProgramaDto>>;

public sealed class ObtenerProgramaHandler(CompromisosDbContext db) : IQueryHandler<ObtenerPrograma, Versionado<ProgramaDto>>
{
    public async ValueTask<Versionado<ProgramaDto>> Handle(ObtenerPrograma q, CancellationToken ct)
    {
        var p = await db.Programas.AsNoTracking().SingleOrDefaultAsync(x => x.Id == q.Id, ct)
            ?? throw new NoEncontradoException("programa", q.Id);
        return new(await EgresoPropuesto.CompletarAsync(db, p.ToDto(), ct), p.Version);
    }
}
