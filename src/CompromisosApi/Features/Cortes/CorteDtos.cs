using CompromisosApi.Features.Compromisos;

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

/// <summary>Una ronda de calificaciones de un corte: todas o ninguna.</summary>
public sealed record CalificacionesDeCorteEntrada
{
    /// <summary>De 1 a 500, cada compromiso a lo más una vez, en el orden en que se registran.</summary>
    [System.ComponentModel.DataAnnotations.MinLength(1)]
    [System.ComponentModel.DataAnnotations.MaxLength(Ronda.MaximoElementos)]
    public required IReadOnlyList<CalificacionDeCorteEntrada> Calificaciones { get; init; }
}

/// <summary>Una calificación de la ronda: la de CalificarCompromiso, fechada en el corte de la ruta.</summary>
public sealed record CalificacionDeCorteEntrada
{
    /// <example>7</example>
    [System.ComponentModel.DataAnnotations.Range(1, int.MaxValue)]
    public required int CompromisoId { get; init; }

    /// <summary>Nueva calificación: Cumplido, ParcialmenteCumplido, NoCumplido o Cancelado.</summary>
    /// <example>Cumplido</example>
    public required Calificacion Calificacion { get; init; }

    /// <summary>Observación del analista. Obligatoria para Cancelado salvo que un reporte del mismo corte, ya registrado, explique el motivo.</summary>
    /// <example>Idem compromiso 1.1.</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoTexto)]
    public string? Observacion { get; init; }
}

/// <summary>Las calificaciones registradas por la ronda, en el orden de la solicitud.</summary>
public sealed record CalificacionesDeCorteDto
{
    [System.ComponentModel.DataAnnotations.MaxLength(Ronda.MaximoElementos)]
    public required IReadOnlyList<CalificacionRegistradaDto> Items { get; init; }
}

/// <summary>Una ronda de reportes de cumplimiento de un corte: todos o ninguno.</summary>
public sealed record ReportesDeCorteEntrada
{
    /// <summary>De 1 a 500, cada compromiso a lo más una vez, en el orden en que se registran.</summary>
    [System.ComponentModel.DataAnnotations.MinLength(1)]
    [System.ComponentModel.DataAnnotations.MaxLength(Ronda.MaximoElementos)]
    public required IReadOnlyList<ReporteDeCorteEntrada> Reportes { get; init; }
}

/// <summary>Un reporte de la ronda: el de RegistrarReporte, para el corte de la ruta.</summary>
public sealed record ReporteDeCorteEntrada
{
    /// <example>7</example>
    [System.ComponentModel.DataAnnotations.Range(1, int.MaxValue)]
    public required int CompromisoId { get; init; }

    /// <summary>Texto verbatim del cumplimiento.</summary>
    /// <example>Cada tipo de cliente del nuevo instrumento puede permanecer hasta tres años recibiendo el Servicio.</example>
    [System.ComponentModel.DataAnnotations.MaxLength(Validacion.LargoCumplimiento)]
    [NoEnBlanco]
    public required string Texto { get; init; }
}

/// <summary>Los reportes registrados por la ronda, en el orden de la solicitud.</summary>
public sealed record ReportesDeCorteDto
{
    [System.ComponentModel.DataAnnotations.MaxLength(Ronda.MaximoElementos)]
    public required IReadOnlyList<ReporteDto> Items { get; init; }
}

/// <summary>The input rules shared by both rounds of a corte.</summary>
public static class ReglasDeRonda
{
    /// <summary>1 to 500 items, none null, each compromiso at most once (the repeated one named at its path).</summary>
    public static void ListaDeRonda<T, TElemento>(this AbstractValidator<T> v, System.Linq.Expressions.Expression<Func<T, IEnumerable<TElemento>>> lista,
        string nombre, Func<TElemento, int> compromisoId)
    {
        v.RuleFor(lista).Must(l => l.Count() is >= 1 and <= Ronda.MaximoElementos)
            .WithMessage($"Debe tener entre 1 y {Ronda.MaximoElementos} elementos.");
        v.RuleForEach(lista).NotNull().WithMessage("No puede ser null.");
        v.RuleFor(lista).Custom((todos, ctx) =>
        {
            var elementos = todos.ToList();
            var primero = new Dictionary<int, int>();
            for (var i = 0; i < elementos.Count; i++)
            {
                if (elementos[i] is not { } e) continue;
                var id = compromisoId(e);
                if (primero.TryAdd(id, i)) continue;
                ctx.AddFailure(new FluentValidation.Results.ValidationFailure($"{nombre}[{i}].compromisoId",
                    $"El compromiso {id} ya está en {nombre}[{primero[id]}]: cada compromiso va a lo más una vez en la ronda."));
            }
        });
    }
}
