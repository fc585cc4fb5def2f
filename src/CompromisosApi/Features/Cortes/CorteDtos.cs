namespace CompromisosApi.Features.Cortes;

public sealed record CorteDto
{
    /// <summary>Fecha del corte.</summary>
    /// <example>2009-12-31</example>
    public required DateOnly Fecha { get; init; }

    /// <summary>Último día para que los servicios reporten el cumplimiento de ese corte (Calendario:DiasPlazoReporte días después).</summary>
    /// <example>2010-01-15</example>
    public required DateOnly PlazoReporte { get; init; }
}

/// <summary>Los cortes pedidos, en orden de fecha (una lista acotada por desde y hasta, sin paginar).</summary>
public sealed record ListaDeCortes(IReadOnlyList<CorteDto> Items);

public static class CorteMapper
{
    public static CorteDto Corte(this Calendario calendario, DateOnly fecha) => new() { Fecha = fecha, PlazoReporte = calendario.PlazoReporte(fecha) };
}
