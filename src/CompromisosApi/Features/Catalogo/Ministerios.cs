using CompromisosApi.Common;
using CompromisosApi.Domain;
using CompromisosApi.Persistence;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CompromisosApi.Features.Catalogo;

/// <param name="Limit" example="50">Tamaño de página, 1 a 200 (por omisión 50).</param>
/// <param name="Cursor">El nextCursor de la página anterior.</param>
public sealed record ListarMinisterios(int? Limit, string? Cursor) : IQuery<Pagina<MinisterioDto>>, IPaginada;

public sealed class ListarMinisteriosValidator : AbstractValidator<ListarMinisterios>
{
    public ListarMinisteriosValidator() => this.ReglasDePaginacion();
}

public sealed class ListarMinisteriosHandler(CompromisosDbContext db) : IQueryHandler<ListarMinisterios, Pagina<MinisterioDto>>
{
    public async ValueTask<Pagina<MinisterioDto>> Handle(ListarMinisterios q, CancellationToken ct)
    {
        var despues = q.DespuesEntero();
        var filas = await db.Ministerios.AsNoTracking()
            .Where(m => m.Id > despues).OrderBy(m => m.Id).Take(q.Limite() + 1)
            .ProjectToDto().ToListAsync(ct);
        return Paginacion.Cortar(filas, q.Limite(), m => m.Id, m => m);
    }
}

public sealed record ObtenerMinisterio(int Id) : IQuery<Versionado<MinisterioDto>>;

public sealed class ObtenerMinisterioHandler(CompromisosDbContext db) : IQueryHandler<ObtenerMinisterio, Versionado<MinisterioDto>>
{
    public async ValueTask<Versionado<MinisterioDto>> Handle(ObtenerMinisterio q, CancellationToken ct)
    {
        var m = await db.Ministerios.AsNoTracking().SingleOrDefaultAsync(x => x.Id == q.Id, ct)
            ?? throw new NoEncontradoException("ministerio", q.Id);
        return new(m.ToDto(), m.Version);
    }
}

public sealed record CrearMinisterio(string Nombre) : ICommand<Versionado<MinisterioDto>>;

public sealed class CrearMinisterioValidator : AbstractValidator<CrearMinisterio>
{
    public CrearMinisterioValidator() => RuleFor(x => x.Nombre).TextoObligatorio(Validacion.LargoNombre);
}

public sealed class CrearMinisterioHandler(CompromisosDbContext db) : ICommandHandler<CrearMinisterio, Versionado<MinisterioDto>>
{
    public async ValueTask<Versionado<MinisterioDto>> Handle(CrearMinisterio c, CancellationToken ct)
    {
        var m = new Ministerio(c.Nombre);
        db.Ministerios.Add(m);
        await db.SaveChangesAsync(ct);
        return new(m.ToDto(), m.Version);
    }
}

public sealed record ActualizarMinisterio(int Id, uint[]? IfMatch, string Nombre) : ICommand<Versionado<MinisterioDto>>;

public sealed class ActualizarMinisterioValidator : AbstractValidator<ActualizarMinisterio>
{
    public ActualizarMinisterioValidator() => RuleFor(x => x.Nombre).TextoObligatorio(Validacion.LargoNombre);
}

public sealed class ActualizarMinisterioHandler(CompromisosDbContext db) : ICommandHandler<ActualizarMinisterio, Versionado<MinisterioDto>>
{
    public async ValueTask<Versionado<MinisterioDto>> Handle(ActualizarMinisterio c, CancellationToken ct)
    {
        var m = (await db.Ministerios.FromSql($"SELECT *, xmin FROM ministerios WHERE id = {c.Id} FOR UPDATE").ToListAsync(ct)).SingleOrDefault()
            ?? throw new NoEncontradoException("ministerio", c.Id);
        Etags.Verificar(c.IfMatch, m.Version);
        m.Actualizar(c.Nombre);
        await db.SaveChangesAsync(ct);
        return new(m.ToDto(), m.Version);
    }
}
