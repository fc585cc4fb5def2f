using CompromisosApi.Features.Compromisos;

namespace CompromisosApi.Features.Correcciones;

public static class CorregirCalificacionEndpoint
{
    public static RouteHandlerBuilder MapCorregirCalificacion(this IEndpointRouteBuilder rutas) =>
        rutas.MapPost("compromisos/{id:int}/correcciones", async (int id, [Microsoft.AspNetCore.Mvc.FromHeader(Name = "If-Match")] string? ifMatch, CorreccionEntrada body, IMediator m, CancellationToken ct) =>
            {
                var r = await m.Send(new CorregirCalificacion(id, Etags.Leer(ifMatch), body.Calificacion, body.Fecha, body.Observacion, body.Motivo), ct);
                return TypedResults.Created($"{Http.Base}/compromisos/{id}/calificaciones/{r.Id}", r);
            })
            .Documentar("CorregirCalificacion", "Corrige la calificación de un compromiso (corrección)",
                "Solo administradores, con motivo. Agrega al historial una calificación que reemplaza a la vigente, aunque esta sea final " +
                "(Cumplido o Cancelado); nada se borra ni vuelve a Pendiente. El programa debe estar en seguimiento (reábralo antes si egresó).")
            .Errores(400, 404, 409, 412)
            .Requiere(Politicas.Correccion);
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
    [NoEnBlanco]
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
