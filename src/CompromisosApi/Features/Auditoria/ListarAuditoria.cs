using System.Text.Json;

namespace CompromisosApi.Features.Auditoria;

public static class ListarAuditoriaEndpoint
{
    public static RouteHandlerBuilder MapListarAuditoria(this IEndpointRouteBuilder rutas) =>
        rutas.MapGet($"{Http.Base}/auditoria", async ([AsParameters] ListarAuditoria q, IMediator m, CancellationToken ct) => TypedResults.Ok(await m.Send(q, ct)))
            .WithTags("Auditoría")
            .Documentar("ListarAuditoria", "Lista la bitácora de auditoría",
                "Una entrada por cada escritura exitosa, en el orden en que ocurrieron: quién (sujeto, nombre, roles, servicio), cuándo, " +
                "qué caso de uso, la entidad principal antes y después, las otras filas que cambió, el id de la solicitud y la dirección " +
                "del cliente. Las entradas no pueden modificarse ni borrarse. Solo analistas y administradores; las entradas sobre " +
                "suscripciones de webhooks, solo administradores. Las URL que pueden llevar credenciales se registran sin ellas: " +
                "usuario y contraseña, y el valor de cada parámetro de la consulta, quedan como [redactado].")
            .Errores(400)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .Requiere(Politicas.Auditoria);
}

/// <summary>Otra fila que la misma escritura creó o cambió (para el contrato: se guarda así en la bitácora).</summary>
/// <param name="Entidad" example="Calificacion">Tipo de la fila.</param>
/// <param name="Id" example="7">Su id.</param>
/// <param name="Creado" example="true">true si la escritura la creó; false si la cambió.</param>
public sealed record OtroCambio([property: System.ComponentModel.DataAnnotations.MaxLength(100)] string Entidad,
    [property: System.ComponentModel.DataAnnotations.MaxLength(100)] string Id, bool Creado);

public sealed record EntradaAuditoriaDto
{
    /// <example>42</example>
    public required long Id { get; init; }

    public required DateTimeOffset OcurridaEn { get; init; }

    /// <summary>Sujeto (sub) del token; "sistema" para escrituras sin solicitud (carga de demostración).</summary>
    /// <example>8f1c0c2e-analista</example>
    public required string ActorSujeto { get; init; }

    /// <example>Analista DIPRES</example>
    public string? ActorNombre { get; init; }

    /// <example>["analista"]</example>
    public required string[] ActorRoles { get; init; }

    public int? ActorServicioId { get; init; }

    /// <summary>Caso de uso ejecutado.</summary>
    /// <example>CalificarCompromiso</example>
    [System.ComponentModel.DataAnnotations.MaxLength(100)]
    public required string Operacion { get; init; }

    /// <example>Compromiso</example>
    [System.ComponentModel.DataAnnotations.MaxLength(100)]
    public required string Entidad { get; init; }

    /// <example>2</example>
    [System.ComponentModel.DataAnnotations.MaxLength(100)]
    public required string EntidadId { get; init; }

    /// <summary>Valores guardados de la entidad antes de la escritura (null si la creó).</summary>
    public JsonElement? Antes { get; init; }

    /// <summary>Valores guardados después de la escritura.</summary>
    public required JsonElement Despues { get; init; }

    /// <summary>Otras filas que la misma escritura creó o cambió (null si no hubo).</summary>
    [ListaJsonDe(typeof(OtroCambio))]
    public JsonElement? OtrosCambios { get; init; }

    /// <summary>Motivo declarado, en las correcciones de un administrador.</summary>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoTexto)]
    public string? Motivo { get; init; }

    public string? RequestId { get; init; }

    /// <summary>Trace id W3C de la solicitud (el del traceparent del sistema que llamó, si lo envió): el mismo de su problem+json, sus eventos y sus entregas de webhook.</summary>
    /// <example>4bf92f3577b34da6a3ce929d0e0e4736</example>
    [System.ComponentModel.DataAnnotations.MaxLength(32)]
    public string? TraceId { get; init; }

    [System.ComponentModel.DataAnnotations.MaxLength(45)]
    public string? DireccionCliente { get; init; }
}

