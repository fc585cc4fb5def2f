namespace CompromisosApi.Features.Webhooks;

public record SuscripcionDto
{
    /// <example>1</example>
    public required int Id { get; init; }

    /// <example>https://sistema.ejemplo.gob.cl/webhooks/compromisos</example>
    [Url]
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoUrl)]
    public required string Url { get; init; }

    /// <example>["compromiso.calificado", "programa.egresado"]</example>
    [TiposDeEventoAttribute]
    public required string[] Tipos { get; init; }

    /// <summary>Activa, o Suspendida cuando las entregas fallan una y otra vez (se reactiva con POST …/reactivacion).</summary>
    /// <example>Activa</example>
    public required EstadoSuscripcion Estado { get; init; }

    public required DateTimeOffset CreadaEn { get; init; }

    /// <example>Administrador</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoUsuario)]
    public required string CreadaPor { get; init; }

    /// <summary>Entregas fallidas seguidas (vuelve a 0 con una entrega exitosa).</summary>
    /// <example>0</example>
    public required int FallasConsecutivas { get; init; }

    public DateTimeOffset? FallandoDesde { get; init; }

    /// <summary>Qué respondió (o no) el receptor en la última entrega fallida.</summary>
    [System.ComponentModel.DataAnnotations.MaxLength(1000)]
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
    [System.ComponentModel.DataAnnotations.MaxLength(100)]
    public required string Secreto { get; init; }
}

public sealed record SuscripcionEntrada
{
    /// <summary>Dirección que recibirá los eventos por POST (https; solo direcciones públicas salvo Webhooks:PermitirDestinos).</summary>
    /// <example>https://sistema.ejemplo.gob.cl/webhooks/compromisos</example>
    [Url]
    [NoEnBlanco]
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoUrl)]
    public required string Url { get; init; }

    /// <summary>Tipos de evento que se entregan (los de GET /api/v1/eventos).</summary>
    /// <example>["compromiso.calificado", "programa.egresado"]</example>
    [TiposDeEventoAttribute]
    public required string[] Tipos { get; init; }
}
