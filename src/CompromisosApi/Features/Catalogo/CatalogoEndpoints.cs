using CompromisosApi.Common;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace CompromisosApi.Features.Catalogo;

public static class CatalogoEndpoints
{
    public static IEndpointRouteBuilder MapCatalogo(this IEndpointRouteBuilder app)
    {
        var ministerios = app.MapGroup($"{Http.Base}/ministerios").WithTags("Catálogo").ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        ministerios.MapGet("", async ([AsParameters] ListarMinisterios q, IMediator m, CancellationToken ct) => TypedResults.Ok(await m.Send(q, ct)))
            .Documentar("ListarMinisterios", "Lista los ministerios", "Lista paginada (limit, cursor) en orden de id.")
            .Errores(400);

        ministerios.MapGet("{id:int}", async (int id, IMediator m, HttpContext http, CancellationToken ct) =>
                Http.ConEtag(http, await m.Send(new ObtenerMinisterio(id), ct)))
            .ConVersion()
            .Documentar("ObtenerMinisterio", "Obtiene un ministerio", "Devuelve el ministerio y su ETag.")
            .Errores(404);

        ministerios.MapPost("", async (MinisterioEntrada body, IMediator m, HttpContext http, CancellationToken ct) =>
            {
                var v = await m.Send(new CrearMinisterio(body.Nombre), ct);
                return Http.CreadoConEtag(http, $"{Http.Base}/ministerios/{v.Recurso.Id}", v);
            })
            .ConVersion()
            .Documentar("CrearMinisterio", "Crea un ministerio", "El nombre es único.")
            .Errores(400, 409)
            .Requiere(Politicas.Catalogo);

        ministerios.MapPut("{id:int}", async (int id, [FromHeader(Name = "If-Match")] string? ifMatch, MinisterioEntrada body, IMediator m, HttpContext http, CancellationToken ct) =>
                Http.ConEtag(http, await m.Send(new ActualizarMinisterio(id, Http.ExigirIfMatch(ifMatch), body.Nombre), ct)))
            .ConVersion()
            .Documentar("ActualizarMinisterio", "Actualiza un ministerio", "Exige If-Match con el ETag leído (428 sin él, 412 si cambió).")
            .Errores(400, 404, 409, 412, 428)
            .Requiere(Politicas.Catalogo);

        var servicios = app.MapGroup($"{Http.Base}/servicios").WithTags("Catálogo").ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        servicios.MapGet("", async ([AsParameters] ListarServicios q, IMediator m, CancellationToken ct) => TypedResults.Ok(await m.Send(q, ct)))
            .Documentar("ListarServicios", "Lista los servicios", "Lista paginada en orden de id; filtra por ministerioId.")
            .Errores(400);

        servicios.MapGet("{id:int}", async (int id, IMediator m, HttpContext http, CancellationToken ct) =>
                Http.ConEtag(http, await m.Send(new ObtenerServicio(id), ct)))
            .ConVersion()
            .Documentar("ObtenerServicio", "Obtiene un servicio", "Devuelve el servicio y su ETag.")
            .Errores(404);

        servicios.MapPost("", async (ServicioEntrada body, IMediator m, HttpContext http, CancellationToken ct) =>
            {
                var v = await m.Send(new CrearServicio(body.Nombre, body.Sigla, body.MinisterioId), ct);
                return Http.CreadoConEtag(http, $"{Http.Base}/servicios/{v.Recurso.Id}", v);
            })
            .ConVersion()
            .Documentar("CrearServicio", "Crea un servicio", "El servicio depende de un ministerio existente (404 si no existe).")
            .Errores(400, 404, 409)
            .Requiere(Politicas.Catalogo);

        servicios.MapPut("{id:int}", async (int id, [FromHeader(Name = "If-Match")] string? ifMatch, ServicioEntrada body, IMediator m, HttpContext http, CancellationToken ct) =>
                Http.ConEtag(http, await m.Send(new ActualizarServicio(id, Http.ExigirIfMatch(ifMatch), body.Nombre, body.Sigla, body.MinisterioId), ct)))
            .ConVersion()
            .Documentar("ActualizarServicio", "Actualiza un servicio", "Exige If-Match con el ETag leído (428 sin él, 412 si cambió).")
            .Errores(400, 404, 409, 412, 428)
            .Requiere(Politicas.Catalogo);

        app.MapGet($"{Http.Base}/lineas-evaluacion", async (IMediator m, CancellationToken ct) => TypedResults.Ok(await m.Send(new ListarLineasEvaluacion(), ct)))
            .WithTags("Catálogo")
            .Documentar("ListarLineasEvaluacion", "Lista las líneas de evaluación", "Catálogo de líneas (EPG, EI, EGI, ECG, EPN, EFA …); crece con los años.");

        return app;
    }
}
