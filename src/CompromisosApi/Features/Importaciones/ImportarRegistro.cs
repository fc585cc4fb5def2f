using System.Security.Cryptography;
using System.Text.Json;
using CompromisosApi.Features.Compromisos;
using FluentValidation.Results;

namespace CompromisosApi.Features.Importaciones;

public static class ImportarRegistroEndpoint
{
    public static RouteHandlerBuilder MapImportarRegistro(this IEndpointRouteBuilder rutas) =>
        rutas.MapPost("", async Task<Microsoft.AspNetCore.Http.HttpResults.Results<
                Microsoft.AspNetCore.Http.HttpResults.Created<ResultadoImportacion>,
                Microsoft.AspNetCore.Http.HttpResults.Ok<ResultadoImportacion>>> (DocumentoImportacion documento, IMediator m, CancellationToken ct) =>
            {
                var r = await m.Send(documento, ct);
                return r.Creado ? TypedResults.Created($"{Http.Base}/programas/{r.ProgramaId}", r) : TypedResults.Ok(r);
            })
            .Documentar("ImportarRegistro", "Importa el registro completo de un programa",
                "Guarda en una sola transacción (todo o nada) un registro histórico: ministerio y servicio (se reutilizan si ya " +
                "existen con el mismo nombre), programa, recomendaciones, compromisos con sus reportes, medios de verificación y " +
                "calificaciones, y el egreso si lo hubo. Los textos se guardan verbatim y el historial se valida con las mismas reglas " +
                "del registro. Todos los problemas del documento se informan juntos en errors, cada uno con su ruta JSON (400). " +
                "Importar de nuevo el mismo documento no lo duplica: responde 200 con lo ya importado; otro documento para el mismo " +
                "programa (servicio, año, línea y nombre) responde 409. Importar exige los roles de las operaciones individuales " +
                "equivalentes: crear el ministerio o el servicio, administrador; el programa con sus recomendaciones, compromisos, " +
                "reportes, medios y calificaciones, y el egreso, analista (un token con ambos roles importa el registro completo). " +
                "Si el token no tiene alguno, responde 403 (urn:compromisos:importacion-no-autorizada), no escribe nada y lista en " +
                "rechazos cada elemento del documento con la operación equivalente y el rol que exige.")
            .Errores(400, 409)
            .Requiere(Politicas.Importacion)
            .Produces<ProblemaImportacionNoAutorizada>(StatusCodes.Status403Forbidden, "application/problem+json");
}

/// <summary>
/// Every problem of the document at once, each at its JSON path: the structure first, then the record's own rules
/// (numbering, the calificación history, the egreso) replayed in memory on the domain entities, so a legacy record
/// is held to the same rules as one built through the API.
/// </summary>
public sealed class DocumentoImportacionValidator : AbstractValidator<DocumentoImportacion>
{
    private const int MaximoElementos = 500;

