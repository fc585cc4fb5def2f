using CompromisosApi.Common;
using CompromisosApi.Domain;
using CompromisosApi.Persistence;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CompromisosApi.Features.Catalogo;

/// <param name="Limit" example="50">Tamaño de página, 1 a 200 (por omisión 50).</param>
/// <param name="Cursor">El nextCursor de la página anterior.</param>
/// <param name="MinisterioId" example="1">Solo los servicios de este ministerio.</param>
public sealed record ListarServicios(int? Limit, string? Cursor, int? MinisterioId) : IQuery<Pagina<ServicioDto>>, IPaginada;

public sealed class ListarServiciosValidator : AbstractValidator<ListarServicios>
{
    public ListarServiciosValidator() => this.ReglasDePaginacion();
}

public sealed class ListarServiciosHandler(CompromisosDbContext db) : IQueryHandler<ListarServicios, Pagina<ServicioDto>>
{
    public async ValueTask<Pagina<ServicioDto>> Handle(ListarServicios q, CancellationToken ct)
    {
        var despues = q.DespuesEntero();
        var consulta = db.Servicios.AsNoTracking().Where(s => s.Id > despues);
        if (q.MinisterioId is { } mid) consulta = consulta.Where(s => s.MinisterioId == mid);
        var filas = await consulta.OrderBy(s => s.Id).Take(q.Limite() + 1).ProjectToDto().ToListAsync(ct);
        return Paginacion.Cortar(filas, q.Limite(), s => s.Id, s => s);
    }
}

public sealed record ObtenerServicio(int Id) : IQuery<Versionado<ServicioDto>>;

public sealed class ObtenerServicioHandler(CompromisosDbContext db) : IQueryHandler<ObtenerServicio, Versionado<ServicioDto>>
{
    public async ValueTask<Versionado<ServicioDto>> Handle(ObtenerServicio q, CancellationToken ct)
    {
        var s = await db.Servicios.AsNoTracking().SingleOrDefaultAsync(x => x.Id == q.Id, ct)
            ?? throw new NoEncontradoException("servicio", q.Id);
        return new(s.ToDto(), s.Version);
    }
}

public interface IDatosServicio
{
    string Nombre { get; }
    string? Sigla { get; }
    int MinisterioId { get; }
}

public abstract class DatosServicioValidator<T> : AbstractValidator<T> where T : IDatosServicio
{
    protected DatosServicioValidator()
    {
        RuleFor(x => x.Nombre).TextoObligatorio(Validacion.LargoNombre);
        RuleFor(x => x.Sigla).TextoOpcional(30);
        RuleFor(x => x.MinisterioId).Id();
    }
}

public sealed record CrearServicio(string Nombre, string? Sigla, int MinisterioId) : ICommand<Versionado<ServicioDto>>, IDatosServicio;

public sealed class CrearServicioValidator : DatosServicioValidator<CrearServicio>;

public sealed class CrearServicioHandler(CompromisosDbContext db) : ICommandHandler<CrearServicio, Versionado<ServicioDto>>
{
    public async ValueTask<Versionado<ServicioDto>> Handle(CrearServicio c, CancellationToken ct)
    {
        if (!await db.Ministerios.AnyAsync(m => m.Id == c.MinisterioId, ct)) throw new NoEncontradoException("ministerio", c.MinisterioId);
        var s = new Servicio(c.Nombre, c.Sigla, c.MinisterioId);
        db.Servicios.Add(s);
        await db.SaveChangesAsync(ct);
        return new(s.ToDto(), s.Version);
    }
}

public sealed record ActualizarServicio(int Id, uint[]? IfMatch, string Nombre, string? Sigla, int MinisterioId)
    : ICommand<Versionado<ServicioDto>>, IDatosServicio;

public sealed class ActualizarServicioValidator : DatosServicioValidator<ActualizarServicio>;

public sealed class ActualizarServicioHandler(CompromisosDbContext db) : ICommandHandler<ActualizarServicio, Versionado<ServicioDto>>
{
    public async ValueTask<Versionado<ServicioDto>> Handle(ActualizarServicio c, CancellationToken ct)
    {
        var s = (await db.Servicios.FromSql($"SELECT *, xmin FROM servicios WHERE id = {c.Id} FOR UPDATE").ToListAsync(ct)).SingleOrDefault()
            ?? throw new NoEncontradoException("servicio", c.Id);
        Etags.Verificar(c.IfMatch, s.Version);
        if (!await db.Ministerios.AnyAsync(m => m.Id == c.MinisterioId, ct)) throw new NoEncontradoException("ministerio", c.MinisterioId);
        s.Actualizar(c.Nombre, c.Sigla, c.MinisterioId);
        await db.SaveChangesAsync(ct);
        return new(s.ToDto(), s.Version);
    }
}

public sealed record ListarLineasEvaluacion : IQuery<IReadOnlyList<LineaEvaluacionDto>>;

public sealed class ListarLineasEvaluacionHandler(CompromisosDbContext db) : IQueryHandler<ListarLineasEvaluacion, IReadOnlyList<LineaEvaluacionDto>>
{
    public async ValueTask<IReadOnlyList<LineaEvaluacionDto>> Handle(ListarLineasEvaluacion q, CancellationToken ct) =>
        await db.LineasEvaluacion.AsNoTracking().OrderBy(l => l.Codigo).ProjectToDto().ToListAsync(ct);
}
