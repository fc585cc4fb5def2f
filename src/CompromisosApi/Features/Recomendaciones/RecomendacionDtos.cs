using Riok.Mapperly.Abstractions;

namespace CompromisosApi.Features.Recomendaciones;

public sealed record RecomendacionDto
{
    /// <example>1</example>
    public required int Id { get; init; }

    /// <example>1</example>
    public required int ProgramaId { get; init; }

    /// <summary>Número dentro del programa (1, 2, 3 …), asignado en orden de creación.</summary>
    /// <example>1</example>
    public required int Numero { get; init; }

    /// <summary>Texto verbatim de la recomendación del panel.</summary>
    /// <example>Analizar cuáles son las características mínimas que los EAC y EI deben tener para participar en el programa.</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoTexto)]
    public required string Texto { get; init; }
}

public sealed record RecomendacionEntrada
{
    /// <example>Analizar cuáles son las características mínimas que los EAC y EI deben tener para participar en el programa.</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoTexto)]
    [NoEnBlanco]
    public required string Texto { get; init; }
}

[Mapper(RequiredMappingStrategy = RequiredMappingStrategy.Target)]
public static partial class RecomendacionMapper
{
    public static partial RecomendacionDto ToDto(this Recomendacion r);

    public static partial IQueryable<RecomendacionDto> ProjectToDto(this IQueryable<Recomendacion> q);
}