    public DocumentoImportacionValidator(CompromisosDbContext db, Calendario calendario)
    {
        RuleFor(x => x.Ministerio).TextoObligatorio(Validacion.LargoNombre);
        RuleFor(x => x.Servicio.Nombre).TextoObligatorio(Validacion.LargoNombre).OverridePropertyName("servicio.nombre");
        RuleFor(x => x.Servicio.Sigla).TextoOpcional(Validacion.LargoSigla).OverridePropertyName("servicio.sigla");
        RuleFor(x => x.Programa.Nombre).TextoObligatorio(Validacion.LargoNombrePrograma).OverridePropertyName("programa.nombre");
        RuleFor(x => x.Programa.AnioEvaluacion)
            .Must(a => a >= Validacion.PrimerAnioEvaluacion && a <= calendario.Hoy().Year).WithMessage($"Debe estar entre {Validacion.PrimerAnioEvaluacion} y el año en curso.")
            .OverridePropertyName("programa.anioEvaluacion");
        RuleFor(x => x.Programa.LineaEvaluacion).Cascade(CascadeMode.Stop).TextoObligatorio(Validacion.LargoCodigoLinea)
            .MustAsync((codigo, ct) => db.LineasEvaluacion.AnyAsync(l => l.Codigo == codigo, ct))
            .WithMessage("No es una línea de evaluación del catálogo (GET /api/v1/lineas-evaluacion).")
            .OverridePropertyName("programa.lineaEvaluacion");
        CodigosDeImportacion.Reglas(this);
        RuleFor(x => x.Recomendaciones).NotEmpty().WithMessage("El registro no tiene recomendaciones.")
            .Must(r => r.Count <= MaximoElementos).WithMessage($"A lo más {MaximoElementos}.");
        RuleForEach(x => x.Recomendaciones).NotNull().WithMessage("No puede ser null.").ChildRules(r =>
        {
            r.RuleFor(x => x.Texto).TextoObligatorio(Validacion.LargoTexto);
            r.RuleFor(x => x.Compromisos).Must(c => c.Count <= MaximoElementos).WithMessage($"A lo más {MaximoElementos}.");
            r.RuleForEach(x => x.Compromisos).NotNull().WithMessage("No puede ser null.").ChildRules(c =>
            {
                c.Include(new DatosDeCompromisoImportado());
                c.RuleForEach(x => x.Reportes).NotNull().WithMessage("No puede ser null.").ChildRules(rep =>
                {
                    rep.RuleFor(x => x.Corte).EsFechaRazonable();
                    rep.RuleFor(x => x.Texto).TextoObligatorio(Validacion.LargoCumplimiento);
                });
                c.RuleForEach(x => x.MediosVerificacion).NotNull().WithMessage("No puede ser null.").ChildRules(m =>
                {
                    m.RuleFor(x => x.Titulo).TextoObligatorio(Validacion.LargoTitulo);
                    m.RuleFor(x => x.Corte).EsFechaRazonable();
                });
                c.RuleForEach(x => x.Calificaciones).NotNull().WithMessage("No puede ser null.").ChildRules(cal =>
                {
                    cal.RuleFor(x => x.Fecha).EsFechaRazonable().NoFutura(calendario);
                    cal.RuleFor(x => x.Observacion).TextoOpcional(Validacion.LargoTexto);
                });
            });
        });
        RuleFor(x => x.FechaEgreso!.Value).NoFutura(calendario).OverridePropertyName("fechaEgreso").When(x => x.FechaEgreso is not null);
        RuleFor(x => x).Custom(ReglasDelRegistro);
    }

    /// <summary>A compromiso's text and due month, held to the rules of one registered through the API.</summary>
    private sealed class DatosDeCompromisoImportado : DatosCompromisoValidator<CompromisoImportado>;

    private static void ReglasDelRegistro(DocumentoImportacion doc, ValidationContext<DocumentoImportacion> ctx)
    {
        // JSON nulls inside lists are reported by the rules above; the replay skips what it can't read.
        var compromisos = new List<Compromiso>();
        var legibles = true;
        for (var i = 0; i < doc.Recomendaciones.Count; i++)
        {
            var r = doc.Recomendaciones[i];
            if (r?.Compromisos is null)
            {
                legibles = false;
                continue;
            }

            if (r.Numero != i + 1)
                ctx.AddFailure(new ValidationFailure($"recomendaciones[{i}].numero", $"Debe ser {i + 1}: las recomendaciones se numeran en orden."));

            var recomendacion = new Recomendacion(0, i + 1, r.Texto, Replay.En);
            for (var j = 0; j < r.Compromisos.Count; j++)
            {
                var c = r.Compromisos[j];
                if (c is null || c.Calificaciones.Contains(null!) || c.Reportes.Contains(null!))
                {
                    legibles = false;
                    continue;
                }

                var ruta = $"recomendaciones[{i}].compromisos[{j}]";
                if (c.Numero != $"{i + 1}.{j + 1}")
                    ctx.AddFailure(new ValidationFailure($"{ruta}.numero", $"Debe ser {i + 1}.{j + 1}: los compromisos se numeran en orden dentro de su recomendación."));

                var compromiso = new Compromiso(recomendacion, j + 1, c.Texto, Meses.TryParse(c.FechaVencimiento, out var mes) ? mes : default, Replay.En);
                // A history that breaks a rule stops at its last valid calificación, which still counts for egreso.
                AplicarHistorial(compromiso, c, (k, e) => ctx.AddFailure(new ValidationFailure($"{ruta}.calificaciones[{k}]", e.Message)));
                compromisos.Add(compromiso);
            }
        }

        if (doc.FechaEgreso is { } fecha && legibles)
        {
            try
            {
                new Programa(doc.Programa.Nombre, 0, doc.Programa.AnioEvaluacion, doc.Programa.LineaEvaluacion, Replay.En).Egresar(compromisos, fecha, Replay);
            }
            catch (ReglaException e)
            {
                ctx.AddFailure(new ValidationFailure("fechaEgreso", e.Message));
            }
        }
    }

