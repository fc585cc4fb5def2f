using CompromisosApi.Features.Compromisos;

namespace CompromisosApi.Features.Cortes;

public static class RegistrarReportesDeCorteEndpoint
{
    public static RouteHandlerBuilder MapRegistrarReportesDeCorte(this IEndpointRouteBuilder rutas) =>
        rutas.MapPost("cortes/{fecha}/reportes", async (DateOnly fecha, ReportesDeCorteEntrada body, HttpContext http, IMediator m, CancellationToken ct) =>
            {
                ParametrosEstrictos.AsegurarFechaDeRuta(http, "fecha");
                return TypedResults.Created((string?)null, await m.Send(new RegistrarReportesDeCorte(fecha, body.Reportes), ct));
            })
            .Documentar("RegistrarReportesDeCorte", "Registra una ronda de reportes de cumplimiento de un corte, todo o nada",
                "Registra de una vez el cumplimiento de hasta 500 compromisos (cada uno a lo más una vez) para el corte de la ruta, que debe " +
                "ser un corte del calendario no posterior al próximo (400 que nombra fecha). Los textos se guardan verbatim. Cada elemento se " +
                "comprueba con las mismas reglas que RegistrarReporte (programa no egresado, corte no anterior al año de evaluación del " +
                "programa, cuotas de Cuotas:ReportesPorCompromisoYCorte y Cuotas:BytesDeTextoPorServicioYCorte, contando los elementos " +
                "anteriores de la ronda como ya registrados). Un token de servicio solo puede nombrar compromisos de su servicio: si uno " +
                "no lo es, o no existe, la ronda entera responde 403 sin decir cuál (no revela qué ids existen en otros servicios). Si " +
                "algún elemento falla no se escribe nada y la respuesta (urn:compromisos:ronda-rechazada) lista en items cada elemento " +
                "que falla, por su índice, con el estado y el tipo de problema que la operación individual le daría (400, 404, 409, 422); " +
                "el estado de la respuesta es el menor de ellos (un 400 trae además errors con la ruta de cada elemento que falla). Los " +
                "datos mal formados (lista vacía o de más de 500, un compromiso repetido, un texto en blanco) son 400 con la ruta de cada " +
                "uno (reportes[3].compromisoId). Con éxito, 201 con los reportes creados en el orden de la solicitud y sin Location (cada " +
                "uno se lee en /compromisos/{id}/reportes/{reporteId}); la bitácora y la fuente de eventos registran cada uno como si se " +
                "hubiera enviado solo (una entrada de auditoría y un reporte.registrado por elemento).")
            .Errores(400)
            .ErroresPorElemento(404, 409, 422)
            .CreaVarios()
            .Requiere(Politicas.Evidencia);
}

/// <summary>A round of reportes for one corte: every item with the rules of <see cref="RegistrarReporte"/>, all or nothing.</summary>
public sealed record RegistrarReportesDeCorte(DateOnly Fecha, IReadOnlyList<ReporteDeCorteEntrada> Reportes) : ICommand<ReportesDeCorteDto>;

public sealed class RegistrarReportesDeCorteValidator : AbstractValidator<RegistrarReportesDeCorte>
{
    public RegistrarReportesDeCorteValidator(Calendario calendario)
    {
        RuleFor(x => x.Fecha).CorteDeReporte(calendario);
        this.ListaDeRonda(x => x.Reportes, "reportes", r => r.CompromisoId);
        RuleForEach(x => x.Reportes).ChildRules(r =>
        {
            r.RuleFor(x => x.CompromisoId).Id();
            r.RuleFor(x => x.Texto).TextoDeReporte();
        });
    }
}

public sealed class RegistrarReportesDeCorteHandler(CompromisosDbContext db, UsuarioActual usuario, Cuotas cuotas)
    : ICommandHandler<RegistrarReportesDeCorte, ReportesDeCorteDto>
{
    /// <summary>The same words whichever id is foreign or unknown, and whatever it is: nothing about other servicios' records leaks.</summary>
    private const string Ajenos =
        "La ronda nombra al menos un compromiso que no es de su servicio: solo puede registrar reportes de los compromisos de su propio servicio. Nada se registró.";

    public async ValueTask<ReportesDeCorteDto> Handle(RegistrarReportesDeCorte c, CancellationToken ct)
    {
        var ids = c.Reportes.Select(x => x.CompromisoId).ToList();
        // Before any lock: a servicio token can't lock (or time) another servicio's rows. An unknown id is refused like a
        // foreign one, and before any other check of any item, so no answer tells them apart.
        var servicioDe = await db.Compromisos.Where(x => ids.Contains(x.Id))
            .Join(db.Programas, x => x.ProgramaId, p => p.Id, (x, p) => new { x.Id, p.ServicioId })
            .ToDictionaryAsync(x => x.Id, x => x.ServicioId, ct);
        AsegurarPropios(ids, id => servicioDe.TryGetValue(id, out var s) ? s : null);

        var bloqueados = await EscrituraDeCompromiso.BloquearVariosAsync(db, ids, ct);
        // Again on the locked rows: a programa may have changed servicio in between.
        AsegurarPropios(ids, id => bloqueados.TryGetValue(id, out var par) ? par.Programa.ServicioId : null);

        var ronda = new Ronda("reportes");
        var aCuota = new List<(int Indice, ReporteACuota Reporte)>();
        for (var i = 0; i < c.Reportes.Count; i++)
        {
            var item = c.Reportes[i];
            ronda.Intentar(i, item.CompromisoId, () =>
            {
                var (programa, compromiso) = EscrituraDeCompromiso.Escribible(bloqueados, item.CompromisoId);
                EscrituraDeCompromiso.AsegurarCorteDelPrograma(programa, c.Fecha);
                aCuota.Add((i, new ReporteACuota(programa.ServicioId, compromiso.Id, item.Texto)));
            });
        }

        var cuotasExcedidas = await cuotas.VerificarReportesAsync(c.Fecha, aCuota.Select(x => x.Reporte).ToList(), ct);
        for (var k = 0; k < aCuota.Count; k++)
        {
            if (cuotasExcedidas[k] is { } excedida) ronda.Rechazar(aCuota[k].Indice, aCuota[k].Reporte.CompromisoId, excedida);
        }

        ronda.AsegurarSinRechazos(c.Reportes.Count);
        var autoria = usuario.Firmar();
        var reportes = aCuota.Select(x => new ReporteCumplimiento(x.Reporte.CompromisoId, c.Fecha, x.Reporte.Texto, autoria)).ToList();
        await db.GuardarRondaAsync(ids, reportes, ct);
        return new ReportesDeCorteDto { Items = reportes.Select(r => r.ToDto()).ToList() };
    }

    private void AsegurarPropios(IEnumerable<int> ids, Func<int, int?> servicioDe)
    {
        if (ids.Any(id => !usuario.PuedeEscribirEnServicio(servicioDe(id)))) throw new ProhibidoException(Ajenos);
    }
}
