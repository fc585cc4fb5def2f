using CompromisosApi.Features.Compromisos;

namespace CompromisosApi.Features.Cortes;

public static class CalificarCorteEndpoint
{
    public static RouteHandlerBuilder MapCalificarCorte(this IEndpointRouteBuilder rutas) =>
        rutas.MapPost("cortes/{fecha}/calificaciones", async (DateOnly fecha, CalificacionesDeCorteEntrada body, HttpContext http, IMediator m, CancellationToken ct) =>
            {
                ParametrosEstrictos.AsegurarFechaDeRuta(http, "fecha");
                return TypedResults.Created((string?)null, await m.Send(new CalificarCorte(fecha, body.Calificaciones), ct));
            })
            .Documentar("CalificarCorte", "Califica una ronda de compromisos en un corte, todo o nada",
                "Registra de una vez las calificaciones de hasta 500 compromisos (cada uno a lo más una vez), fechadas en el corte de la " +
                "ruta, que debe ser un corte del calendario ya ocurrido (400 que nombra fecha). Cada elemento se comprueba con las mismas " +
                "reglas que CalificarCompromiso (transiciones, Cancelado con motivo: la observación o un reporte de ese corte ya registrado, " +
                "fecha no anterior a la calificación previa, programa no egresado); If-Match no aplica: la ronda es su propia unidad. " +
                "Si algún elemento falla no se escribe nada y la respuesta (urn:compromisos:ronda-rechazada) lista en items cada elemento " +
                "que falla, por su índice, con el estado y el tipo de problema que la operación individual le daría (404 si el compromiso " +
                "no existe, 409 urn:compromisos:regla:<regla>); el estado de la respuesta es el menor de ellos. Los datos mal formados " +
                "(lista vacía o de más de 500, un compromiso repetido, una calificación desconocida) son 400 con la ruta de cada uno " +
                "(calificaciones[3].compromisoId). Con éxito, 201 con las calificaciones creadas en el orden de la solicitud y sin " +
                "Location (cada una se lee en /compromisos/{id}/calificaciones/{calificacionId}); la bitácora y la fuente de eventos " +
                "registran cada una como si se hubiera enviado sola (una entrada de auditoría y un compromiso.calificado por elemento). " +
                "Los compromisos se bloquean en orden de id, así que una ronda y calificaciones individuales simultáneas sobre los mismos " +
                "compromisos se aplican una después de otra, sin pérdidas.")
            .Errores(400)
            .ErroresPorElemento(404, 409)
            .CreaVarios()
            .Requiere(Politicas.Registro);
}

/// <summary>A round of calificaciones at one corte: every item with the rules of <see cref="CalificarCompromiso"/>, all or nothing.</summary>
public sealed record CalificarCorte(DateOnly Fecha, IReadOnlyList<CalificacionDeCorteEntrada> Calificaciones) : ICommand<CalificacionesDeCorteDto>;

public sealed class CalificarCorteValidator : AbstractValidator<CalificarCorte>
{
    public CalificarCorteValidator(Calendario calendario)
    {
        RuleFor(x => x.Fecha).FechaDeCalificacion(calendario);
        this.ListaDeRonda(x => x.Calificaciones, "calificaciones", c => c.CompromisoId);
        RuleForEach(x => x.Calificaciones).ChildRules(c =>
        {
            c.RuleFor(x => x.CompromisoId).Id();
            c.RuleFor(x => x.Calificacion).EsCalificacion();
            c.RuleFor(x => x.Observacion).ObservacionDeCalificacion();
        });
    }
}

public sealed class CalificarCorteHandler(CompromisosDbContext db, UsuarioActual usuario) : ICommandHandler<CalificarCorte, CalificacionesDeCorteDto>
{
    public async ValueTask<CalificacionesDeCorteDto> Handle(CalificarCorte c, CancellationToken ct)
    {
        var ids = c.Calificaciones.Select(x => x.CompromisoId).ToList();
        // Every row stays locked until commit: a single calificación of one of them waits for the round, or the round
        // for it, and each sees what the other left.
        var bloqueados = await EscrituraDeCompromiso.BloquearVariosAsync(db, ids, ct);
        var conReporte = await EscrituraDeCompromiso.ConReporteEnElCorteAsync(db, ids, c.Fecha, ct);
        var autoria = usuario.Firmar();
        var ronda = new Ronda("calificaciones");
        var registros = new List<RegistroCalificacion>();
        for (var i = 0; i < c.Calificaciones.Count; i++)
        {
            var item = c.Calificaciones[i];
            ronda.Intentar(i, item.CompromisoId, () =>
            {
                var (_, compromiso) = EscrituraDeCompromiso.Escribible(bloqueados, item.CompromisoId);
                registros.Add(compromiso.Calificar(item.Calificacion, c.Fecha, item.Observacion, conReporte.Contains(item.CompromisoId), autoria));
            });
        }

        ronda.AsegurarSinRechazos(c.Calificaciones.Count);
        await db.GuardarRondaAsync(ids, registros, ct);
        return new CalificacionesDeCorteDto { Items = registros.Select(r => r.ToDto()).ToList() };
    }
}