    private static readonly Autoria Replay = new("validación", DateTimeOffset.UnixEpoch);

    /// <summary>Replays a compromiso's calificaciones in order through the domain's state machine.</summary>
    private static void AplicarHistorial(Compromiso compromiso, CompromisoImportado c, Action<int, ReglaException> alFallar)
    {
        for (var k = 0; k < c.Calificaciones.Count; k++)
        {
            var cal = c.Calificaciones[k];
            try
            {
                compromiso.Calificar(cal.Calificacion, cal.Fecha, cal.Observacion, c.Reportes.Any(r => r.Corte == cal.Fecha), Replay);
            }
            catch (ReglaException e)
            {
                alFallar(k, e);
                return;
            }
        }
    }
}

public sealed class ImportarRegistroHandler(CompromisosDbContext db, UsuarioActual usuario) : ICommandHandler<DocumentoImportacion, ResultadoImportacion>
{
    public async ValueTask<ResultadoImportacion> Handle(DocumentoImportacion doc, CancellationToken ct)
    {
        var sha = Huella(doc);
        // Two identical imports at once: the second waits here and then finds the first.
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({sha}, 0))", ct);
        var previa = await db.Importaciones.Where(i => i.Sha256 == sha).Select(i => (int?)i.ProgramaId).FirstOrDefaultAsync(ct);
        if (previa is { } id) return await ResumenAsync(id, creado: false, ct);

        // FOR SHARE: the codes checked against them (CodigosDeImportacion) can't change until the import commits.
        var ministerio = (await db.Ministerios.FromSql($"SELECT *, xmin FROM ministerios WHERE nombre = {doc.Ministerio} FOR SHARE").ToListAsync(ct)).SingleOrDefault();
        var servicio = ministerio is null ? null
            : (await db.Servicios.FromSql($"SELECT *, xmin FROM servicios WHERE ministerio_id = {ministerio.Id} AND nombre = {doc.Servicio.Nombre} FOR SHARE")
                .ToListAsync(ct)).SingleOrDefault();
        CodigosDeImportacion.Asegurar(doc, ministerio, servicio);
        // Before the first write, so a refused import writes nothing. The system's own loads (the demo) are no caller's.
        if (usuario.EnSolicitud
            && RolesDeImportacion.Rechazos(doc, ministerio is null, servicio is null, usuario.TieneRol) is { Count: > 0 } rechazos)
        {
            throw RolesDeImportacion.Problema(rechazos);
        }

        if (ministerio is null)
        {
            ministerio = new Ministerio(doc.Ministerio, doc.MinisterioCodigo);
            db.Ministerios.Add(ministerio);
            await db.SaveChangesAsync(ct);
        }

        if (servicio is null)
        {
            servicio = new Servicio(doc.Servicio.Nombre, doc.Servicio.Sigla, ministerio.Id, doc.Servicio.Codigo);
            db.Servicios.Add(servicio);
            await db.SaveChangesAsync(ct);
        }

