using Microsoft.AspNetCore.Mvc;

namespace CompromisosApi.Features.Compromisos;

public static class CalificarCompromisoEndpoint
{
    public static RouteHandlerBuilder MapCalificarCompromiso(this IEndpointRouteBuilder rutas) =>
        rutas.MapPost("{id:int}/calificaciones", async (int id, [FromHeader(Name = "If-Match")] string? ifMatch, CalificacionEntrada body, IMediator m, CancellationToken ct) =>
            {
                var c = await m.Send(new CalificarCompromiso(id, Etags.Leer(ifMatch), body.Calificacion, body.Fecha, body.Observacion), ct);
                return TypedResults.Created($"{Http.Base}/compromisos/{id}/calificaciones/{c.Id}", c);
            })
            .Documentar("CalificarCompromiso", "Registra una calificación (transición)",
                "Desde Pendiente, ParcialmenteCumplido o NoCumplido se pasa a Cumplido, ParcialmenteCumplido, NoCumplido o Cancelado. " +
                "Cumplido y Cancelado son finales; nada vuelve a Pendiente; la fecha no puede ser anterior a la calificación previa; " +
                "Cancelado exige motivo (observación, o un reporte del mismo corte). Las reglas rotas responden 409 con su tipo. " +
                "If-Match con el ETag del compromiso es opcional (412 si cambió).")
            .Errores(400, 404, 409, 412)
            .Requiere(Politicas.Registro);
}

public sealed record CalificarCompromiso(int CompromisoId, uint[]? IfMatch, Calificacion Calificacion, DateOnly Fecha, string? Observacion)
    : ICommand<CalificacionRegistradaDto>;

public sealed class CalificarCompromisoValidator : AbstractValidator<CalificarCompromiso>
{
    public CalificarCompromisoValidator(Calendario calendario)
    {
        RuleFor(x => x.Calificacion).IsInEnum().WithMessage("No es una calificación válida.");
        RuleFor(x => x.Fecha).EsFechaRazonable().NoFutura(calendario).EsCorte(calendario);
        RuleFor(x => x.Observacion).TextoOpcional(Validacion.LargoTexto);
    }
}

public sealed class CalificarCompromisoHandler(CompromisosDbContext db, UsuarioActual usuario) : ICommandHandler<CalificarCompromiso, CalificacionRegistradaDto>
{
    public async ValueTask<CalificacionRegistradaDto> Handle(CalificarCompromiso c, CancellationToken ct)
    {
        // The compromiso row stays locked until commit, so concurrent calificaciones apply one after the
        // other and each sees the state the previous one left (a second "Cumplido" meets a final state).
        var (_, compromiso) = await EscrituraDeCompromiso.BloquearAsync(db, c.CompromisoId, c.IfMatch, ct);
        var hayReporte = await db.Reportes.AnyAsync(r => r.CompromisoId == compromiso.Id && r.Corte == c.Fecha, ct);
        var registro = compromiso.Calificar(c.Calificacion, c.Fecha, c.Observacion, hayReporte, usuario.Firmar());
        db.Calificaciones.Add(registro);
        await db.SaveChangesAsync(ct);
        return registro.ToDto();
    }
}
