using Riok.Mapperly.Abstractions;

namespace CompromisosApi.Features.Compromisos;

public sealed record CompromisoDto
{
    /// <example>1</example>
    public required int Id { get; init; }

    /// <example>1</example>
    public required int RecomendacionId { get; init; }

    /// <example>1</example>
    public required int ProgramaId { get; init; }

    /// <summary>"&lt;recomendación&gt;.&lt;n&gt;", asignado automáticamente.</summary>
    /// <example>1.2</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Domain.Compromiso.LargoNumero)]
    public required string Numero { get; init; }

    /// <summary>Texto verbatim del compromiso.</summary>
    /// <example>Elaborar matriz de marco lógico del nuevo programa revisada y concordada con DIPRES.</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoTexto)]
    public required string Texto { get; init; }

    /// <summary>Mes de vencimiento, yyyy-MM.</summary>
    /// <example>2009-12</example>
    [Mes]
    public required string FechaVencimiento { get; init; }

    /// <summary>Calificación vigente (la última registrada; Pendiente si no tiene), o con alCorte la vigente en ese corte.</summary>
    /// <example>Cancelado</example>
    public required Calificacion Calificacion { get; init; }

    /// <summary>Fecha de esa calificación; null mientras está Pendiente.</summary>
    /// <example>2011-12-31</example>
    public DateOnly? FechaCalificacion { get; init; }

    /// <summary>
    /// Derivado al leer: su mes de vencimiento es igual o anterior al mes del corte consultado (alCorte, por
    /// omisión hoy) y esa calificación no es Cumplido ni Cancelado.
    /// </summary>
    /// <example>false</example>
    public required bool Vencido { get; init; }

    /// <summary>Código del tipo de compromiso (catálogo GET /api/v1/tipos-compromiso); null: sin clasificar.</summary>
    /// <example>SistemasDeInformacion</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoCodigoTipo)]
    public string? Tipo { get; init; }

    /// <summary>Marcado como prioritario.</summary>
    /// <example>false</example>
    public required bool Prioritario { get; init; }

    /// <summary>Oportunidad del cumplimiento, derivada del historial de calificaciones al mismo corte que calificacion.</summary>
    public required OportunidadDto Oportunidad { get; init; }
}

public sealed record CompromisoEntrada
{
    /// <example>Elaborar matriz de marco lógico del nuevo programa revisada y concordada con DIPRES.</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoTexto)]
    [NoEnBlanco]
    public required string Texto { get; init; }

    /// <summary>Mes de vencimiento, yyyy-MM.</summary>
    /// <example>2009-12</example>
    [System.ComponentModel.DataAnnotations.MaxLength(7)]
    [Mes]
    public required string FechaVencimiento { get; init; }

    /// <summary>Código del tipo de compromiso (catálogo GET /api/v1/tipos-compromiso); null u omitido: sin clasificar.</summary>
    /// <example>SistemasDeInformacion</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoCodigoTipo)]
    public string? Tipo { get; init; }

    /// <summary>Prioritario; null u omitido: false.</summary>
    /// <example>false</example>
    // Nullable because generated clients (NSwag) send null for an optional boolean left unset.
    public bool? Prioritario { get; init; }
}

public sealed record CalificacionRegistradaDto
{
    /// <example>1</example>
    public required long Id { get; init; }

    /// <example>2</example>
    public required int CompromisoId { get; init; }

    /// <example>Cancelado</example>
    public required Calificacion Calificacion { get; init; }

    /// <summary>Corte al que se aplica la calificación.</summary>
    /// <example>2011-12-31</example>
    public required DateOnly Fecha { get; init; }

    /// <summary>Observación del analista (puede faltar).</summary>
    /// <example>Idem compromiso 1.1.</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoTexto)]
    public string? Observacion { get; init; }

    /// <summary>Momento en que se registró.</summary>
    public required DateTimeOffset RegistradaEn { get; init; }

    /// <summary>Quién la registró (nombre o sujeto del token).</summary>
    /// <example>Analista DIPRES</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoUsuario)]
    public required string RegistradaPor { get; init; }

    /// <summary>Solo en correcciones de un administrador: el motivo declarado.</summary>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoTexto)]
    public string? MotivoCorreccion { get; init; }
}

public sealed record CalificacionEntrada
{
    /// <summary>Nueva calificación: Cumplido, ParcialmenteCumplido, NoCumplido o Cancelado.</summary>
    /// <example>Cumplido</example>
    public required Calificacion Calificacion { get; init; }

    /// <summary>Corte al que se aplica; no puede ser anterior a la calificación previa.</summary>
    /// <example>2009-12-31</example>
    public required DateOnly Fecha { get; init; }

    /// <summary>Observación del analista. Obligatoria para Cancelado salvo que un reporte del mismo corte explique el motivo.</summary>
    /// <example>Idem compromiso 1.1.</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoTexto)]
    public string? Observacion { get; init; }
}

public sealed record ReporteDto
{
    /// <example>1</example>
    public required long Id { get; init; }

    /// <example>1</example>
    public required int CompromisoId { get; init; }

