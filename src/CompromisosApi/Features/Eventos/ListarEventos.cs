
namespace CompromisosApi.Features.Eventos;

public static class ListarEventosEndpoint
{
    // Public like every read (the events hold nothing the GETs don't show), closed with Autorizacion:LecturaPublica.
    public static RouteHandlerBuilder MapListarEventos(this IEndpointRouteBuilder rutas) =>
        rutas.MapGet($"{Http.Base}/eventos", async ([AsParameters] ListarEventos q, IMediator m, CancellationToken ct) => TypedResults.Ok(await m.Send(q, ct)))
            .WithTags("Eventos")
            .Documentar("ListarEventos", "Fuente de eventos del registro (CloudEvents)",
                "Cada cambio confirmado del registro deja un evento en la misma transacción (programa.creado, programa.actualizado, " +
                "programa.egresado, programa.reabierto, recomendacion.creada, recomendacion.actualizada, compromiso.creado, " +
                "compromiso.actualizado, compromiso.calificado, calificacion.corregida, compromiso.vencido, reporte.registrado, " +
                "medio.registrado, programa.egreso-propuesto; y corte.recordatorio, que avisa a un servicio con compromisos pendientes " +
                "de reportar Calendario:DiasAvisoRecordatorio días antes del plazo de un corte), como CloudEvents 1.0 en JSON. Se sirven en el orden en que se confirmaron, numerados sin huecos " +
                "(secuencia): un sistema que sondea guarda nextCursor y vuelve con desde=nextCursor; nunca se salta un evento, aunque " +
                "se confirmen escrituras concurrentes. Un evento de una transacción revertida no existe.")
            .Errores(400)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
}

/// <summary>Una página de la fuente de eventos.</summary>
public sealed record PaginaEventos
{
    public required IReadOnlyList<CloudEvent> Items { get; init; }

    /// <summary>
    /// Cursor para la próxima consulta (parámetro desde). Siempre presente, también al final: quien sondea lo guarda y
    /// vuelve con él más tarde para recibir solo lo nuevo.
    /// </summary>
    [System.ComponentModel.DataAnnotations.MaxLength(Paginacion.LargoMaximoCursor)]
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
        RuleFor(x => x.Desde).MaximumLength(Paginacion.LargoMaximoCursor).WithMessage("desde no es válido: use el nextCursor de la consulta anterior.");
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
