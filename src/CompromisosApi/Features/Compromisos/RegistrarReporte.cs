namespace CompromisosApi.Features.Compromisos;

public static class RegistrarReporteEndpoint
{
    public static RouteHandlerBuilder MapRegistrarReporte(this IEndpointRouteBuilder rutas) =>
        rutas.MapPost("{id:int}/reportes", async (int id, ReporteEntrada body, IMediator m, CancellationToken ct) =>
            {
                var r = await m.Send(new RegistrarReporte(id, body.Corte, body.Texto), ct);
                return TypedResults.Created($"{Http.Base}/compromisos/{id}/reportes/{r.Id}", r);
            })
            .Documentar("RegistrarReporte", "Registra el cumplimiento informado en un corte",
                "El texto se guarda verbatim (puede ocupar páginas). 409 si el programa egresó. 422 (urn:compromisos:cuota-excedida, " +
                "con cuota y limite) si el compromiso ya tiene el máximo de reportes para ese corte (Cuotas:ReportesPorCompromisoYCorte, 10) " +
                "o los reportes del servicio para ese corte superarían Cuotas:BytesDeTextoPorServicioYCorte (10 MB).")
            .Errores(400, 404, 409, 422)
            .Requiere(Politicas.Evidencia);
}

/// <summary>What the servicio reports of a compromiso at each cut-off, verbatim.</summary>
public sealed record RegistrarReporte(int CompromisoId, DateOnly Corte, string Texto) : ICommand<ReporteDto>;

public sealed class RegistrarReporteValidator : AbstractValidator<RegistrarReporte>
{
    public RegistrarReporteValidator(Calendario calendario)
    {
        RuleFor(x => x.Corte).CorteDeReporte(calendario);
        RuleFor(x => x.Texto).TextoDeReporte();
    }
}

/// <summary>The input rules of a reporte, for the single operation and for a corte's round (RegistrarReportesDeCorte).</summary>
public static class ReglasDeReporte
{
    public static IRuleBuilderOptions<T, DateOnly> CorteDeReporte<T>(this IRuleBuilder<T, DateOnly> regla, Calendario calendario) =>
        regla.EsFechaRazonable().EsCorte(calendario).NoPosteriorAlProximoCorte(calendario);

    /// <summary>Verbatim, never blank.</summary>
    public static IRuleBuilderOptions<T, string?> TextoDeReporte<T>(this IRuleBuilder<T, string?> regla) =>
        regla.TextoObligatorio(Validacion.LargoCumplimiento);
}

public sealed class RegistrarReporteHandler(CompromisosDbContext db, UsuarioActual usuario, Cuotas cuotas) : ICommandHandler<RegistrarReporte, ReporteDto>
{
    public async ValueTask<ReporteDto> Handle(RegistrarReporte c, CancellationToken ct)
    {
        var (programa, compromiso) = await EscrituraDeCompromiso.BloquearAsync(db, c.CompromisoId, null, ct);
        usuario.AsegurarAccesoAServicio(programa.ServicioId);
        EscrituraDeCompromiso.AsegurarCorteDelPrograma(programa, c.Corte);
        await cuotas.AsegurarReporteAsync(programa.ServicioId, compromiso.Id, c.Corte, c.Texto, ct);
        var reporte = new ReporteCumplimiento(compromiso.Id, c.Corte, c.Texto, usuario.Firmar());
        db.Reportes.Add(reporte);
        await db.SaveChangesAsync(ct);
        return reporte.ToDto();
    }
}
