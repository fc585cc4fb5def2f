using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace CompromisosApi.Features.Trazas;

public static class ListarTrazasEndpoint
{
    public static RouteHandlerBuilder MapListarTrazas(this IEndpointRouteBuilder rutas) =>
        rutas.MapGet("", async ([AsParameters] ListarTrazas q, IMediator m, CancellationToken ct) => TypedResults.Ok(await m.Send(q, ct)))
            .Documentar("ListarTrazas", "Lista las trazas de las transacciones",
                "Una traza por cada solicitud a la API, lecturas y rechazos incluidos (4xx, 429, 5xx): instante UTC, operación, ruta y " +
                "recurso, organismo solicitante, RUN del funcionario, procedimiento, id de transacción de la red, trace id, sujeto del " +
                "token, estado HTTP, resultado (exito o error), tipo del problema y código del proveedor. Nunca el cuerpo ni la consulta. " +
                "Se escriben en lotes fuera de la solicitud: una traza aparece en la lista unos cientos de milisegundos después de su " +
                "respuesta. Filtros: desde y hasta (instantes, inclusive), organismo, run, transaccionId y operacion (operationId). " +
                "Paginada con cursor en orden de id (el orden de escritura). Solo administradores.")
            .Errores(400)
            .Requiere(Politicas.Trazas);
}

/// <param name="Limit" example="50">Tamaño de página, 1 a 200 (por omisión 50).</param>
/// <param name="Cursor">El nextCursor de la página anterior.</param>
/// <param name="Desde" example="2026-01-01T00:00:00Z">Desde este instante, inclusive.</param>
/// <param name="Hasta" example="2026-12-31T23:59:59Z">Hasta este instante, inclusive.</param>
/// <param name="Organismo" example="13.01">Código del organismo solicitante.</param>
/// <param name="Run" example="12345678-5">RUN del funcionario (sin puntos, con guion y dígito verificador).</param>
/// <param name="TransaccionId" example="0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b">Id de la transacción en la red.</param>
/// <param name="Operacion" example="ObtenerPrograma">operationId de la operación.</param>
public sealed record ListarTrazas(
    int? Limit,
    string? Cursor,
    DateTimeOffset? Desde,
    DateTimeOffset? Hasta,
    [property: MaxLength(Interoperabilidad.LargoOrganismo), Patron(Interoperabilidad.PatronOrganismo)] string? Organismo,
    [property: MaxLength(Interoperabilidad.LargoRun), Patron(Interoperabilidad.PatronRun)] string? Run,
    [property: MaxLength(Interoperabilidad.LargoTransaccion), Patron(Interoperabilidad.PatronTransaccion)] string? TransaccionId,
    [property: MaxLength(ListarTrazasValidator.LargoOperacion), Patron(ListarTrazasValidator.PatronOperacion)] string? Operacion)
    : IQuery<Pagina<TrazaDto>>, IPaginada;

public sealed partial class ListarTrazasValidator : AbstractValidator<ListarTrazas>
{
    public ListarTrazasValidator()
    {
        this.ReglasDePaginacion();
        RuleFor(x => x.Organismo).Must(o => o is null || (o.Length <= Interoperabilidad.LargoOrganismo && Codigo().IsMatch(o)))
            .WithMessage("Debe ser un código de organismo: letras, dígitos, punto, guion o guion bajo, hasta 50 caracteres.");
        RuleFor(x => x.Run).Must(r => r is null || Interoperabilidad.RunValido(r) is not null)
            .WithMessage("Debe ser un RUN sin puntos, con guion y dígito verificador correcto (p. ej. 12345678-5).");
        RuleFor(x => x.TransaccionId).Must(t => t is null || (t.Length <= Interoperabilidad.LargoTransaccion && Transaccion().IsMatch(t)))
            .WithMessage("Debe ser un id de transacción: letras, dígitos y . _ : -, hasta 100 caracteres.");
        RuleFor(x => x.Operacion).Must(o => o is null || OperationId().IsMatch(o))
            .WithMessage("Debe ser un operationId del contrato (letras y dígitos, hasta 100).");
        RuleFor(x => x.Hasta).Must((x, h) => h is null || x.Desde is null || x.Desde <= h).WithMessage("hasta no puede ser anterior a desde.");
    }

    [GeneratedRegex(Interoperabilidad.PatronOrganismo)]
    private static partial Regex Codigo();

    [GeneratedRegex(Interoperabilidad.PatronTransaccion)]
    private static partial Regex Transaccion();

    public const int LargoOperacion = 100;
    private const string Operacion = "^[A-Za-z][A-Za-z0-9]{0,99}";
    public const string PatronOperacion = Operacion + "$";

    // \z: .NET's $ also matches before a final newline.
    [GeneratedRegex(Operacion + @"\z")]
    private static partial Regex OperationId();
}

public sealed class ListarTrazasHandler(CompromisosDbContext db) : IQueryHandler<ListarTrazas, Pagina<TrazaDto>>
{
    public async ValueTask<Pagina<TrazaDto>> Handle(ListarTrazas q, CancellationToken ct)
    {
        var despues = q.Despues() ?? 0;
        var consulta = db.Trazas.AsNoTracking().Where(t => t.Id > despues);
        // Npgsql takes only UTC for timestamptz; the dates also let PostgreSQL skip the months outside them.
        if (q.Desde is { } desde) consulta = consulta.Where(t => t.OcurridaEn >= desde.ToUniversalTime());
        if (q.Hasta is { } hasta) consulta = consulta.Where(t => t.OcurridaEn <= hasta.ToUniversalTime());
        if (q.Organismo is not null) consulta = consulta.Where(t => t.OrganismoSolicitante == q.Organismo);
        if (Interoperabilidad.RunValido(q.Run) is { } run) consulta = consulta.Where(t => t.FuncionarioRun == run);
        if (q.TransaccionId is not null) consulta = consulta.Where(t => t.TransaccionId == q.TransaccionId);
        if (q.Operacion is not null) consulta = consulta.Where(t => t.Operacion == q.Operacion);
        var filas = await consulta.OrderBy(t => t.Id).Take(q.Limite() + 1).ToListAsync(ct);
        return Paginacion.Cortar(filas, q.Limite(), t => t.Id, TrazaDto.Desde);
    }
}
