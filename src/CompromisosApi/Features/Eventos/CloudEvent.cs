using System.Text.Json;
using System.Text.Json.Serialization;

namespace CompromisosApi.Features.Eventos;

public sealed class OpcionesEventos
{
    /// <summary>CloudEvents <c>source</c> of every event.</summary>
    public string Fuente { get; set; } = "urn:cl:dipres:compromisos";
}

/// <summary>Un evento en formato CloudEvents 1.0 (JSON estructurado).</summary>
public sealed record CloudEvent
{
    /// <example>1.0</example>
    [JsonPropertyName("specversion")]
    [System.ComponentModel.DataAnnotations.MaxLength(3)]
    public required string SpecVersion { get; init; }

    /// <summary>Id único y estable del evento; es también el webhook-id de sus entregas (para descartar duplicados).</summary>
    /// <example>0193a8f2-7c1e-7d4a-9b1e-5f0c2a7e4d11</example>
    [JsonPropertyName("id")]
    [System.ComponentModel.DataAnnotations.MaxLength(36)]
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
    [System.ComponentModel.DataAnnotations.MaxLength(60)]
    public required string Type { get; init; }

    /// <summary>Ruta del recurso bajo /api/v1.</summary>
    /// <example>compromisos/2/calificaciones/7</example>
    [JsonPropertyName("subject")]
    [System.ComponentModel.DataAnnotations.MaxLength(200)]
    public required string Subject { get; init; }

    /// <summary>Instante del cambio (RFC 3339).</summary>
    [JsonPropertyName("time")]
    public required DateTimeOffset Time { get; init; }

    /// <example>application/json</example>
    [JsonPropertyName("datacontenttype")]
    [System.ComponentModel.DataAnnotations.MaxLength(50)]
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

    /// <summary>
    /// Extensión de trazas distribuidas de CloudEvents: el traceparent W3C de la solicitud que causó el cambio (su
    /// trace id es el traceId de la auditoría); las entregas de webhook lo envían también como encabezado.
    /// </summary>
    /// <example>00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01</example>
    [JsonPropertyName("traceparent")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [System.ComponentModel.DataAnnotations.MinLength(Observabilidad.LargoTraceparent)]
    [System.ComponentModel.DataAnnotations.MaxLength(Observabilidad.LargoTraceparent)]
    public string? Traceparent { get; init; }

    /// <summary>Los valores guardados de la entidad después del cambio (los de la bitácora de auditoría).</summary>
    [JsonPropertyName("data")]
    public required JsonElement Data { get; init; }

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
            Traceparent = e.Traceparent,
            Data = datos.RootElement.Clone(),
        };
    }
}
