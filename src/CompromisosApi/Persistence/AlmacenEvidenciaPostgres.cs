using System.Buffers;
using System.Data;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Npgsql;
using NpgsqlTypes;

namespace CompromisosApi.Persistence;

/// <summary>
/// The default evidence store, in the service's own PostgreSQL (so the two-command set-up needs nothing more).
/// Content is cut into fragments of 1 MB, one bytea row each (<c>fragmentos_evidencia</c>). An upload is first
/// received into a temporary file (hashed on the way), so however slowly a client sends, no connection is held
/// meanwhile; then the fragments are written in one transaction and one row in <c>archivos_evidencia</c>, keyed by the
/// SHA-256, makes them addressable. If that hash is already there the transaction is rolled back (stored once); if the
/// upload fails half-way, or the process dies, nothing is left behind. A download reads one fragment per query, each
/// on a connection leased for that query only: a slow reader holds a 1 MB buffer, never a database connection.
/// </summary>
/// <remarks>
/// Chunked bytea rather than large objects: rows are covered by the ordinary backup, replication and Respawn, need no
/// lo_unlink bookkeeping, and any fragment can be read on its own for a range request. The column is stored EXTERNAL
/// (out of line, uncompressed): evidence files are mostly compressed already (PDF streams, ZIP packages, images).
/// Connections come from the service's one pool (<see cref="Conexion"/>), at most Transferencias:Conexiones at once.
/// </remarks>
public sealed class AlmacenEvidenciaPostgres(NpgsqlDataSource fuente, LimiteDeTransferencias limite) : IAlmacenEvidencia
{
    public const int TamanoFragmento = 1024 * 1024;

    public async Task<ContenidoAlmacenado> GuardarAsync(Stream contenido, CancellationToken ct)
    {
        var carga = Guid.NewGuid();
        var buffer = ArrayPool<byte>.Shared.Rent(TamanoFragmento);
        try
        {
            await using var recibido = ArchivoTemporal.Crear();
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long total = 0;
            int leidos;
            while ((leidos = await contenido.ReadAsync(buffer.AsMemory(0, TamanoFragmento), ct)) > 0)
            {
                hash.AppendData(buffer, 0, leidos);
                await recibido.WriteAsync(buffer.AsMemory(0, leidos), ct);
                total += leidos;
            }

            var sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
            recibido.Position = 0;

            using var turno = await limite.ConexionAsync(ct);
            await using var conexion = await fuente.OpenConnectionAsync(ct);
            await using var tx = await conexion.BeginTransactionAsync(ct);
            await using var insertar = new NpgsqlCommand("INSERT INTO fragmentos_evidencia (carga, indice, datos) VALUES ($1, $2, $3)", conexion, tx);
            var pCarga = new NpgsqlParameter<Guid> { TypedValue = carga };
            var pIndice = new NpgsqlParameter<int>();
            var pDatos = new NpgsqlParameter<ReadOnlyMemory<byte>> { NpgsqlDbType = NpgsqlDbType.Bytea };
            insertar.Parameters.Add(pCarga);
            insertar.Parameters.Add(pIndice);
            insertar.Parameters.Add(pDatos);

            var indice = 0;
            while ((leidos = await recibido.ReadAtLeastAsync(buffer.AsMemory(0, TamanoFragmento), TamanoFragmento, throwOnEndOfStream: false, ct)) > 0)
            {
                pIndice.TypedValue = indice++;
                pDatos.TypedValue = buffer.AsMemory(0, leidos);
                await insertar.ExecuteNonQueryAsync(ct);
            }

            await using var confirmar = new NpgsqlCommand(
                "INSERT INTO archivos_evidencia (sha256, carga, tamano, tamano_fragmento, almacenado_en) VALUES ($1, $2, $3, $4, now()) " +
                "ON CONFLICT (sha256) DO NOTHING", conexion, tx)
            {
                Parameters =
                {
                    new NpgsqlParameter<string> { TypedValue = sha256 },
                    new NpgsqlParameter<Guid> { TypedValue = carga },
                    new NpgsqlParameter<long> { TypedValue = total },
                    new NpgsqlParameter<int> { TypedValue = TamanoFragmento },
                },
            };
            if (await confirmar.ExecuteNonQueryAsync(ct) == 0)
            {
                // Already stored (by an earlier upload, or a concurrent one that committed first): keep that copy.
                await tx.RollbackAsync(ct);
                return new ContenidoAlmacenado(sha256, total, Nuevo: false);
            }

            await tx.CommitAsync(ct);
            return new ContenidoAlmacenado(sha256, total, Nuevo: true);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public async Task<Stream?> AbrirAsync(string sha256, CancellationToken ct)
    {
        using var turno = await limite.ConexionAsync(ct);
        await using var conexion = await fuente.OpenConnectionAsync(ct);
        await using var buscar = new NpgsqlCommand("SELECT carga, tamano, tamano_fragmento FROM archivos_evidencia WHERE sha256 = $1", conexion)
        {
            Parameters = { new NpgsqlParameter<string> { TypedValue = sha256 } },
        };
        await using var lector = await buscar.ExecuteReaderAsync(ct);
        return await lector.ReadAsync(ct) ? new FlujoDeFragmentos(fuente, limite, lector.GetGuid(0), lector.GetInt64(1), lector.GetInt32(2)) : null;
    }

    public async Task<bool> ExisteAsync(string sha256, CancellationToken ct)
    {
        await using var conexion = await fuente.OpenConnectionAsync(ct);
        await using var buscar = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM archivos_evidencia WHERE sha256 = $1)", conexion)
        {
            Parameters = { new NpgsqlParameter<string> { TypedValue = sha256 } },
        };
        return (bool)(await buscar.ExecuteScalarAsync(ct))!;
    }
}

/// <summary>
/// A seekable read stream over stored fragments: a read loads the fragment that holds the position (one query, into a
/// pooled buffer) and serves from it, so a whole download costs one query per megabyte and a range request reads only
/// the fragments it covers. Each query leases a connection for itself alone.
/// </summary>
internal sealed class FlujoDeFragmentos(NpgsqlDataSource fuente, LimiteDeTransferencias limite, Guid carga, long longitud, int tamanoFragmento) : Stream
{
    private byte[]? _buffer;
    private int _fragmentoCargado = -1;
    private int _largoCargado;
    private long _posicion;

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => longitud;

