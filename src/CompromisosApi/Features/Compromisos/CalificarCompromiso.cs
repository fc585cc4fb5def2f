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
        RuleFor(x => x.Calificacion).EsCalificacion();
        RuleFor(x => x.Fecha).FechaDeCalificacion(calendario);
        RuleFor(x => x.Observacion).ObservacionDeCalificacion();
    }
}

/// <summary>The input rules of a calificación, for the single operation and for a corte's round (CalificarCorte).</summary>
public static class ReglasDeCalificacion
{
    public static IRuleBuilderOptions<T, Calificacion> EsCalificacion<T>(this IRuleBuilder<T, Calificacion> regla) =>
        regla.IsInEnum().WithMessage("No es una calificación válida.");

    /// <summary>A corte of the calendar that has already come.</summary>
    public static IRuleBuilderOptions<T, DateOnly> FechaDeCalificacion<T>(this IRuleBuilder<T, DateOnly> regla, Calendario calendario) =>
        regla.EsFechaRazonable().NoFutura(calendario).EsCorte(calendario);

    public static IRuleBuilderOptions<T, string?> ObservacionDeCalificacion<T>(this IRuleBuilder<T, string?> regla) =>
        regla.TextoOpcional(Validacion.LargoTexto);
}

public sealed class CalificarCompromisoHandler(CompromisosDbContext db, UsuarioActual usuario) : ICommandHandler<CalificarCompromiso, CalificacionRegistradaDto>
{
    public async ValueTask<CalificacionRegistradaDto> Handle(CalificarCompromiso c, CancellationToken ct)
    {
        // The compromiso row stays locked until commit, so concurrent calificaciones apply one after the
        // other and each sees the state the previous one left (a second "Cumplido" meets a final state).
        var (_, compromiso) = await EscrituraDeCompromiso.BloquearAsync(db, c.CompromisoId, c.IfMatch, ct);
        var hayReporte = (await EscrituraDeCompromiso.ConReporteEnElCorteAsync(db, [compromiso.Id], c.Fecha, ct)).Count > 0;
        var registro = compromiso.Calificar(c.Calificacion, c.Fecha, c.Observacion, hayReporte, usuario.Firmar());
        db.Calificaciones.Add(registro);
        await db.SaveChangesAsync(ct);
        return registro.ToDto();
    }
}
