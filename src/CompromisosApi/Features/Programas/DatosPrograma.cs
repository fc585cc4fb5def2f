namespace CompromisosApi.Features.Programas;

public interface IDatosPrograma
{
    string Nombre { get; }
    int ServicioId { get; }
    int AnioEvaluacion { get; }
    string LineaEvaluacion { get; }
    string? CodigoPresupuestario { get; }
}

public abstract class DatosProgramaValidator<T> : AbstractValidator<T> where T : IDatosPrograma
{
    /// <summary>DIPRES began evaluating programs in 1997; a year after next can't have been evaluated.</summary>
    public const int PrimerAnio = Validacion.PrimerAnioEvaluacion;

    protected DatosProgramaValidator(CompromisosDbContext db, Calendario calendario)
    {
        RuleFor(x => x.Nombre).TextoObligatorio(Validacion.LargoNombrePrograma);
        RuleFor(x => x.ServicioId).Id();
        RuleFor(x => x.AnioEvaluacion)
            .Must(a => a >= PrimerAnio && a <= calendario.Hoy().Year + 1)
            .WithMessage(_ => $"Debe estar entre {PrimerAnio} y {calendario.Hoy().Year + 1}.");
        RuleFor(x => x.LineaEvaluacion).TextoObligatorio(Validacion.LargoCodigoLinea)
            .MustAsync((codigo, ct) => db.LineasEvaluacion.AnyAsync(l => l.Codigo == codigo, ct))
            .WithMessage("No es una línea de evaluación del catálogo (GET /api/v1/lineas-evaluacion).");
        RuleFor(x => x.CodigoPresupuestario).CodigoPrograma();
    }
}

public static class DatosPrograma
{
    /// <summary>
    /// The programa's servicio, read FOR SHARE (its code can't change until this write commits), and the programa's
    /// codigoPresupuestario checked against the servicio's code: 404 without the servicio, 400 naming the field when they disagree.
    /// </summary>
    public static async Task AsegurarServicioAsync(CompromisosDbContext db, IDatosPrograma p, CancellationToken ct)
    {
        var filas = await db.Database.SqlQuery<string?>($"SELECT codigo AS \"Value\" FROM servicios WHERE id = {p.ServicioId} FOR SHARE").ToListAsync(ct);
        if (filas.Count == 0) throw new NoEncontradoException("servicio", p.ServicioId);
        if (CodigosPresupuestarios.Inconsistencia(p.CodigoPresupuestario, filas[0], "su servicio") is { } error)
            throw Validacion.Invalido("codigoPresupuestario", error);
    }
}
