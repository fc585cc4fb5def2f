namespace CompromisosApi.Features.Programas;

public static class CrearProgramaEndpoint
{
    public static RouteHandlerBuilder MapCrearPrograma(this IEndpointRouteBuilder rutas) =>
        rutas.MapPost("", async (ProgramaEntrada body, IMediator m, HttpContext http, CancellationToken ct) =>
            {
                var v = await m.Send(new CrearPrograma(body.Nombre, body.ServicioId, body.AnioEvaluacion, body.LineaEvaluacion, body.CategoriaDesempeno, body.CodigoPresupuestario), ct);
                return Http.CreadoConEtag(http, $"{Http.Base}/programas/{v.Recurso.Id}", v);
            })
            .ConVersion()
            .Documentar("CrearPrograma", "Crea un programa en seguimiento",
                "Un programa (o institución) evaluado en un año, por una línea de evaluación del catálogo. Nace EnSeguimiento.")
            .Errores(400, 404, 409)
            .Requiere(Politicas.Registro);
}

public sealed record CrearPrograma(string Nombre, int ServicioId, int AnioEvaluacion, string LineaEvaluacion, CategoriaDesempeno? CategoriaDesempeno = null, string? CodigoPresupuestario = null)
    : ICommand<Versionado<ProgramaDto>>, IDatosPrograma;

public sealed class CrearProgramaValidator(CompromisosDbContext db, Calendario calendario) : DatosProgramaValidator<CrearPrograma>(db, calendario);

public sealed class CrearProgramaHandler(CompromisosDbContext db, UsuarioActual usuario) : ICommandHandler<CrearPrograma, Versionado<ProgramaDto>>
{
    public async ValueTask<Versionado<ProgramaDto>> Handle(CrearPrograma c, CancellationToken ct)
    {
        await DatosPrograma.AsegurarServicioAsync(db, c, ct);
        var p = new Programa(c.Nombre, c.ServicioId, c.AnioEvaluacion, c.LineaEvaluacion, usuario.Firmar().En, c.CategoriaDesempeno, c.CodigoPresupuestario);
        db.Programas.Add(p);
        await db.SaveChangesAsync(ct);
        return new(p.ToDto(), p.Version);
    }
}
