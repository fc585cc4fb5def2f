using CompromisosApi.Common;
using CompromisosApi.Domain;
using CompromisosApi.Features.Compromisos;
using CompromisosApi.Persistence;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CompromisosApi.Features.Cortes;

public sealed record CorteDto
{
    /// <summary>Fecha del corte.</summary>
    /// <example>2009-12-31</example>
    public required DateOnly Fecha { get; init; }

    /// <summary>Último día para que los servicios reporten el cumplimiento de ese corte (Calendario:DiasPlazoReporte días después).</summary>
    /// <example>2010-01-15</example>
    public required DateOnly PlazoReporte { get; init; }
}

/// <summary>Los cortes pedidos, en orden de fecha (una lista acotada por desde y hasta, sin paginar).</summary>
public sealed record ListaDeCortes(IReadOnlyList<CorteDto> Items);

/// <param name="Desde" example="2009-01-01">Primer día del intervalo (por omisión, el 1 de enero del año en curso).</param>
/// <param name="Hasta" example="2010-12-31">Último día del intervalo, inclusive (por omisión, el 31 de diciembre del año en curso).</param>
public sealed record ListarCortes(DateOnly? Desde, DateOnly? Hasta) : IQuery<ListaDeCortes>;

public sealed class ListarCortesValidator : AbstractValidator<ListarCortes>
{
    public ListarCortesValidator()
    {
        RuleFor(x => x.Desde).EsFechaRazonable();
        RuleFor(x => x.Hasta).EsFechaRazonable();
        RuleFor(x => x.Hasta).Must((q, hasta) => q.Desde is null || hasta is null || hasta >= q.Desde)
            .WithMessage("hasta no puede ser anterior a desde.");
    }
}

public sealed class ListarCortesHandler(Calendario calendario) : IQueryHandler<ListarCortes, ListaDeCortes>
{
    public ValueTask<ListaDeCortes> Handle(ListarCortes q, CancellationToken ct)
    {
        var anio = calendario.Hoy().Year;
        var desde = q.Desde ?? new DateOnly(q.Hasta?.Year ?? anio, 1, 1);
        var hasta = q.Hasta ?? new DateOnly(q.Desde?.Year ?? anio, 12, 31);
        return ValueTask.FromResult(new ListaDeCortes(calendario.Cortes(desde, hasta).Select(calendario.Corte).ToList()));
    }
}

public sealed record ObtenerCorteActual : IQuery<CorteDto>;

public sealed class ObtenerCorteActualHandler(Calendario calendario) : IQueryHandler<ObtenerCorteActual, CorteDto>
{
    public ValueTask<CorteDto> Handle(ObtenerCorteActual q, CancellationToken ct) => ValueTask.FromResult(calendario.Corte(calendario.CorteActual()));
}

/// <summary>
/// A servicio's work at a corte: its compromisos due by then (due month on or before the corte's), still open then (neither
/// Cumplido nor Cancelado at the corte) and without a reporte for that corte. One query, keyset-paginated by compromiso id.
/// </summary>
public sealed record ListarPendientes(int ServicioId, DateOnly? Corte, int? Limit, string? Cursor, DateTimeOffset? ConocidoAl = null)
    : IQuery<Pagina<CompromisoDto>>, IPaginada;

public sealed class ListarPendientesValidator : AbstractValidator<ListarPendientes>
{
    public ListarPendientesValidator(Calendario calendario, TimeProvider reloj)
    {
        this.ReglasDePaginacion();
        RuleFor(x => x.ConocidoAl).YaOcurrido(reloj);
        RuleFor(x => x.Corte!.Value).EsFechaRazonable().EsCorte(calendario).OverridePropertyName("corte").When(x => x.Corte is not null);
    }
}

public sealed class ListarPendientesHandler(CompromisosDbContext db, Calendario calendario) : IQueryHandler<ListarPendientes, Pagina<CompromisoDto>>
{
    public async ValueTask<Pagina<CompromisoDto>> Handle(ListarPendientes q, CancellationToken ct)
    {
        if (!await db.Servicios.AnyAsync(s => s.Id == q.ServicioId, ct)) throw new NoEncontradoException("servicio", q.ServicioId);
        var corte = q.Corte ?? calendario.CorteActual();
        var despues = q.DespuesEntero();
        var filas = await Pendientes.AlCorte(db, corte, q.ConocidoAl)
            .Where(x => x.Compromiso.Id > despues && db.Programas.Any(p => p.Id == x.Compromiso.ProgramaId && p.ServicioId == q.ServicioId))
            .OrderBy(x => x.Compromiso.Id).Take(q.Limite() + 1).ToListAsync(ct);
        return Paginacion.Cortar(filas, q.Limite(), x => x.Compromiso.Id, x => x.ToDto(corte));
    }
}

/// <summary>The one definition of pending work, shared by GET /servicios/{id}/pendientes and the reminders.</summary>
public static class Pendientes
{
    /// <summary>
    /// Compromisos vencidos at the corte (due month on or before the corte's, and neither Cumplido nor Cancelado by the
    /// calificación in effect then: the record as it stood at the corte, so a past corte's list stays what it was) and
    /// without a reporte for that corte. At the current corte no calificación can be dated later, so it is today's state.
    /// With conocidoAl, as the record was known then: a reporte registered later had not arrived yet.
    /// </summary>
    public static IQueryable<CompromisoAlCorte> AlCorte(CompromisosDbContext db, DateOnly corte, DateTimeOffset? conocidoAl = null) =>
        db.Compromisos.AsNoTracking()
            .Where(c => !db.Reportes.Conocidos(conocidoAl).Any(r => r.CompromisoId == c.Id && r.Corte == corte))
            .ComoEstaban(db, new Momento(corte, conocidoAl))
            .Vencidos(corte, vencidos: true);
}

