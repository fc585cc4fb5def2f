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
/// <param name="Estado" example="EnSeguimiento">EnSeguimiento o Egresado (el estado actual, o el de alCorte).</param>
/// <param name="AlCorte" example="2009-12-31">Ver LecturaAlCorte.Descripcion (Common/OpenApi.cs): una sola descripción para todo el contrato.</param>
/// <param name="Q" example="redes pro rubro">
/// Búsqueda de texto completo en español, sin distinguir tildes ni mayúsculas, en el nombre del programa y los textos de
/// sus recomendaciones y compromisos. Hasta 200 caracteres; con q los resultados van por relevancia (y luego id).
/// </param>
public sealed record ListarProgramas(
    int? Limit, string? Cursor, int? ServicioId, int? MinisterioId, int? AnioEvaluacion, string? LineaEvaluacion, EstadoPrograma? Estado,
    DateOnly? AlCorte, string? Q = null)
    : IQuery<Pagina<ProgramaDto>>, IPaginada, IBuscable;

public sealed class ListarProgramasValidator : AbstractValidator<ListarProgramas>
{
    public ListarProgramasValidator()
    {
        this.ReglasDePaginacionConBusqueda();
        this.ReglasDeBusqueda();
        RuleFor(x => x.Estado).IsInEnum().WithMessage("No es un estado válido.");
        RuleFor(x => x.AlCorte).EsFechaRazonable();
    }
}

public sealed class ListarProgramasHandler(CompromisosDbContext db) : IQueryHandler<ListarProgramas, Pagina<ProgramaDto>>
{
    public async ValueTask<Pagina<ProgramaDto>> Handle(ListarProgramas q, CancellationToken ct)
    {
        var consulta = db.Programas.AsNoTracking();
        if (q.ServicioId is { } sid) consulta = consulta.Where(p => p.ServicioId == sid);
        if (q.MinisterioId is { } mid)
            consulta = consulta.Where(p => db.Servicios.Any(s => s.Id == p.ServicioId && s.MinisterioId == mid));
        if (q.AnioEvaluacion is { } anio) consulta = consulta.Where(p => p.AnioEvaluacion == anio);
        if (q.LineaEvaluacion is { } linea) consulta = consulta.Where(p => p.LineaEvaluacion == linea);
        if (q.Estado is { } estado)
        {
            consulta = q.AlCorte is not { } d ? consulta.Where(p => p.Estado == estado)
                : consulta.Where(estado == EstadoPrograma.Egresado ? AlCorte.Egresado(d) : AlCorte.EnSeguimiento(d));
        }

        if (q.Q is null)
        {
            var despues = q.DespuesEntero();
            var filas = await consulta.Where(p => p.Id > despues).OrderBy(p => p.Id).Take(q.Limite() + 1).ProjectToDto().ToListAsync(ct);
            return await ConEgresoPropuestoAsync(Paginacion.Cortar(filas, q.Limite(), p => p.Id, p => p.ComoEstaba(q.AlCorte)), q.AlCorte, ct);
        }

        // Ranked by ts_rank of the programa's search document (see BusquedaPrograma): its nombre weighs most.
        var texto = q.Q;
        var ranqueados = consulta
            .Join(db.Set<BusquedaPrograma>(), p => p.Id, b => b.ProgramaId, (p, b) => new { p, b.Documento })
            .Where(x => x.Documento.Matches(FuncionesDeBusqueda.Consulta(texto)))
            .Select(x => new { Programa = x.p, Rango = x.Documento.Rank(FuncionesDeBusqueda.Consulta(texto)) });
        if (q.DespuesRanqueada() is { } k)
            ranqueados = ranqueados.Where(x => x.Rango < k.Rango || (x.Rango == k.Rango && x.Programa.Id > k.Id));
        var encontrados = await ranqueados.OrderByDescending(x => x.Rango).ThenBy(x => x.Programa.Id).Take(q.Limite() + 1).ToListAsync(ct);
        return await ConEgresoPropuestoAsync(
            Paginacion.CortarRanqueada(encontrados, q.Limite(), x => new ClaveRanqueada(x.Rango, x.Programa.Id), x => x.Programa.ToDto().ComoEstaba(q.AlCorte)),
            q.AlCorte, ct);
    }

    private async Task<Pagina<ProgramaDto>> ConEgresoPropuestoAsync(Pagina<ProgramaDto> pagina, DateOnly? alCorte, CancellationToken ct) =>
        pagina with { Items = await EgresoPropuesto.CompletarAsync(db, pagina.Items, ct, alCorte) };
}

public sealed record ObtenerPrograma(int Id, DateOnly? AlCorte) : IQuery<Versionado<ProgramaDto>>;

public sealed class ObtenerProgramaValidator : AbstractValidator<ObtenerPrograma>
{
    public ObtenerProgramaValidator() => RuleFor(x => x.AlCorte).EsFechaRazonable();
}

public sealed class ObtenerProgramaHandler(CompromisosDbContext db) : IQueryHandler<ObtenerPrograma, Versionado<ProgramaDto>>
{
    public async ValueTask<Versionado<ProgramaDto>> Handle(ObtenerPrograma q, CancellationToken ct)
    {
        var p = await db.Programas.AsNoTracking().SingleOrDefaultAsync(x => x.Id == q.Id, ct)
            ?? throw new NoEncontradoException("programa", q.Id);
        return new(await EgresoPropuesto.CompletarAsync(db, p.ToDto().ComoEstaba(q.AlCorte), ct, q.AlCorte), p.Version);
    }
}
