using System.Globalization;
using CompromisosApi.Features.Evidencia;
using FluentValidation.Results;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using static CompromisosApi.Features.Evidencia.CargaDeEvidencia;

namespace CompromisosApi.Features.Compromisos;

/// <summary>
/// POST …/medios-verificacion/con-archivo: a medio with its file, as multipart/form-data (titulo, corte, then the file).
/// RegistrarMedioVerificacion hands the same form here when it arrives at its own path.
/// </summary>
public static class RegistrarMedioVerificacionConArchivoEndpoint
{
    public static RouteHandlerBuilder MapRegistrarMedioVerificacionConArchivo(this IEndpointRouteBuilder rutas) =>
        rutas.MapPost("{id:int}/medios-verificacion/con-archivo", RegistrarAsync)
            .TomaElFormulario(rutas)
            .WithMetadata(new FormularioConArchivoAttribute(rutas.ServiceProvider.GetRequiredService<IOptions<OpcionesEvidencia>>().Value.TamanoMaximoBytes))
            .Documentar("RegistrarMedioVerificacionConArchivo", "Registra un medio de verificación con su archivo",
                "multipart/form-data con titulo, corte y al final el archivo en archivo: se admite PDF, DOCX, XLSX, ODT, ODS, PNG o JPEG según " +
                "su contenido (no su nombre ni el tipo declarado; 415 si no), hasta el tamaño máximo configurado (Evidencia:TamanoMaximoBytes, " +
                "25 MB por omisión; 413 si lo supera). Su SHA-256 se calcula mientras llega y el contenido se guarda una sola vez: el mismo " +
                "archivo dos veces en el mismo compromiso responde 200 con el medio ya registrado. El corte debe ser un corte del calendario. " +
                "409 si el programa egresó. 422 (urn:compromisos:cuota-excedida, con cuota y limite) si el compromiso ya tiene el máximo de " +
                "medios (Cuotas:MediosPorCompromiso, 30) o los archivos del servicio para ese corte superarían " +
                "Cuotas:BytesDeArchivosPorServicioYCorte (2 GB). Las cargas en curso están acotadas por dirección (429) y en total (503). " +
                "Otro tipo de contenido: 415 (un medio sin archivo se registra con RegistrarMedioVerificacion).");

    /// <summary>
    /// What a route that takes the upload form needs, here and at RegistrarMedioVerificacion, which hands it the same
    /// form: room for the file in the body, the answers the upload can give, and who may send it.
    /// </summary>
    internal static RouteHandlerBuilder TomaElFormulario(this RouteHandlerBuilder b, IEndpointRouteBuilder rutas) =>
        b.AdmiteArchivos(rutas).Errores(400, 404, 409, 413, 415, 422, 429).Requiere(Politicas.Evidencia);

    internal static string Ubicacion(int id, MedioVerificacionDto r) => $"{Http.Base}/compromisos/{id}/medios-verificacion/{r.Id}";