/// <summary>
/// The analysts' work at a corte: compromisos with a reporte for it and no calificación dated at it, that can still be
/// qualified at it (not final, and no later calificación, which the record's rules would refuse to go back from).
/// </summary>
public sealed record ListarPorCalificar(DateOnly Fecha, int? Limit, string? Cursor, DateTimeOffset? ConocidoAl = null)
    : IQuery<Pagina<CompromisoDto>>, IPaginada;

public sealed class ListarPorCalificarValidator : AbstractValidator<ListarPorCalificar>
{
    public ListarPorCalificarValidator(TimeProvider reloj)
    {
        this.ReglasDePaginacion();
        RuleFor(x => x.Fecha).EsFechaRazonable();
        RuleFor(x => x.ConocidoAl).YaOcurrido(reloj);
    }
}

public sealed class ListarPorCalificarHandler(CompromisosDbContext db, Calendario calendario) : IQueryHandler<ListarPorCalificar, Pagina<CompromisoDto>>
{
    public async ValueTask<Pagina<CompromisoDto>> Handle(ListarPorCalificar q, CancellationToken ct)
    {
        var fecha = q.Fecha;
        if (!calendario.EsCorte(fecha))
            throw new NoEncontradoException("corte", fecha, $"{fecha:yyyy-MM-dd} no es un corte del calendario ({calendario.Describir()} de cada año).");
        var despues = q.DespuesEntero();
        // The calificación in effect at the fecha is the current one here (as known at conocidoAl, if given): none is dated
        // later (the last condition), so this list already is the record as it stood at that corte, and vencido is
        // computed from it.
        var calificaciones = db.Calificaciones.Conocidas(q.ConocidoAl);
        var filas = await db.Compromisos.AsNoTracking()
            .Where(c => c.Id > despues
                && db.Reportes.Conocidos(q.ConocidoAl).Any(r => r.CompromisoId == c.Id && r.Corte == fecha)
                && !calificaciones.Any(k => k.CompromisoId == c.Id && k.Fecha == fecha))
            .ComoEstaban(db, new Momento(null, q.ConocidoAl))
            .Where(x => x.Calificacion != Calificacion.Cumplido && x.Calificacion != Calificacion.Cancelado
                && (x.FechaCalificacion == null || x.FechaCalificacion < fecha))
            .OrderBy(x => x.Compromiso.Id).Take(q.Limite() + 1).ToListAsync(ct);
        return Paginacion.Cortar(filas, q.Limite(), x => x.Compromiso.Id, x => x.ToDto(fecha));
    }
}

public static class CortesEndpoints
{
    public static CorteDto Corte(this Calendario calendario, DateOnly fecha) => new() { Fecha = fecha, PlazoReporte = calendario.PlazoReporte(fecha) };

    public static IEndpointRouteBuilder MapCortes(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup(Http.Base).WithTags("Calendario").ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        g.MapGet("cortes", async ([AsParameters] ListarCortes q, IMediator m, CancellationToken ct) => TypedResults.Ok(await m.Send(q, ct)))
            .Documentar("ListarCortes", "Calendario de cortes",
                "Los cortes de reporte entre desde y hasta (inclusive), en orden, cada uno con su plazo de reporte. Por omisión, 30-06 y " +
                "31-12 de cada año (configurable en Calendario:Cortes) y un plazo de 15 días (Calendario:DiasPlazoReporte). Sin desde ni " +
                "hasta, los del año en curso.")
            .Errores(400);

        g.MapGet("cortes/actual", async (IMediator m, CancellationToken ct) => TypedResults.Ok(await m.Send(new ObtenerCorteActual(), ct)))
            .Documentar("ObtenerCorteActual", "Corte vigente", "El último corte igual o anterior a hoy (fecha de Chile), con su plazo de reporte.");

        g.MapGet("cortes/{fecha}/por-calificar", async (DateOnly fecha, int? limit, string? cursor, DateTimeOffset? conocidoAl, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new ListarPorCalificar(fecha, limit, cursor, conocidoAl), ct)))
            .Documentar("ListarPorCalificar", "Compromisos por calificar en un corte",
                "Para los analistas: los compromisos con un reporte de cumplimiento de ese corte y sin calificación con esa fecha, que aún " +
                "pueden calificarse en él (no están Cumplidos ni Cancelados ni tienen una calificación posterior). vencido se calcula a ese " +
                "corte. Con conocidoAl, como se conocía el registro en ese instante. 404 si la fecha no es un corte del calendario. " +
                "Paginada en orden de id.")
            .Errores(400, 404);

        g.MapGet("servicios/{id:int}/pendientes", async (int id, DateOnly? corte, int? limit, string? cursor, DateTimeOffset? conocidoAl, IMediator m, CancellationToken ct) =>
                TypedResults.Ok(await m.Send(new ListarPendientes(id, corte, limit, cursor, conocidoAl), ct)))
            .Documentar("ListarPendientes", "Compromisos que un servicio debe reportar en un corte",
                "Los compromisos de los programas del servicio que vencen a más tardar en el mes del corte (por omisión, el corte vigente), " +
                "no estaban Cumplidos ni Cancelados en ese corte (el registro como estaba entonces, como con alCorte) y no tienen reporte " +
                "de cumplimiento de ese corte; con conocidoAl, como se conocía el registro en ese instante (un reporte registrado después " +
                "aún no estaba). corte debe ser un corte del calendario. Paginada en orden de id.")
            .Errores(400, 404);

        return app;
    }
}