    public override long Position
    {
        get => _posicion;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        var nueva = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _posicion + offset,
            _ => longitud + offset,
        };
        ArgumentOutOfRangeException.ThrowIfNegative(nueva, nameof(offset));
        return _posicion = nueva;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> destino, CancellationToken cancellationToken = default)
    {
        if (_posicion >= longitud || destino.Length == 0) return 0;
        var fragmento = (int)(_posicion / tamanoFragmento);
        if (fragmento != _fragmentoCargado) await CargarAsync(fragmento, cancellationToken);
        return Servir(destino.Span);
    }

    public override int Read(Span<byte> destino)
    {
        if (_posicion >= longitud || destino.Length == 0) return 0;
        var fragmento = (int)(_posicion / tamanoFragmento);
        if (fragmento != _fragmentoCargado) CargarAsync(fragmento, CancellationToken.None).GetAwaiter().GetResult();
        return Servir(destino);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    private int Servir(Span<byte> destino)
    {
        var desde = (int)(_posicion - ((long)_fragmentoCargado * tamanoFragmento));
        var n = Math.Min(destino.Length, _largoCargado - desde);
        if (n <= 0) throw new InvalidDataException($"Faltan datos del archivo de evidencia (carga {carga}, fragmento {_fragmentoCargado}).");
        _buffer.AsSpan(desde, n).CopyTo(destino);
        _posicion += n;
        return n;
    }

    private async Task CargarAsync(int fragmento, CancellationToken ct)
    {
        _buffer ??= ArrayPool<byte>.Shared.Rent(tamanoFragmento);
        using var turno = await limite.ConexionAsync(ct);
        await using var conexion = await fuente.OpenConnectionAsync(ct);
        await using var leer = new NpgsqlCommand("SELECT datos FROM fragmentos_evidencia WHERE carga = $1 AND indice = $2", conexion)
        {
            Parameters = { new NpgsqlParameter<Guid> { TypedValue = carga }, new NpgsqlParameter<int> { TypedValue = fragmento } },
        };
        await using var lector = await leer.ExecuteReaderAsync(CommandBehavior.SequentialAccess | CommandBehavior.SingleRow, ct);
        if (!await lector.ReadAsync(ct)) throw new InvalidDataException($"Falta el fragmento {fragmento} de la carga {carga}.");
        await using var datos = await lector.GetStreamAsync(0, ct);
        _largoCargado = await datos.ReadAtLeastAsync(_buffer.AsMemory(0, tamanoFragmento), tamanoFragmento, throwOnEndOfStream: false, ct);
        _fragmentoCargado = fragmento;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            if (_buffer is not null) ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }

        base.Dispose(disposing);
    }

    public override ValueTask DisposeAsync()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}

/// <summary>Storage rows of the PostgreSQL evidence store; written and read only through <see cref="AlmacenEvidenciaPostgres"/>.</summary>
internal sealed class ArchivoAlmacenado
{
    public string Sha256 { get; set; } = null!;
    public Guid Carga { get; set; }
    public long Tamano { get; set; }
    public int TamanoFragmento { get; set; }
    public DateTimeOffset AlmacenadoEn { get; set; }
}

internal sealed class FragmentoAlmacenado
{
    public Guid Carga { get; set; }
    public int Indice { get; set; }
    public byte[] Datos { get; set; } = null!;
}

internal sealed class ArchivoAlmacenadoConfiguration : IEntityTypeConfiguration<ArchivoAlmacenado>
{
    public void Configure(EntityTypeBuilder<ArchivoAlmacenado> b)
    {
        b.ToTable("archivos_evidencia");
        b.HasKey(x => x.Sha256);
        b.Property(x => x.Sha256).HasMaxLength(64);
        b.HasIndex(x => x.Carga).IsUnique();
    }
}

internal sealed class FragmentoAlmacenadoConfiguration : IEntityTypeConfiguration<FragmentoAlmacenado>
{
    public void Configure(EntityTypeBuilder<FragmentoAlmacenado> b)
    {
        b.ToTable("fragmentos_evidencia");
        b.HasKey(x => new { x.Carga, x.Indice });
    }
}