    internal static bool EsMultipart(HttpContext http, out MediaTypeHeaderValue? tipo) =>
        MediaTypeHeaderValue.TryParse(http.Request.ContentType, out tipo)
        && tipo.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase);

    /// <summary>The file is streamed from the request straight into the evidence store, checked and hashed on the way.</summary>
    internal static async Task<Results<Created<MedioVerificacionDto>, Ok<MedioVerificacionDto>>> RegistrarAsync(
        int id, HttpContext http, IMediator m, IAlmacenEvidencia almacen, IOptions<OpcionesEvidencia> opciones,
        LimiteDeTransferencias transferencias, CancellationToken ct)
    {
        if (!EsMultipart(http, out var tipo))
        {
            throw new ProblemaHttpException(StatusCodes.Status415UnsupportedMediaType, TiposDeProblema.TipoNoAdmitido, "Tipo de contenido no admitido",
                "Envíe multipart/form-data con los campos titulo y corte y el archivo en archivo (un medio sin archivo se registra en " +
                "POST …/medios-verificacion con application/json).",
                new Dictionary<string, object?> { [MiembrosDeProblema.Admitidos] = new[] { "multipart/form-data" } });
        }

        var tamanoMaximo = opciones.Value.TamanoMaximoBytes;
        transferencias.Tomar(http);
        // Known too large from the start: refused before reading anything.
        if (http.Request.ContentLength > tamanoMaximo + OpcionesEvidencia.MargenFormulario) throw FlujoVerificado.DemasiadoGrande(tamanoMaximo);

        var limite = HeaderUtilities.RemoveQuotes(tipo!.Boundary).Value;
        if (string.IsNullOrEmpty(limite) || limite.Length > 70) throw Invalido("$", "El encabezado Content-Type multipart/form-data no trae un boundary válido.");

        var lector = new MultipartReader(limite, http.Request.Body) { HeadersLengthLimit = 4 * 1024, HeadersCountLimit = 8 };
        string? titulo = null;
        DateOnly? corte = null;
        (ContenidoAlmacenado Contenido, string Tipo, string Nombre)? archivo = null;
        while (archivo is null && await SiguienteAsync(lector, ct) is { } seccion)
        {
            var disposicion = seccion.GetContentDispositionHeader();
            var campo = HeaderUtilities.RemoveQuotes(disposicion?.Name ?? default).Value;
            if (disposicion is null || !disposicion.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase) || string.IsNullOrEmpty(campo))
                throw Invalido("$", "Cada parte del cuerpo multipart/form-data debe llevar Content-Disposition: form-data con su name.");
            switch (campo)
            {
                case "titulo" when titulo is null:
                    titulo = await LeerCampoAsync(seccion, campo, Validacion.LargoTitulo * 4, ct);
                    break;
                case "corte" when corte is null:
                    var texto = await LeerCampoAsync(seccion, campo, 64, ct);
                    corte = DateOnly.TryParseExact(texto, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var f)
                        ? f
                        : throw Invalido(campo, "Debe ser una fecha yyyy-MM-dd (un corte del calendario, por ejemplo 2009-12-31).");
                    break;
                case "archivo":
                    var nombre = NombreDeArchivo(disposicion);
                    if (titulo is null || corte is null)
                    {
                        throw new ValidationException(new[] { ("titulo", titulo is null), ("corte", corte is null) }
                            .Where(x => x.Item2)
                            .Select(x => new ValidationFailure(x.Item1, "Es obligatorio y debe ir antes que archivo en el formulario.")));
                    }

                    // Validation, existence, follow-up and object-level authorization before storing anything.
                    await m.Send(new PrepararArchivoDeEvidencia(id, titulo, corte.Value), ct);
                    // Nothing may follow the file: checked before the store commits it, so a refused form keeps no content.
                    var flujo = new FlujoVerificado(seccion.Body, tamanoMaximo, async c =>
                    {
                        if (await SiguienteAsync(lector, c) is { } otra)
                        {
                            var nombreOtra = HeaderUtilities.RemoveQuotes(otra.GetContentDispositionHeader()?.Name ?? default).Value;
                            throw Invalido(string.IsNullOrEmpty(nombreOtra) ? "$" : nombreOtra,
                                "El archivo debe ser la última parte del formulario: envíe titulo y corte antes que archivo.");
                        }
                    });
                    var contenido = await almacen.GuardarAsync(flujo, ct);
                    archivo = (contenido, flujo.Tipo!, nombre);
                    break;
                case "titulo" or "corte":
                    throw Invalido(campo, "El campo viene repetido.");
                default:
                    throw Invalido(campo, "Campo desconocido: el formulario lleva titulo, corte y archivo.");
            }
        }

        if (archivo is not { } a) throw Invalido("archivo", "Es obligatorio en multipart/form-data (un medio sin archivo se registra con application/json).");
        var registrado = await m.Send(new RegistrarArchivoDeEvidencia(id, titulo!, corte!.Value,
            new ArchivoDeEvidencia(a.Nombre, a.Tipo, a.Contenido.Tamano, a.Contenido.Sha256)), ct);
        return registrado.Creado
            ? TypedResults.Created(Ubicacion(id, registrado.Medio), registrado.Medio)
            : TypedResults.Ok(registrado.Medio);
    }
}

