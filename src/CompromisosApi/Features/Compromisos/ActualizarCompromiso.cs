using Microsoft.AspNetCore.Mvc;

namespace CompromisosApi.Features.Compromisos;

public static class ActualizarCompromisoEndpoint
{
    public static RouteHandlerBuilder MapActualizarCompromiso(this IEndpointRouteBuilder rutas) =>
        rutas.MapPut("{id:int}", async (int id, [FromHeader(Name = "If-Match")] string? ifMatch, CompromisoEntrada body, IMediator m, HttpContext http, CancellationToken ct) =>
                Http.ConEtag(http, await m.Send(new ActualizarCompromiso(id, Http.ExigirIfMatch(ifMatch), body.Texto, body.FechaVencimiento, body.Tipo, body.Prioritario ?? false), ct)))
            .ConVersion()
            .Documentar("ActualizarCompromiso", "Corrige texto, mes de vencimiento, tipo y prioridad de un compromiso",
                "Exige If-Match (428 sin él, 412 si cambió). 409 si el programa egresó.")
            .Errores(400, 404, 409, 412, 428)
            .Requiere(Politicas.Registro);
}

public sealed record ActualizarCompromiso(int Id, uint[]? IfMatch, string Texto, string FechaVencimiento, string? Tipo = null, bool Prioritario = false)
    : ICommand<Versionado<CompromisoDto>>, IDatosCompromiso;

public sealed class ActualizarCompromisoValidator : DatosCompromisoValidator<ActualizarCompromiso>;

public sealed class ActualizarCompromisoHandler(CompromisosDbContext db, Calendario calendario) : ICommandHandler<ActualizarCompromiso, Versionado<CompromisoDto>>
{
    public async ValueTask<Versionado<CompromisoDto>> Handle(ActualizarCompromiso c, CancellationToken ct)
    {
        var (_, compromiso) = await EscrituraDeCompromiso.BloquearAsync(db, c.Id, c.IfMatch, ct);
        compromiso.Actualizar(c.Texto, Meses.Parse(c.FechaVencimiento), c.Tipo, c.Prioritario);
        await db.SaveChangesAsync(ct);
        // A new due month changes whether it was met on time: cumplidoEn comes from the history, as on every read.
        var cumplidoEn = await db.Compromisos.Where(x => x.Id == c.Id).Select(x => AlCorte.CumplidoAlCorte(x.Id, null, null)).SingleAsync(ct);
        return new(compromiso.ToDto(calendario.Hoy(), cumplidoEn), compromiso.Version);
    }
}
