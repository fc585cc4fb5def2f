using Riok.Mapperly.Abstractions;


namespace CompromisosApi.Features.Programas;

public sealed record ProgramaDto
{
    /// <example>1</example>
    public required int Id { get; init; }

    /// <summary>Nombre verbatim, como lo imprime el registro.</summary>
    /// <example>Microemprendimiento MYPIME Programa de Desarrollo de Redes Pro Rubro</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoNombrePrograma)]
    public required string Nombre { get; init; }

    /// <example>1</example>
    public required int ServicioId { get; init; }

    /// <summary>Año de la evaluación.</summary>
    /// <example>2007</example>
    [AnioDeEvaluacion]
    public required int AnioEvaluacion { get; init; }

    /// <summary>Código de la línea de evaluación (catálogo GET /api/v1/lineas-evaluacion).</summary>
    /// <example>EPG</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoCodigoLinea)]
    public required string LineaEvaluacion { get; init; }

    /// <summary>Estado actual o, con alCorte, el de ese corte.</summary>
    /// <example>Egresado</example>
    public required EstadoPrograma Estado { get; init; }

    /// <summary>Categoría de desempeño publicada por DIPRES; null si no está registrada (registros antiguos, la semilla).</summary>
    /// <example>BuenDesempeno</example>
    public CategoriaDesempeno? CategoriaDesempeno { get; init; }

    /// <summary>Partida.capítulo.programa de la Ley de Presupuestos; null si no tiene uno propio (o no está registrado).</summary>
    /// <example>13.03.01</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoCodigoPrograma)]
    [Patron(CodigosPresupuestarios.PatronPrograma)]
    public string? CodigoPresupuestario { get; init; }

    /// <summary>Fecha de egreso (el corte de su última calificación, salvo que se indique otra); null en seguimiento.</summary>
    /// <example>2011-12-31</example>
    public DateOnly? FechaEgreso { get; init; }

    /// <summary>
    /// Derivado al leer: cuando el programa sigue en seguimiento y todos sus compromisos (al menos uno) están Cumplidos o
    /// Cancelados, el egreso que correspondería; null en otro caso. No cambia el ETag del programa.
    /// </summary>
    public EgresoPropuestoDto? EgresoPropuesto { get; init; }
}

public sealed record EgresoPropuestoDto
{
    /// <summary>La fecha que tomaría el egreso: la de la última calificación del programa.</summary>
    /// <example>2011-12-31</example>
    public required DateOnly Fecha { get; init; }
}

public sealed record ProgramaEntrada
{
    /// <example>Microemprendimiento MYPIME Programa de Desarrollo de Redes Pro Rubro</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoNombrePrograma)]
    [NoEnBlanco]
    public required string Nombre { get; init; }

    /// <example>1</example>
    public required int ServicioId { get; init; }

    /// <example>2007</example>
    [AnioDeEvaluacion]
    public required int AnioEvaluacion { get; init; }

    /// <example>EPG</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoCodigoLinea)]
    [NoEnBlanco]
    public required string LineaEvaluacion { get; init; }

    /// <summary>Categoría de desempeño publicada por DIPRES; null u omitida: no registrada.</summary>
    /// <example>BuenDesempeno</example>
    public CategoriaDesempeno? CategoriaDesempeno { get; init; }

    /// <summary>
    /// Partida.capítulo.programa de la Ley de Presupuestos ("13.03.01"); único. Si su servicio tiene código, debe
    /// comenzar con él (400). Opcional: null u omitido, sin código (un programa evaluado no siempre es un programa
    /// presupuestario propio); un PUT sin él lo borra.
    /// </summary>
    /// <example>13.03.01</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoCodigoPrograma)]
    [Patron(CodigosPresupuestarios.PatronPrograma)]
    public string? CodigoPresupuestario { get; init; }
}

public sealed record EgresoEntrada
{
    /// <summary>Fecha de egreso; por omisión, la fecha de la última calificación del programa.</summary>
    /// <example>2011-12-31</example>
    public DateOnly? FechaEgreso { get; init; }
}

[Mapper(RequiredMappingStrategy = RequiredMappingStrategy.Target)]
public static partial class ProgramaMapper
{
    [MapperIgnoreTarget(nameof(ProgramaDto.EgresoPropuesto))]
    public static partial ProgramaDto ToDto(this Programa p);

    /// <summary>
    /// The programa as it stood at a moment, from its egreso date as known then (<see cref="ProgramaAlCorte"/>): egresado
    /// only if that egreso is dated by the cut-off (<see cref="Programa.EgresadoAl(DateOnly?, DateOnly?)"/>).
    /// </summary>
    public static ProgramaDto ToDto(this ProgramaAlCorte x, DateOnly? alCorte) =>
        Programa.EgresadoAl(x.FechaEgreso, alCorte)
            ? x.Programa.ToDto() with { Estado = EstadoPrograma.Egresado, FechaEgreso = x.FechaEgreso }
            : x.Programa.ToDto() with { Estado = EstadoPrograma.EnSeguimiento, FechaEgreso = null };
}
