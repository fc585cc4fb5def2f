using CompromisosApi.Features.Programas;

namespace CompromisosApi.Features.Correcciones;

public static class ReabrirProgramaEndpoint
{
    public static RouteHandlerBuilder MapReabrirPrograma(this IEndpointRouteBuilder rutas) =>
        rutas.MapPost("programas/{id:int}/reapertura", async (int id, [Microsoft.AspNetCore.Mvc.FromHeader(Name = "If-Match")] string? ifMatch, ReaperturaEntrada body, IMediator m, HttpContext http, CancellationToken ct) =>
                Http.ConEtag(http, await m.Send(new ReabrirPrograma(id, Etags.Leer(ifMatch), body.Motivo), ct)))
            .ConVersion()
            .Documentar("ReabrirPrograma", "Reabre un programa egresado (corrección)",
                "Solo administradores, con motivo. El programa vuelve a seguimiento para corregir su registro y luego egresa de nuevo; " +
                "la bitácora de auditoría guarda el antes, el después y quién lo hizo. 409 si no está egresado.")
            .Errores(400, 404, 409, 412)
            .Requiere(Politicas.Correccion);
}

public sealed record ReaperturaEntrada
{
    /// <summary>Por qué se reabre el registro.</summary>
    /// <example>El compromiso 1.2 se calificó por error; se corrige según oficio N° 123.</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoTexto)]
    [NoEnBlanco]
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