/// <param name="Limit" example="50">Tamaño de página, 1 a 200 (por omisión 50).</param>
/// <param name="Cursor">El nextCursor de la página anterior.</param>
/// <param name="Entidad" example="Compromiso">Tipo de entidad principal.</param>
/// <param name="EntidadId" example="2">Id de la entidad principal.</param>
/// <param name="Actor">Sujeto (sub) de quien escribió.</param>
/// <param name="Desde" example="2026-01-01T00:00:00Z">Desde este instante, inclusive.</param>
/// <param name="Hasta" example="2026-12-31T23:59:59Z">Hasta este instante, inclusive.</param>
public sealed record ListarAuditoria(int? Limit, string? Cursor, string? Entidad, string? EntidadId, string? Actor, DateTimeOffset? Desde, DateTimeOffset? Hasta)
    : IQuery<Pagina<EntradaAuditoriaDto>>, IPaginada;

public sealed class ListarAuditoriaValidator : AbstractValidator<ListarAuditoria>
{
    public ListarAuditoriaValidator()
    {
        this.ReglasDePaginacion();
        // PostgreSQL text can't hold NUL: said here, for the filter that has it, rather than by the database.
        RuleFor(x => x.Actor).Must(SinNulo).WithMessage(MensajeNulo);
        RuleFor(x => x.Entidad).Must(SinNulo).WithMessage(MensajeNulo);
        RuleFor(x => x.EntidadId).Must(SinNulo).WithMessage(MensajeNulo);
    }

    private const string MensajeNulo = "No puede contener el carácter nulo (U+0000).";

    private static bool SinNulo(string? filtro) => filtro is null || !filtro.Contains('\0');
}

public sealed class ListarAuditoriaHandler(CompromisosDbContext db, UsuarioActual usuario) : IQueryHandler<ListarAuditoria, Pagina<EntradaAuditoriaDto>>
{
    public async ValueTask<Pagina<EntradaAuditoriaDto>> Handle(ListarAuditoria q, CancellationToken ct)
    {
        var despues = q.Despues() ?? 0;
        var consulta = db.Auditoria.AsNoTracking().Where(a => a.Id > despues);
        // Before any filter: no entidad, actor, date or cursor reaches what the caller's role may not read.
        if (!usuario.TieneRol(Roles.Administrador)) consulta = consulta.Where(a => !Common.Auditoria.SoloAdministradores.Contains(a.Entidad));
        if (q.Entidad is not null) consulta = consulta.Where(a => a.Entidad == q.Entidad);
        if (q.EntidadId is not null) consulta = consulta.Where(a => a.EntidadId == q.EntidadId);
        if (q.Actor is not null) consulta = consulta.Where(a => a.ActorSujeto == q.Actor);
        // Any RFC 3339 offset is the same instant in UTC, and Npgsql takes only UTC for timestamptz (another offset
        // was a 500). A DateTimeOffset always has a UTC time in range: one that hasn't fails binding (400).
        if (q.Desde is { } desde) consulta = consulta.Where(a => a.OcurridaEn >= desde.ToUniversalTime());
        if (q.Hasta is { } hasta) consulta = consulta.Where(a => a.OcurridaEn <= hasta.ToUniversalTime());
        var filas = await consulta.OrderBy(a => a.Id).Take(q.Limite() + 1).ToListAsync(ct);
        return Paginacion.Cortar(filas, q.Limite(), a => a.Id, a => new EntradaAuditoriaDto
        {
            Id = a.Id,
            OcurridaEn = a.OcurridaEn,
            ActorSujeto = a.ActorSujeto,
            ActorNombre = a.ActorNombre,
            ActorRoles = a.ActorRoles,
            ActorServicioId = a.ActorServicioId,
            Operacion = a.Operacion,
            Entidad = a.Entidad,
            EntidadId = a.EntidadId,
            Antes = Json(a.Antes),
            Despues = Json(a.Despues)!.Value,
            OtrosCambios = Json(a.OtrosCambios),
            Motivo = a.Motivo,
            RequestId = a.RequestId,
            TraceId = a.TraceId,
            DireccionCliente = a.DireccionCliente,
        });
    }

    private static JsonElement? Json(string? texto) => texto is null ? null : JsonDocument.Parse(texto).RootElement.Clone();
}
