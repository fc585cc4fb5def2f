namespace CompromisosApi.Persistence;

/// <summary>
/// Where the content of evidence files lives, addressed by its SHA-256 (content-addressed: the same bytes are kept
/// once, whatever number of medios point at them). The record (medios_verificacion) keeps only the hash and the
/// metadata, so another store (an S3-compatible bucket: upload to a temporary key while hashing, then copy to
/// <c>sha256/&lt;hash&gt;</c> unless it exists) can replace the PostgreSQL one without touching the record.
/// </summary>
public interface IAlmacenEvidencia
{
    /// <summary>
    /// Reads <paramref name="contenido"/> to its end, storing it as it streams (never whole in memory) while computing its
    /// SHA-256, and then makes it addressable by that hash. Content already stored is not stored again
    /// (<see cref="ContenidoAlmacenado.Nuevo"/> is false). When reading the source throws (too large, a refused type, the
    /// client gone), nothing is kept and the exception propagates.
    /// </summary>
    Task<ContenidoAlmacenado> GuardarAsync(Stream contenido, CancellationToken ct);

    /// <summary>A seekable read stream over the content (Length known, for range requests), or null when no content has that hash.</summary>
    Task<Stream?> AbrirAsync(string sha256, CancellationToken ct);

    Task<bool> ExisteAsync(string sha256, CancellationToken ct);
}

/// <param name="Sha256">Lower-case hex.</param>
/// <param name="Tamano">Bytes.</param>
/// <param name="Nuevo">False when the same content was already stored.</param>
public sealed record ContenidoAlmacenado(string Sha256, long Tamano, bool Nuevo);
