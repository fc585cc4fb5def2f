using CompromisosApi.Common;
using CompromisosApi.Domain;
using CompromisosApi.Persistence;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Riok.Mapperly.Abstractions;

namespace CompromisosApi.Features.Recomendaciones;

public sealed record RecomendacionDto
{
    /// <example>1</example>
    public required int Id { get; init; }

    /// <example>1</example>
    public required int ProgramaId { get; init; }

    /// <summary>Número dentro del programa (1, 2, 3 …), asignado en orden de creación.</summary>
    /// <example>1</example>
    public required int Numero { get; init; }

    /// <summary>Texto verbatim de la recomendación del panel.</summary>
    /// <example>Analizar cuáles son las características mínimas que los EAC y EI deben tener para participar en el programa.</example>
    public required string Texto { get; init; }
}

public sealed record RecomendacionEntrada
{
    /// <example>Analizar cuáles son las características mínimas que los EAC y EI deben tener para participar en el programa.</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoTexto)]
    public required string Texto { get; init; }
}

[Mapper(RequiredMappingStrategy = RequiredMappingStrategy.Target)]
public static partial class RecomendacionMapper
{
    public static partial RecomendacionDto ToDto(this Recomendacion r);

    public static partial IQueryable<RecomendacionDto> ProjectToDto(this IQueryable<Recomendacion> q);
}

public sealed record ListarRecomendaciones(int ProgramaId, int? Limit, string? Cursor) : IQuery<Pagina<RecomendacionDto>>, IPaginada;

public sealed class ListarRecomendacionesValidator : AbstractValidator<ListarRecomendaciones>
{
    public ListarRecomendacionesValidator() => this.ReglasDePaginacion();
}

public sealed class ListarRecomendacionesHandler(CompromisosDbContext db) : IQueryHandler<ListarRecomendaciones, Pagina<RecomendacionDto>>
{
    public async ValueTask<Pagina<RecomendacionDto>> Handle(ListarRecomendaciones q, CancellationToken ct)
    {
        if (!await db.Programas.AnyAsync(p => p.Id == q.ProgramaId, ct)) throw new NoEncontradoException("programa", q.ProgramaId);
        var despues = q.DespuesEntero();
        var filas = await db.Recomendaciones.AsNoTracking()
            .Where(r => r.ProgramaId == q.ProgramaId && r.Numero > despues)
            .OrderBy(r => r.Numero).Take(q.Limite() + 1).ProjectToDto().ToListAsync(ct);
        return Paginacion.Cortar(filas, q.Limite(), r => r.Numero, r => r);
    }
}

public sealed record ObtenerRecomendacion(int Id) : IQuery<Versionado<RecomendacionDto>>;

public sealed class ObtenerRecomendacionHandler(CompromisosDbContext db) : IQueryHandler<ObtenerRecomendacion, Versionado<RecomendacionDto>>
{
    public async ValueTask<Versionado<RecomendacionDto>> Handle(ObtenerRecomendacion q, CancellationToken ct)
    {
        var r = await db.Recomendaciones.AsNoTracking().SingleOrDefaultAsync(x => x.Id == q.Id, ct)
            ?? throw new NoEncontradoException("recomendación", q.Id);
        return new(r.ToDto(), r.Version);
    }
}

public sealed record CrearRecomendacion(int ProgramaId, string Texto) : ICommand<Versionado<RecomendacionDto>>;

public sealed class CrearRecomendacionValidator : AbstractValidator<CrearRecomendacion>
{
    public CrearRecomendacionValidator() => RuleFor(x => x.Texto).TextoObligatorio(Validacion.LargoTexto);
}

public sealed class CrearRecomendacionHandler(CompromisosDbContext db, UsuarioActual usuario) : ICommandHandler<CrearRecomendacion, Versionado<RecomendacionDto>>
{
    public async ValueTask<Versionado<RecomendacionDto>> Handle(CrearRecomendacion c, CancellationToken ct)
    {
        // FOR UPDATE on the programa serialises numbering: two concurrent additions can't both take "n + 1".
        var p = await db.BloquearProgramaAsync(c.ProgramaId, exclusivo: true, ct) ?? throw new NoEncontradoException("programa", c.ProgramaId);
        p.AsegurarEnSeguimiento();
        var numero = 1 + (await db.Recomendaciones.Where(r => r.ProgramaId == p.Id).MaxAsync(r => (int?)r.Numero, ct) ?? 0);
        var r = new Recomendacion(p.Id, numero, c.Texto, usuario.Firmar().En);
        db.Recomendaciones.Add(r);
        await db.SaveChangesAsync(ct);
        return new(r.ToDto(), r.Version);
    }
}

public sealed record ActualizarRecomendacion(int Id, uint[]? IfMatch, string Texto) : ICommand<Versionado<RecomendacionDto>>;

public sealed class ActualizarRecomendacionValidator : AbstractValidator<ActualizarRecomendacion>
{
    public ActualizarRecomendacionValidator() => RuleFor(x => x.Texto).TextoObligatorio(Validacion.LargoTexto);
}

public sealed class ActualizarRecomendacionHandler(CompromisosDbContext db) : ICommandHandler<ActualizarRecomendacion, Versionado<RecomendacionDto>>
{
    public async ValueTask<Versionado<RecomendacionDto>> Handle(ActualizarRecomendacion c, CancellationToken ct)
    {
        var programaId = await db.Recomendaciones.Where(r => r.Id == c.Id).Select(r => (int?)r.ProgramaId).SingleOrDefaultAsync(ct)
            ?? throw new NoEncontradoException("recomendación", c.Id);
        var p = await db.BloquearProgramaAsync(programaId, exclusivo: false, ct) ?? throw new NoEncontradoException("programa", programaId);
        var r = await db.BloquearRecomendacionAsync(c.Id, ct) ?? throw new NoEncontradoException("recomendación", c.Id);
        Etags.Verificar(c.IfMatch, r.Version);
        p.AsegurarEnSeguimiento();
        r.Actualizar(c.Texto);
        await db.SaveChangesAsync(ct);
        return new(r.ToDto(), r.Version);
    }
}
