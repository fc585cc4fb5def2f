namespace CompromisosApi.Features.Evidencia;

/// <summary>
/// The uploaded file's bytes on their way to the store: counted against the size limit (413 at the first byte over
/// it) and shown to the <see cref="DetectorDeTipo"/> (415 as soon as they can't be an accepted type, or at the end).
/// Either failure surfaces as an exception from Read, so the store keeps nothing. <paramref name="alTerminar"/> runs at
/// the end of the content, before the end is reported: a last check that can still make the store keep nothing.
/// </summary>
public sealed class FlujoVerificado(Stream origen, long tamanoMaximo, Func<CancellationToken, ValueTask>? alTerminar = null) : Stream
{
    private readonly DetectorDeTipo _detector = new();
    private bool _terminado;

    public long Leidos { get; private set; }

    /// <summary>The media type found, once the end of the content has been read.</summary>
    public string? Tipo { get; private set; }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int n;
        try
        {
            n = await origen.ReadAsync(buffer, cancellationToken);
        }
        catch (Exception e) when (e is InvalidDataException || (e is IOException && e is not BadHttpRequestException && !cancellationToken.IsCancellationRequested))
        {
            throw MultipartMalFormado();
        }

        var r = Verificar(buffer.Span[..n]);
        if (r == 0 && !_terminado && alTerminar is not null) await alTerminar(cancellationToken);
        _terminado |= r == 0;
        return r;
    }

    public override int Read(Span<byte> buffer)
    {
        int n;
        try
        {
            n = origen.Read(buffer);
        }
        catch (Exception e) when (e is InvalidDataException || (e is IOException && e is not BadHttpRequestException))
        {
            throw MultipartMalFormado();
        }

        var r = Verificar(buffer[..n]);
        if (r == 0 && !_terminado && alTerminar is not null) alTerminar(CancellationToken.None).AsTask().GetAwaiter().GetResult();
        _terminado |= r == 0;
        return r;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    private int Verificar(ReadOnlySpan<byte> leidos)
    {
        if (leidos.Length == 0)
        {
            Tipo ??= _detector.Concluir() ?? throw TipoNoAdmitido();
            return 0;
        }

        Leidos += leidos.Length;
        if (Leidos > tamanoMaximo) throw DemasiadoGrande(tamanoMaximo);
        _detector.Observar(leidos);
        if (_detector.Descartado) throw TipoNoAdmitido();
        return leidos.Length;
    }

    public static ProblemaHttpException DemasiadoGrande(long tamanoMaximo) => new(
        StatusCodes.Status413PayloadTooLarge,
        TiposDeProblema.ArchivoDemasiadoGrande,
        "El archivo supera el tamaño máximo",
        $"Los medios de verificación admiten archivos de hasta {tamanoMaximo} bytes; nada se guardó.",
        new Dictionary<string, object?> { [MiembrosDeProblema.TamanoMaximo] = tamanoMaximo });

    public static ProblemaHttpException TipoNoAdmitido() => new(
        StatusCodes.Status415UnsupportedMediaType,
        TiposDeProblema.TipoNoAdmitido,
        "Tipo de archivo no admitido",
        "El contenido del archivo no es PDF, DOCX, XLSX, ODT, ODS, PNG ni JPEG (se juzga por su contenido, no por su nombre ni " +
        "por el tipo declarado); nada se guardó.",
        new Dictionary<string, object?> { [MiembrosDeProblema.Admitidos] = TiposDeEvidencia.Admitidos });

    private static FluentValidation.ValidationException MultipartMalFormado() =>
        new([new FluentValidation.Results.ValidationFailure("archivo", "El cuerpo multipart/form-data está incompleto o mal formado.")]);

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => Leidos;
        set => throw new NotSupportedException();
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