        var p = doc.Programa;
        if (await db.Programas.AnyAsync(x => x.ServicioId == servicio.Id && x.AnioEvaluacion == p.AnioEvaluacion
                && x.LineaEvaluacion == p.LineaEvaluacion && x.Nombre == p.Nombre, ct))
        {
            throw new ReglaException(Reglas.Duplicado, "El programa ya tiene un registro distinto",
                $"Ya existe \"{p.Nombre}\" ({p.LineaEvaluacion} {p.AnioEvaluacion}) de ese servicio con un registro distinto del documento; nada se importó.");
        }

        // One instant for the whole document: it enters the record at once, as one write.
        var autoria = usuario.Firmar();
        var programa = new Programa(p.Nombre, servicio.Id, p.AnioEvaluacion, p.LineaEvaluacion, autoria.En, p.CategoriaDesempeno, p.CodigoPresupuestario);
        db.Programas.Add(programa);
        await db.SaveChangesAsync(ct);

        var recomendaciones = doc.Recomendaciones.Select((r, i) => new Recomendacion(programa.Id, i + 1, r.Texto, autoria.En)).ToList();
        db.Recomendaciones.AddRange(recomendaciones);
        await db.SaveChangesAsync(ct);

        var pares = doc.Recomendaciones
            .SelectMany((r, i) => r.Compromisos.Select((c, j) => (Datos: c, Entidad: new Compromiso(recomendaciones[i], j + 1, c.Texto, Meses.Parse(c.FechaVencimiento), autoria.En, c.Tipo, c.Prioritario ?? false))))
            .ToList();
        db.Compromisos.AddRange(pares.Select(x => x.Entidad));
        await db.SaveChangesAsync(ct);

        foreach (var (datos, compromiso) in pares)
        {
            db.Reportes.AddRange(datos.Reportes.Select(r => new ReporteCumplimiento(compromiso.Id, r.Corte, r.Texto, autoria)));
            db.MediosVerificacion.AddRange(datos.MediosVerificacion.Select(m => new MedioVerificacion(compromiso.Id, m.Titulo, m.Corte, autoria)));
            foreach (var cal in datos.Calificaciones)
            {
                // Validated already: the replay can't fail here.
                db.Calificaciones.Add(compromiso.Calificar(cal.Calificacion, cal.Fecha, cal.Observacion, datos.Reportes.Any(r => r.Corte == cal.Fecha), autoria));
            }
        }

        if (doc.FechaEgreso is { } fecha) db.Egresos.Add(programa.Egresar(pares.Select(x => x.Entidad).ToList(), fecha, autoria));
        db.Importaciones.Add(new Importacion(programa.Id, sha, autoria.En));
        await db.SaveChangesAsync(ct);
        return await ResumenAsync(programa.Id, creado: true, ct);
    }

    /// <summary>SHA-256 of the document as parsed, so spacing and key order of the sent JSON don't matter.</summary>
    private static string Huella(DocumentoImportacion doc) =>
        Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(doc, JsonDelRegistro.Opciones)));

    private async Task<ResultadoImportacion> ResumenAsync(int programaId, bool creado, CancellationToken ct)
    {
        var compromisos = db.Compromisos.Where(c => c.ProgramaId == programaId).Select(c => c.Id);
        return new ResultadoImportacion
        {
            ProgramaId = programaId,
            Creado = creado,
            Recomendaciones = await db.Recomendaciones.CountAsync(r => r.ProgramaId == programaId, ct),
            Compromisos = await compromisos.CountAsync(ct),
            Calificaciones = await db.Calificaciones.CountAsync(c => compromisos.Contains(c.CompromisoId), ct),
            Reportes = await db.Reportes.CountAsync(r => compromisos.Contains(r.CompromisoId), ct),
            MediosVerificacion = await db.MediosVerificacion.CountAsync(m => compromisos.Contains(m.CompromisoId), ct),
            Estado = await db.Programas.Where(x => x.Id == programaId).Select(x => x.Estado).SingleAsync(ct),
        };
    }
}