    /// <summary>Corte informado.</summary>
    /// <example>2009-12-31</example>
    public required DateOnly Corte { get; init; }

    /// <summary>Texto verbatim del cumplimiento informado por el servicio.</summary>
    /// <example>Cada tipo de cliente del nuevo instrumento puede permanecer hasta tres años recibiendo el Servicio.</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoCumplimiento)]
    public required string Texto { get; init; }

    public required DateTimeOffset RegistradoEn { get; init; }

    /// <summary>Quién lo registró (nombre o sujeto del token).</summary>
    /// <example>Encargado INDAP</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoUsuario)]
    public required string RegistradoPor { get; init; }
}

public sealed record ReporteEntrada
{
    /// <example>2009-12-31</example>
    public required DateOnly Corte { get; init; }

    /// <example>Cada tipo de cliente del nuevo instrumento puede permanecer hasta tres años recibiendo el Servicio.</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoCumplimiento)]
    [NoEnBlanco]
    public required string Texto { get; init; }
}

public sealed record MedioVerificacionDto
{
    /// <example>1</example>
    public required long Id { get; init; }

    /// <example>1</example>
    public required int CompromisoId { get; init; }

    /// <example>Marco Lógico mejorado</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoTitulo)]
    public required string Titulo { get; init; }

    /// <summary>Corte para el que se presentó.</summary>
    /// <example>2009-12-31</example>
    public required DateOnly Corte { get; init; }

    public required DateTimeOffset RegistradoEn { get; init; }

    /// <summary>Quién lo registró (nombre o sujeto del token).</summary>
    /// <example>Encargado INDAP</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoUsuario)]
    public required string RegistradoPor { get; init; }

    /// <summary>Nombre del archivo subido, sin ruta; null en los medios que solo tienen título (registros antiguos).</summary>
    /// <example>minuta-explicativa.pdf</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoNombreArchivo)]
    public string? NombreArchivo { get; init; }

    /// <summary>Tipo de medio del archivo, determinado por su contenido (no por su nombre ni por el tipo declarado); null sin archivo.</summary>
    /// <example>application/pdf</example>
    [System.ComponentModel.DataAnnotations.MaxLength(100)]
    public string? Tipo { get; init; }

    /// <summary>Tamaño del archivo en bytes; null sin archivo.</summary>
    /// <example>48213</example>
    public long? Tamano { get; init; }

    /// <summary>SHA-256 del contenido (hexadecimal en minúsculas), calculado al recibirlo; es el ETag de la descarga. Null sin archivo.</summary>
    /// <example>9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08</example>
    [System.ComponentModel.DataAnnotations.MaxLength(64)]
    public string? Sha256 { get; init; }

    /// <summary>Quién subió el archivo; null sin archivo.</summary>
    /// <example>Encargado INDAP</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoUsuario)]
    public string? SubidoPor { get; init; }

    /// <summary>Cuándo se subió el archivo; null sin archivo.</summary>
    public DateTimeOffset? SubidoEn { get; init; }
}

public sealed record MedioVerificacionEntrada
{
    /// <example>Marco Lógico mejorado</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoTitulo)]
    [NoEnBlanco]
    public required string Titulo { get; init; }

    /// <example>2009-12-31</example>
    public required DateOnly Corte { get; init; }
}

[Mapper(RequiredMappingStrategy = RequiredMappingStrategy.Target)]
public static partial class CompromisoMapper
{
    public static partial CompromisoDto ToDto(this Compromiso c, bool vencido, OportunidadDto oportunidad);

    public static partial CalificacionRegistradaDto ToDto(this RegistroCalificacion c);

    public static partial ReporteDto ToDto(this ReporteCumplimiento r);

    public static partial MedioVerificacionDto ToDto(this MedioVerificacion m);

    public static partial IQueryable<CalificacionRegistradaDto> ProjectToDto(this IQueryable<RegistroCalificacion> q);

    public static partial IQueryable<ReporteDto> ProjectToDto(this IQueryable<ReporteCumplimiento> q);

    public static partial IQueryable<MedioVerificacionDto> ProjectToDto(this IQueryable<MedioVerificacion> q);

    /// <summary>The compromiso as it is, with when it was met (null: not Cumplido; a new compromiso never is).</summary>
    public static CompromisoDto ToDto(this Compromiso c, DateOnly alCorte, DateOnly? cumplidoEn = null) =>
        c.ToDto(c.EstaVencido(alCorte), OportunidadDto.De(c.FechaVencimiento, cumplidoEn));

    /// <summary>The compromiso as it stood at the cut-off: the calificación then, and vencido and oportunidad computed from it.</summary>
    public static CompromisoDto ToDto(this CompromisoAlCorte x, DateOnly alCorte) =>
        x.Compromiso.ToDto(Compromiso.EstaVencido(x.Compromiso.FechaVencimiento, x.Calificacion, alCorte),
            OportunidadDto.De(x.Compromiso.FechaVencimiento, x.CumplidoEn)) with
        {
            Calificacion = x.Calificacion,
            FechaCalificacion = x.FechaCalificacion,
        };

    private static string MesDeVencimiento(DateOnly fecha) => Meses.Formatear(fecha);
}
