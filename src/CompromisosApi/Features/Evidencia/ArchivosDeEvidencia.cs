using CompromisosApi.Common;
using CompromisosApi.Domain;
using CompromisosApi.Features.Compromisos;
using CompromisosApi.Persistence;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CompromisosApi.Features.Evidencia;

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

public sealed record ObtenerContenidoDeMedio(int CompromisoId, long MedioId) : IQuery<ContenidoDeMedio>;

/// <summary>The stored file, to stream back; the caller disposes <see cref="Flujo"/>.</summary>
public sealed record ContenidoDeMedio(Stream Flujo, string Tipo, string NombreArchivo, string Sha256, DateTimeOffset SubidoEn);

public sealed class ObtenerContenidoDeMedioHandler(CompromisosDbContext db, IAlmacenEvidencia almacen) : IQueryHandler<ObtenerContenidoDeMedio, ContenidoDeMedio>
{
    public async ValueTask<ContenidoDeMedio> Handle(ObtenerContenidoDeMedio q, CancellationToken ct)
    {
        var m = await db.MediosVerificacion.AsNoTracking().Where(x => x.Id == q.MedioId && x.CompromisoId == q.CompromisoId)
            .Select(x => new { x.Sha256, x.Tipo, x.NombreArchivo, x.SubidoEn })
            .SingleOrDefaultAsync(ct) ?? throw new NoEncontradoException("medio de verificación", q.MedioId);
        if (m.Sha256 is null || m.Tipo is null || m.NombreArchivo is null || m.SubidoEn is null)
        {
            throw new NoEncontradoException("archivo", q.MedioId,
                $"El medio de verificación {q.MedioId} solo tiene título: se registró sin archivo.");
        }

        var flujo = await almacen.AbrirAsync(m.Sha256, ct)
            ?? throw new InvalidOperationException($"El almacén de evidencia no tiene el contenido {m.Sha256} del medio {q.MedioId}.");
        return new ContenidoDeMedio(flujo, m.Tipo, m.NombreArchivo, m.Sha256, m.SubidoEn.Value);
    }
}