/// <summary>
/// Checked before a single byte of the file is stored: the title and corte are valid, the compromiso exists, its
/// programa is in follow-up and the caller may write under its servicio. The registration repeats the checks under
/// its locks; this one only spares storing a file that could not be registered.
/// </summary>
public sealed record PrepararArchivoDeEvidencia(int CompromisoId, string Titulo, DateOnly Corte) : IQuery<Unit>, IDatosMedio;

public sealed class PrepararArchivoDeEvidenciaValidator(Calendario calendario) : DatosMedioValidator<PrepararArchivoDeEvidencia>(calendario);

public sealed class PrepararArchivoDeEvidenciaHandler(CompromisosDbContext db, UsuarioActual usuario, Cuotas cuotas) : IQueryHandler<PrepararArchivoDeEvidencia, Unit>
{
    public async ValueTask<Unit> Handle(PrepararArchivoDeEvidencia q, CancellationToken ct)
    {
        var programa = await db.Compromisos.AsNoTracking().Where(c => c.Id == q.CompromisoId)
            .Join(db.Programas, c => c.ProgramaId, p => p.Id, (_, p) => p)
            .SingleOrDefaultAsync(ct) ?? throw new NoEncontradoException("compromiso", q.CompromisoId);
        programa.AsegurarEnSeguimiento();
        usuario.AsegurarAccesoAServicio(programa.ServicioId);
        EscrituraDeCompromiso.AsegurarCorteDelPrograma(programa, q.Corte);
        // Whether one more file fits at all; the registration counts this file's size too, under its locks.
        await cuotas.AsegurarMedioAsync(programa.ServicioId, q.CompromisoId, q.Corte, 0, bloquear: false, ct);
        return Unit.Value;
    }
}

/// <summary>A medio with its file, whose content the evidence store already holds under its SHA-256.</summary>
public sealed record RegistrarArchivoDeEvidencia(int CompromisoId, string Titulo, DateOnly Corte, ArchivoDeEvidencia Archivo)
    : ICommand<MedioRegistrado>, IDatosMedio;

/// <param name="Medio">The medio.</param>
/// <param name="Creado">False when the compromiso already had a medio with the same file: that one is returned.</param>
public sealed record MedioRegistrado(MedioVerificacionDto Medio, bool Creado);

public sealed class RegistrarArchivoDeEvidenciaValidator(Calendario calendario) : DatosMedioValidator<RegistrarArchivoDeEvidencia>(calendario);

public sealed class RegistrarArchivoDeEvidenciaHandler(CompromisosDbContext db, UsuarioActual usuario, IAlmacenEvidencia almacen, Cuotas cuotas)
    : ICommandHandler<RegistrarArchivoDeEvidencia, MedioRegistrado>
{
    public async ValueTask<MedioRegistrado> Handle(RegistrarArchivoDeEvidencia c, CancellationToken ct)
    {
        // The compromiso row stays locked until commit, so two uploads of the same file to it meet here one after the
        // other and the second finds the first's medio.
        var (programa, compromiso) = await EscrituraDeCompromiso.BloquearAsync(db, c.CompromisoId, null, ct);
        usuario.AsegurarAccesoAServicio(programa.ServicioId);
        var existente = await db.MediosVerificacion.AsNoTracking()
            .Where(m => m.CompromisoId == compromiso.Id && m.Sha256 == c.Archivo.Sha256)
            .ProjectToDto().FirstOrDefaultAsync(ct);
        if (existente is not null) return new MedioRegistrado(existente, Creado: false);
        EscrituraDeCompromiso.AsegurarCorteDelPrograma(programa, c.Corte);
        await cuotas.AsegurarMedioAsync(programa.ServicioId, compromiso.Id, c.Corte, c.Archivo.Tamano, bloquear: true, ct);

        // A medio never points at content the store does not have.
        if (!await almacen.ExisteAsync(c.Archivo.Sha256, ct))
            throw new InvalidOperationException($"El almacén no tiene el contenido {c.Archivo.Sha256} recién guardado.");
        var medio = new MedioVerificacion(compromiso.Id, c.Titulo, c.Corte, c.Archivo, usuario.Firmar());
        db.MediosVerificacion.Add(medio);
        await db.SaveChangesAsync(ct);
        return new MedioRegistrado(medio.ToDto(), Creado: true);
    }
}
