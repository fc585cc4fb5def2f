using System.Text.Json;
using System.Text.Json.Serialization;
using CompromisosApi.Common;
using CompromisosApi.Domain;
using CompromisosApi.Persistence;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CompromisosApi.Features.Eventos;

/// <summary>Un evento en formato CloudEvents 1.0 (JSON estructurado).</summary>
public sealed record CloudEvent
{
    /// <example>1.0</example>
    [JsonPropertyName("specversion")]
    public required string SpecVersion { get; init; }

    /// <summary>Id único y estable del evento; es también el webhook-id de sus entregas (para descartar duplicados).</summary>
    /// <example>0193a8f2-7c1e-7d4a-9b1e-5f0c2a7e4d11</example>
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    /// <example>urn:cl:dipres:compromisos</example>
    [JsonPropertyName("source")]
    public required string Source { get; init; }

    /// <summary>
    /// programa.creado, programa.actualizado, programa.egresado, programa.reabierto, recomendacion.creada,
    /// recomendacion.actualizada, compromiso.creado, compromiso.actualizado, compromiso.calificado,
    /// calificacion.corregida, compromiso.vencido, reporte.registrado, medio.registrado, programa.egreso-propuesto o
    /// corte.recordatorio.
    /// </summary>
    /// <example>compromiso.calificado</example>
    [JsonPropertyName("type")]
    public required string Type { get; init; }

    /// <summary>Ruta del recurso bajo /api/v1.</summary>
    /// <example>compromisos/2/calificaciones/7</example>
    [JsonPropertyName("subject")]
    public required string Subject { get; init; }

    /// <summary>Instante del cambio (RFC 3339).</summary>
    [JsonPropertyName("time")]
    public required DateTimeOffset Time { get; init; }

    /// <example>application/json</example>
    [JsonPropertyName("datacontenttype")]
    public required string DataContentType { get; init; }

    /// <summary>Extensión: posición del evento en la fuente, 1, 2, 3 … sin huecos, en orden de confirmación.</summary>
    /// <example>42</example>
    [JsonPropertyName("secuencia")]
    public required long Secuencia { get; init; }

    /// <summary>Extensión: el programa al que pertenece el cambio (los webhooks respetan el orden por programa).</summary>
    /// <example>1</example>
    [JsonPropertyName("programaid")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? ProgramaId { get; init; }

    /// <summary>Los valores guardados de la entidad después del cambio (los de la bitácora de auditoría).</summary>
    [JsonPropertyName("data")]
    public required JsonElement Data { get; init; }

    /// <summary>The JSON of events, the same in GET /eventos and in webhook deliveries.</summary>
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    internal static CloudEvent Desde(EventoSaliente e, string fuente)
    {
        using var datos = JsonDocument.Parse(e.Datos);
        return new CloudEvent
        {
            SpecVersion = "1.0",
            Id = e.Id.ToString(),
            Source = fuente,
            Type = e.Tipo,
            Subject = e.Sujeto,
            Time = e.OcurridoEn,
            DataContentType = "application/json",
            Secuencia = e.Posicion,
            ProgramaId = e.ProgramaId,
            Data = datos.RootElement.Clone(),
        };
    }
}

/// <summary>Una página de la fuente de eventos.</summary>
public sealed record PaginaEventos
{
    public required IReadOnlyList<CloudEvent> Items { get; init; }

    /// <summary>
    /// Cursor para la próxima consulta (parámetro desde). Siempre presente, también al final: quien sondea lo guarda y
    /// vuelve con él más tarde para recibir solo lo nuevo.
    /// </summary>
    public required string NextCursor { get; init; }

    /// <summary>true si ya hay más eventos después de esta página (consulte de inmediato con nextCursor).</summary>
    public required bool HayMas { get; init; }
}

/// <param name="Desde">El nextCursor de la consulta anterior; sin él, desde el primer evento.</param>
/// <param name="Limit" example="50">Tamaño de página, 1 a 200 (por omisión 50).</param>
public sealed record ListarEventos(string? Desde, int? Limit) : IQuery<PaginaEventos>;

public sealed class ListarEventosValidator : AbstractValidator<ListarEventos>
{
    public ListarEventosValidator()
    {
        RuleFor(x => x.Limit).InclusiveBetween(1, Paginacion.LimiteMaximo)
            .WithMessage($"limit debe estar entre 1 y {Paginacion.LimiteMaximo}.");
        RuleFor(x => x.Desde).Must(c => c is null || Paginacion.Decodificar(c) is >= 0)
            .WithMessage("desde no es válido: use el nextCursor de la consulta anterior.");
    }
}

public sealed class ListarEventosHandler(CompromisosDbContext db, IOptionsMonitor<OpcionesEventos> opciones) : IQueryHandler<ListarEventos, PaginaEventos>
{
    public async ValueTask<PaginaEventos> Handle(ListarEventos q, CancellationToken ct)
    {
        // Positions are dense and visible in order (Bandeja): paging by position never skips an event.
        var desde = q.Desde is null ? 0 : Paginacion.Decodificar(q.Desde)!.Value;
        var limite = q.Limit ?? Paginacion.LimitePorDefecto;
        var filas = await db.Eventos.AsNoTracking().Where(e => e.Posicion > desde).OrderBy(e => e.Posicion).Take(limite + 1).ToListAsync(ct);
        var items = filas.Take(limite).Select(e => CloudEvent.Desde(e, opciones.CurrentValue.Fuente)).ToList();
        return new PaginaEventos
        {
            Items = items,
            NextCursor = Paginacion.Codificar(items.Count > 0 ? items[^1].Secuencia : desde),
            HayMas = filas.Count > limite,
        };
    }
}
