using Riok.Mapperly.Abstractions;


namespace CompromisosApi.Features.Catalogo;

public sealed record MinisterioDto
{
    /// <example>1</example>
    public required int Id { get; init; }

    /// <example>Ministerio de Agricultura</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoNombre)]
    public required string Nombre { get; init; }
    /// <summary>Partida de la Ley de Presupuestos, dos dígitos; null si no está registrado (registros antiguos).</summary>
    /// <example>13</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoCodigoMinisterio)]
    [Patron(CodigosPresupuestarios.PatronPartida)]
    public string? Codigo { get; init; }
}

public sealed record MinisterioEntrada
{
    /// <summary>Nombre oficial, tal como lo escribe el registro.</summary>
    /// <example>Ministerio de Agricultura</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoNombre)]
    [NoEnBlanco]
    public required string Nombre { get; init; }

    /// <summary>
    /// Partida de la Ley de Presupuestos, dos dígitos ("13": Ministerio de Agricultura); único. Opcional: null u omitido,
    /// no registrado (un PUT sin él lo borra). Cambiarlo exige que los códigos de sus servicios comiencen con el nuevo
    /// (409 si no: no se reescriben).
    /// </summary>
    /// <example>13</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoCodigoMinisterio)]
    [Patron(CodigosPresupuestarios.PatronPartida)]
    public string? Codigo { get; init; }
}

public sealed record ServicioDto
{
    /// <example>1</example>
    public required int Id { get; init; }

    /// <example>Instituto de Desarrollo Agropecuario</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoNombre)]
    public required string Nombre { get; init; }

    /// <example>INDAP</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoSigla)]
    public string? Sigla { get; init; }

    /// <example>1</example>
    public required int MinisterioId { get; init; }

    /// <summary>Partida.capítulo de la Ley de Presupuestos; null si no está registrado (registros antiguos).</summary>
    /// <example>13.03</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoCodigoServicio)]
    [Patron(CodigosPresupuestarios.PatronCapitulo)]
    public string? Codigo { get; init; }
}

public sealed record ServicioEntrada
{
    /// <example>Instituto de Desarrollo Agropecuario</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoNombre)]
    [NoEnBlanco]
    public required string Nombre { get; init; }

    /// <example>INDAP</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoSigla)]
    public string? Sigla { get; init; }

    /// <summary>Ministerio del que depende el servicio.</summary>
    /// <example>1</example>
    public required int MinisterioId { get; init; }

    /// <summary>
    /// Partida.capítulo de la Ley de Presupuestos ("13.03": INDAP); único. Si su ministerio tiene código, debe comenzar
    /// con él (400). Opcional: null u omitido, no registrado (un PUT sin él lo borra). Cambiarlo exige que los códigos de
    /// sus programas comiencen con el nuevo (409 si no).
    /// </summary>
    /// <example>13.03</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoCodigoServicio)]
    [Patron(CodigosPresupuestarios.PatronCapitulo)]
    public string? Codigo { get; init; }
}

public sealed record TipoCompromisoDto
{
    /// <example>SistemasDeInformacion</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoCodigoTipo)]
    public required string Codigo { get; init; }

    /// <example>Sistemas de información</example>
    [System.ComponentModel.DataAnnotations.MaxLength(200)]
    public required string Nombre { get; init; }
}

public sealed record LineaEvaluacionDto
{
    /// <example>EPG</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoCodigoLinea)]
    public required string Codigo { get; init; }

    /// <example>Evaluación de Programas Gubernamentales</example>
    [System.ComponentModel.DataAnnotations.MaxLength(200)]
    public required string Nombre { get; init; }
}

[Mapper(RequiredMappingStrategy = RequiredMappingStrategy.Target)]
public static partial class CatalogoMapper
{
    public static partial MinisterioDto ToDto(this Ministerio m);

    public static partial ServicioDto ToDto(this Servicio s);

    public static partial IQueryable<MinisterioDto> ProjectToDto(this IQueryable<Ministerio> q);

    public static partial IQueryable<ServicioDto> ProjectToDto(this IQueryable<Servicio> q);

    public static partial IQueryable<LineaEvaluacionDto> ProjectToDto(this IQueryable<LineaEvaluacion> q);

    public static partial IQueryable<TipoCompromisoDto> ProjectToDto(this IQueryable<TipoCompromiso> q);
}
