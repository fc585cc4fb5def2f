using System.Security.Cryptography;
using CompromisosApi.Common;
using CompromisosApi.Domain;
using CompromisosApi.Features.Eventos;
using CompromisosApi.Persistence;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CompromisosApi.Features.Webhooks;

public sealed class OpcionesWebhooks
{
    /// <summary>Whether this instance runs the relay that delivers webhooks (several instances may).</summary>
    public bool Habilitado { get; set; } = true;

    /// <summary>Pause between the relay's passes when it found nothing to deliver.</summary>
    public TimeSpan Intervalo { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>First wait after a failed delivery; it doubles on each failure (with jitter) up to EsperaMaxima.</summary>
    public TimeSpan EsperaInicial { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan EsperaMaxima { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Time the receiver has to answer one delivery.</summary>
    public TimeSpan TiempoMaximo { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Deliveries in flight at once per instance (each to a different subscription and programa).</summary>
    public int EntregasEnParalelo { get; set; } = 4;

    /// <summary>A subscription is suspended after this many failed deliveries in a row …</summary>
    public int FallasParaSuspender { get; set; } = 20;

    /// <summary>… or when it has been failing for this long.</summary>
    public TimeSpan SuspenderTras { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Hosts, addresses or networks (CIDR) that may receive webhooks although they are not public.</summary>
    public List<string> PermitirDestinos { get; set; } = [];
}

public static class PoliticaWebhooks
{
    /// <summary>
    /// Subscriptions are administrators' business: each one sends the record to an outside address, so creating one is
    /// configuring an integration (and an SSRF surface), like the catalog.
    /// </summary>
    public const string Nombre = "webhooks";
}

public record SuscripcionDto
{
    /// <example>1</example>
    public required int Id { get; init; }

    /// <example>https://sistema.ejemplo.gob.cl/webhooks/compromisos</example>
    public required string Url { get; init; }

    /// <example>["compromiso.calificado", "programa.egresado"]</example>
    public required string[] Tipos { get; init; }

    /// <summary>Activa, o Suspendida cuando las entregas fallan una y otra vez (se reactiva con POST …/reactivacion).</summary>
    /// <example>Activa</example>
    public required EstadoSuscripcion Estado { get; init; }

    public required DateTimeOffset CreadaEn { get; init; }

    /// <example>Administrador</example>
    public required string CreadaPor { get; init; }

    /// <summary>Entregas fallidas seguidas (vuelve a 0 con una entrega exitosa).</summary>
    /// <example>0</example>
    public required int FallasConsecutivas { get; init; }

    public DateTimeOffset? FallandoDesde { get; init; }

    /// <summary>Qué respondió (o no) el receptor en la última entrega fallida.</summary>
    public string? UltimoError { get; init; }

    public DateTimeOffset? UltimaEntregaEn { get; init; }

    public DateTimeOffset? SuspendidaEn { get; init; }

    /// <summary>Eventos aún por entregar.</summary>
    /// <example>0</example>
    public required int EntregasPendientes { get; init; }
}

public sealed record SuscripcionCreadaDto : SuscripcionDto
{
    /// <summary>
    /// Secreto de firma (Standard Webhooks, whsec_ + base64). Se muestra solo ahora: guárdelo; las lecturas no lo incluyen.
    /// </summary>
    /// <example>whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw</example>
    public required string Secreto { get; init; }
}

public sealed record SuscripcionEntrada
{
    /// <summary>Dirección que recibirá los eventos por POST (https; solo direcciones públicas salvo Webhooks:PermitirDestinos).</summary>
    /// <example>https://sistema.ejemplo.gob.cl/webhooks/compromisos</example>
    public required string Url { get; init; }

    /// <summary>Tipos de evento que se entregan (los de GET /api/v1/eventos).</summary>
    /// <example>["compromiso.calificado", "programa.egresado"]</example>
    public required string[] Tipos { get; init; }
}

public sealed record CrearSuscripcion(string Url, string[] Tipos) : ICommand<Versionado<SuscripcionCreadaDto>>;

public sealed class CrearSuscripcionValidator : AbstractValidator<CrearSuscripcion>
{
    public CrearSuscripcionValidator(PoliticaDeDestinos politica)
    {
        RuleFor(x => x.Url).Cascade(CascadeMode.Stop).TextoObligatorio(PoliticaDeDestinos.LargoMaximoUrl)
            .CustomAsync(async (url, ctx, ct) =>
            {
                if (await politica.ValidarAsync(url!, ct) is { } motivo) ctx.AddFailure(motivo);
            });
        RuleFor(x => x.Tipos).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("Indique al menos un tipo de evento.")
            .Must(t => t.All(TiposDeEvento.Todos.Contains)).WithMessage($"Tipos de evento válidos: {string.Join(", ", TiposDeEvento.Todos)}.")
            .Must(t => t.Distinct().Count() == t.Length).WithMessage("Hay tipos repetidos.");
    }
}

public sealed class CrearSuscripcionHandler(CompromisosDbContext db, UsuarioActual usuario) : ICommandHandler<CrearSuscripcion, Versionado<SuscripcionCreadaDto>>
{
    public async ValueTask<Versionado<SuscripcionCreadaDto>> Handle(CrearSuscripcion c, CancellationToken ct)
    {
        // It receives what commits from now on: everything up to the last visible position is already committed.
        var desde = (await db.Database.SqlQuery<long>($"SELECT coalesce(max(posicion), 0) AS \"Value\" FROM eventos").ToListAsync(ct)).Single();
        var secreto = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var s = new Suscripcion(c.Url, c.Tipos, secreto, desde, usuario.Firmar());
        db.Suscripciones.Add(s);
        await db.SaveChangesAsync(ct);
        var dto = await Suscripciones.Leer(db).SingleAsync(x => x.Id == s.Id, ct);
        return new(new SuscripcionCreadaDto
        {
            Id = dto.Id, Url = dto.Url, Tipos = dto.Tipos, Estado = dto.Estado, CreadaEn = dto.CreadaEn, CreadaPor = dto.CreadaPor,
            FallasConsecutivas = dto.FallasConsecutivas, EntregasPendientes = dto.EntregasPendientes, Secreto = secreto,
        }, s.Version);
    }
}

public sealed record ObtenerSuscripcion(int Id) : IQuery<Versionado<SuscripcionDto>>;

public sealed class ObtenerSuscripcionHandler(CompromisosDbContext db) : IQueryHandler<ObtenerSuscripcion, Versionado<SuscripcionDto>>
{
    public async ValueTask<Versionado<SuscripcionDto>> Handle(ObtenerSuscripcion q, CancellationToken ct)
    {
        var version = await db.Suscripciones.Where(s => s.Id == q.Id && s.Estado != EstadoSuscripcion.Eliminada).Select(s => (uint?)s.Version).SingleOrDefaultAsync(ct)
            ?? throw new NoEncontradoException("suscripción", q.Id);
        return new(await Suscripciones.Leer(db).SingleAsync(s => s.Id == q.Id, ct), version);
    }
}

/// <param name="Limit" example="50">Tamaño de página, 1 a 200 (por omisión 50).</param>
/// <param name="Cursor">El nextCursor de la página anterior.</param>
public sealed record ListarSuscripciones(int? Limit, string? Cursor) : IQuery<Pagina<SuscripcionDto>>, IPaginada;

public sealed class ListarSuscripcionesValidator : AbstractValidator<ListarSuscripciones>
{
    public ListarSuscripcionesValidator() => this.ReglasDePaginacion();
}

public sealed class ListarSuscripcionesHandler(CompromisosDbContext db) : IQueryHandler<ListarSuscripciones, Pagina<SuscripcionDto>>
{
    public async ValueTask<Pagina<SuscripcionDto>> Handle(ListarSuscripciones q, CancellationToken ct)
    {
        var despues = q.DespuesEntero();
        var filas = await Suscripciones.Leer(db).Where(s => s.Id > despues).OrderBy(s => s.Id).Take(q.Limite() + 1).ToListAsync(ct);
        return Paginacion.Cortar(filas, q.Limite(), s => s.Id, s => s);
    }
}

public sealed record EliminarSuscripcion(int Id) : ICommand;

public sealed class EliminarSuscripcionHandler(CompromisosDbContext db, TimeProvider reloj) : ICommandHandler<EliminarSuscripcion>
{
    public async ValueTask<Unit> Handle(EliminarSuscripcion c, CancellationToken ct)
    {
        var s = await Suscripciones.BloquearAsync(db, c.Id, ct);
        // Kept (eliminada) for the audit trail; the relay stops delivering to it at once.
        s.Eliminar(reloj.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return Unit.Value;
    }
}

public sealed record ReactivarSuscripcion(int Id) : ICommand<Versionado<SuscripcionDto>>;

public sealed class ReactivarSuscripcionHandler(CompromisosDbContext db, TimeProvider reloj) : ICommandHandler<ReactivarSuscripcion, Versionado<SuscripcionDto>>
{
    public async ValueTask<Versionado<SuscripcionDto>> Handle(ReactivarSuscripcion c, CancellationToken ct)
    {
        var s = await Suscripciones.BloquearAsync(db, c.Id, ct);
        s.Reactivar();
        await db.SaveChangesAsync(ct);
        // What waited while it was suspended goes out now, in order.
        await db.Database.ExecuteSqlAsync($"UPDATE entregas SET proximo_intento_en = {reloj.GetUtcNow()} WHERE suscripcion_id = {s.Id} AND estado = 'Pendiente'", ct);
        return new(await Suscripciones.Leer(db).SingleAsync(x => x.Id == s.Id, ct), s.Version);
    }
}

internal static class Suscripciones
{
    public static IQueryable<SuscripcionDto> Leer(CompromisosDbContext db) =>
        db.Suscripciones.AsNoTracking().Where(s => s.Estado != EstadoSuscripcion.Eliminada).Select(s => new SuscripcionDto
        {
            Id = s.Id,
            Url = s.Url,
            Tipos = s.Tipos,
            Estado = s.Estado,
            CreadaEn = s.CreadaEn,
            CreadaPor = s.CreadaPor,
            FallasConsecutivas = s.FallasConsecutivas,
            FallandoDesde = s.FallandoDesde,
            UltimoError = s.UltimoError,
            UltimaEntregaEn = s.UltimaEntregaEn,
            SuspendidaEn = s.SuspendidaEn,
            EntregasPendientes = db.Entregas.Count(e => e.SuscripcionId == s.Id && e.Estado == EstadoEntrega.Pendiente),
        });

    /// <summary>FOR NO KEY UPDATE: it does not block the relay's new deliveries (their foreign key takes KEY SHARE).</summary>
    public static async Task<Suscripcion> BloquearAsync(CompromisosDbContext db, int id, CancellationToken ct) =>
        (await db.Suscripciones.FromSql($"SELECT *, xmin FROM suscripciones WHERE id = {id} FOR NO KEY UPDATE").ToListAsync(ct))
        .SingleOrDefault(s => s.Estado != EstadoSuscripcion.Eliminada)
        ?? throw new NoEncontradoException("suscripción", id);
}

public static class SuscripcionesEndpoints
{
    public static IEndpointRouteBuilder MapSuscripciones(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup($"{Http.Base}/suscripciones").WithTags("Webhooks").ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        g.MapGet("", async ([AsParameters] ListarSuscripciones q, IMediator m, CancellationToken ct) => TypedResults.Ok(await m.Send(q, ct)))
            .Documentar("ListarSuscripciones", "Lista las suscripciones de webhooks",
                "Con su estado (Activa o Suspendida), sus fallas y las entregas pendientes; nunca el secreto. Solo administradores.")
            .Errores(400)
            .Requiere(PoliticaWebhooks.Nombre);

        g.MapGet("{id:int}", async (int id, IMediator m, HttpContext http, CancellationToken ct) => Http.ConEtag(http, await m.Send(new ObtenerSuscripcion(id), ct)))
            .ConVersion()
            .Documentar("ObtenerSuscripcion", "Obtiene una suscripción de webhooks",
                "Estado, fallas consecutivas, último error y entregas pendientes; nunca el secreto. Solo administradores.")
            .Errores(404)
            .Requiere(PoliticaWebhooks.Nombre);

        g.MapPost("", async (SuscripcionEntrada body, IMediator m, HttpContext http, CancellationToken ct) =>
            {
                var v = await m.Send(new CrearSuscripcion(body.Url, body.Tipos), ct);
                return Http.CreadoConEtag(http, $"{Http.Base}/suscripciones/{v.Recurso.Id}", v);
            })
            .ConVersion()
            .Documentar("CrearSuscripcion", "Suscribe una URL a eventos (webhooks)",
                "Los eventos de los tipos indicados que se confirmen desde ahora se envían por POST a la URL, como CloudEvents JSON " +
                "(application/cloudevents+json), firmados según Standard Webhooks (encabezados webhook-id, webhook-timestamp y " +
                "webhook-signature, HMAC-SHA256 con el secreto). Entrega al menos una vez: webhook-id es el id del evento, estable entre " +
                "reintentos, para descartar duplicados. Los eventos de un mismo programa llegan en orden: si uno falla, los siguientes de " +
                "ese programa esperan. Los fallos se reintentan con espera exponencial y variación aleatoria; una suscripción que falla " +
                "una y otra vez queda Suspendida. La URL debe ser https y resolver solo a direcciones públicas (400 si no), salvo los " +
                "destinos de Webhooks:PermitirDestinos. El secreto se devuelve solo en esta respuesta. Solo administradores.")
            .Errores(400, 409)
            .Requiere(PoliticaWebhooks.Nombre);

        g.MapDelete("{id:int}", async (int id, IMediator m, CancellationToken ct) =>
            {
                await m.Send(new EliminarSuscripcion(id), ct);
                return TypedResults.NoContent();
            })
            .Documentar("EliminarSuscripcion", "Elimina una suscripción de webhooks",
                "Deja de entregar de inmediato (las entregas pendientes se descartan). Solo administradores.")
            .Errores(404)
            .Requiere(PoliticaWebhooks.Nombre);

        g.MapPost("{id:int}/reactivacion", async (int id, IMediator m, HttpContext http, CancellationToken ct) =>
                Http.ConEtag(http, await m.Send(new ReactivarSuscripcion(id), ct)))
            .ConVersion()
            .Documentar("ReactivarSuscripcion", "Reactiva una suscripción suspendida",
                "Vuelve a Activa y reanuda las entregas donde quedaron, en orden: nada de lo confirmado mientras estuvo suspendida " +
                "se pierde. 409 si no está suspendida. Solo administradores.")
            .Errores(400, 404, 409)
            .Requiere(PoliticaWebhooks.Nombre);

        return app;
    }
}
