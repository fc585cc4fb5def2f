using CompromisosApi.Common;
using CompromisosApi.Domain;
using CompromisosApi.Features.Compromisos;
using CompromisosApi.Features.Programas;
using CompromisosApi.Persistence;
using FluentValidation;
using Mediator;

namespace CompromisosApi.Features.Correcciones;

// After egreso the record is closed; later changes are an administrator's corrections, each with a stated reason,
// and the audit trail keeps them with their before and after.

public sealed record ReaperturaEntrada
{
    /// <summary>Por qué se reabre el registro.</summary>
    /// <example>El compromiso 1.2 se calificó por error; se corrige según oficio N° 123.</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoTexto)]
    public required string Motivo { get; init; }
}

public sealed record ReabrirPrograma(int Id, uint[]? IfMatch, string Motivo) : ICommand<Versionado<ProgramaDto>>, IConMotivo;

public sealed class ReabrirProgramaValidator : AbstractValidator<ReabrirPrograma>
{
    public ReabrirProgramaValidator() => RuleFor(x => x.Motivo).TextoObligatorio(Validacion.LargoTexto);
}

public sealed class ReabrirProgramaHandler(CompromisosDbContext db, UsuarioActual usuario) : ICommandHandler<ReabrirPrograma, Versionado<ProgramaDto>>
{
    public async ValueTask<Versionado<ProgramaDto>> Handle(ReabrirPrograma c, CancellationToken ct)
    {
        var p = await db.BloquearProgramaAsync(c.Id, exclusivo: true, ct) ?? throw new NoEncontradoException("programa", c.Id);
        Etags.Verificar(c.IfMatch, p.Version);
        db.Egresos.Add(p.Reabrir(c.Motivo, usuario.Firmar()));
        await db.SaveChangesAsync(ct);
        return new(await EgresoPropuesto.CompletarAsync(db, p.ToDto(), ct), p.Version);
    }
}

public sealed record CorreccionEntrada
{
    /// <example>Cumplido</example>
    public required Calificacion Calificacion { get; init; }

    /// <example>2011-12-31</example>
    public required DateOnly Fecha { get; init; }

    /// <example>Idem compromiso 1.1.</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoTexto)]
    public string? Observacion { get; init; }

    /// <summary>Por qué se corrige la calificación.</summary>
    /// <example>Se había registrado Cancelado por error; el servicio acreditó el cumplimiento.</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoTexto)]
    public required string Motivo { get; init; }
}

public sealed record CorregirCalificacion(int CompromisoId, uint[]? IfMatch, Calificacion Calificacion, DateOnly Fecha, string? Observacion, string Motivo)
    : ICommand<CalificacionRegistradaDto>, IConMotivo;

public sealed class CorregirCalificacionValidator : AbstractValidator<CorregirCalificacion>
{
    public CorregirCalificacionValidator(Calendario calendario)
    {
        RuleFor(x => x.Calificacion).IsInEnum().WithMessage("No es una calificación válida.");
        RuleFor(x => x.Fecha).EsFechaRazonable().NoFutura(calendario).EsCorte(calendario);
        RuleFor(x => x.Observacion).TextoOpcional(Validacion.LargoTexto);
        RuleFor(x => x.Motivo).TextoObligatorio(Validacion.LargoTexto);
    }
}

public sealed class CorregirCalificacionHandler(CompromisosDbContext db, UsuarioActual usuario) : ICommandHandler<CorregirCalificacion, CalificacionRegistradaDto>
{
    public async ValueTask<CalificacionRegistradaDto> Handle(CorregirCalificacion c, CancellationToken ct)
    {
        // A closed record is reopened first (its own audited correction), so an egreso never hides a changed history.
        var (_, compromiso) = await EscrituraDeCompromiso.BloquearAsync(db, c.CompromisoId, c.IfMatch, ct);
        var registro = compromiso.Corregir(c.Calificacion, c.Fecha, c.Observacion, c.Motivo, usuario.Firmar());
        db.Calificaciones.Add(registro);
        await db.SaveChangesAsync(ct);
        return registro.ToDto();
    }
}

public static class CorreccionesEndpoints
{
    public static IEndpointRouteBuilder MapCorrecciones(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup(Http.Base).WithTags("Correcciones").ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        g.MapPost("programas/{id:int}/reapertura", async (int id, [Microsoft.AspNetCore.Mvc.FromHeader(Name = "If-Match")] string? ifMatch, ReaperturaEntrada body, IMediator m, HttpContext http, CancellationToken ct) =>
                Http.ConEtag(http, await m.Send(new ReabrirPrograma(id, Etags.Leer(ifMatch), body.Motivo), ct)))
            .ConVersion()
            .Documentar("ReabrirPrograma", "Reabre un programa egresado (corrección)",
                "Solo administradores, con motivo. El programa vuelve a seguimiento para corregir su registro y luego egresa de nuevo; " +
                "la bitácora de auditoría guarda el antes, el después y quién lo hizo. 409 si no está egresado.")
            .Errores(400, 404, 409, 412)
            .Requiere(Politicas.Correccion);

        g.MapPost("compromisos/{id:int}/correcciones", async (int id, [Microsoft.AspNetCore.Mvc.FromHeader(Name = "If-Match")] string? ifMatch, CorreccionEntrada body, IMediator m, CancellationToken ct) =>
            {
                var r = await m.Send(new CorregirCalificacion(id, Etags.Leer(ifMatch), body.Calificacion, body.Fecha, body.Observacion, body.Motivo), ct);
                return TypedResults.Created($"{Http.Base}/compromisos/{id}/calificaciones/{r.Id}", r);
            })
            .Documentar("CorregirCalificacion", "Corrige la calificación de un compromiso (corrección)",
                "Solo administradores, con motivo. Agrega al historial una calificación que reemplaza a la vigente, aunque esta sea final " +
                "(Cumplido o Cancelado); nada se borra ni vuelve a Pendiente. El programa debe estar en seguimiento (reábralo antes si egresó).")
            .Errores(400, 404, 409, 412)
            .Requiere(Politicas.Correccion);

        return app;
    }
}
