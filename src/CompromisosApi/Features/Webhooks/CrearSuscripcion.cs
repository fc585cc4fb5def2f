using System.Security.Cryptography;

namespace CompromisosApi.Features.Webhooks;

public static class CrearSuscripcionEndpoint
{
    public static RouteHandlerBuilder MapCrearSuscripcion(this IEndpointRouteBuilder rutas) =>
        rutas.MapPost("", async (SuscripcionEntrada body, IMediator m, HttpContext http, CancellationToken ct) =>
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
}

public sealed record CrearSuscripcion(string Url, string[] Tipos) : ICommand<Versionado<SuscripcionCreadaDto>>;

public sealed class CrearSuscripcionValidator : AbstractValidator<CrearSuscripcion>
{
    public CrearSuscripcionValidator(PoliticaDeDestinos politica)
    {
        RuleFor(x => x.Url).Cascade(CascadeMode.Stop).TextoObligatorio(Validacion.LargoUrl)
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
