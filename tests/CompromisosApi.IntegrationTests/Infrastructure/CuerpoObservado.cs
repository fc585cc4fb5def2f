using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using CompromisosApi.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Sdk;

namespace CompromisosApi.IntegrationTests.Infrastructure;

/// <summary>
/// The response body as the service writes it, passed on untouched (every write, flush and completion goes to the
/// server's own body at once, so timing, buffering and back-pressure are the server's), counting the bytes and keeping
/// a copy of a JSON body up to <see cref="ValidacionDeContrato.LimiteDelCuerpo"/>.
/// </summary>
internal sealed class CuerpoObservado(IHttpResponseBodyFeature previo, HttpResponse respuesta) : IHttpResponseBodyFeature
{
    private Stream? _flujo;
    private PipeWriter? _escritor;
    private MemoryStream? _copia;
    private bool _decidido;
    private bool _esJson;
    private bool _completa = true;

    public long Bytes { get; private set; }

    /// <summary>The whole body when it is JSON and within the bound; otherwise null (not checked).</summary>
    public byte[]? Copia => _esJson && _completa ? _copia?.ToArray() : null;

    /// <summary>A JSON body beyond the bound: checked for everything but its body.</summary>
    public bool JsonSinCopia => _esJson && !_completa;

    public Stream Stream => _flujo ??= new Flujo(previo.Stream, this);
    public PipeWriter Writer => _escritor ??= new Escritor(previo.Writer, this);
    public void DisableBuffering() => previo.DisableBuffering();
    public Task StartAsync(CancellationToken cancellationToken = default) => previo.StartAsync(cancellationToken);
    public Task CompleteAsync() => previo.CompleteAsync();

    public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default)
    {
        Bytes += count ?? new FileInfo(path).Length - offset;
        _completa = false;
        return previo.SendFileAsync(path, offset, count, cancellationToken);
    }

    private void Anotar(ReadOnlySpan<byte> datos)
    {
        if (datos.IsEmpty) return;
        Bytes += datos.Length;
        if (!_decidido)
        {
            // The first byte is written after the headers are final: the type decides whether the body is kept.
            _decidido = true;
            _esJson = ContratoOpenApi.EsJson(TipoDeMedio(respuesta.ContentType));
            if (_esJson) _copia = new MemoryStream();
        }

        if (!_esJson || !_completa || _copia is null) return;
        if (_copia.Length + datos.Length > ValidacionDeContrato.LimiteDelCuerpo)
        {
            _completa = false;
            _copia = null;
            return;
        }

        _copia.Write(datos);
    }

    private static string? TipoDeMedio(string? tipo) =>
        tipo is null ? null : tipo.Split(';')[0].Trim().ToLowerInvariant();

    private sealed class Flujo(Stream destino, CuerpoObservado cuerpo) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            cuerpo.Anotar(buffer);
            destino.Write(buffer);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            cuerpo.Anotar(buffer.Span);
            return destino.WriteAsync(buffer, cancellationToken);
        }

        public override void Flush() => destino.Flush();
        public override Task FlushAsync(CancellationToken cancellationToken) => destino.FlushAsync(cancellationToken);
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }

    private sealed class Escritor(PipeWriter destino, CuerpoObservado cuerpo) : PipeWriter
    {
        // What Advance confirms was written into the memory handed out last.
        private Memory<byte> _ultima;

        public override Memory<byte> GetMemory(int sizeHint = 0) => _ultima = destino.GetMemory(sizeHint);
        public override Span<byte> GetSpan(int sizeHint = 0) => (_ultima = destino.GetMemory(sizeHint)).Span;

        public override void Advance(int bytes)
        {
            cuerpo.Anotar(_ultima.Span[..bytes]);
            _ultima = default;
            destino.Advance(bytes);
        }

        public override ValueTask<FlushResult> WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
        {
            cuerpo.Anotar(source.Span);
            return destino.WriteAsync(source, cancellationToken);
        }

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => destino.FlushAsync(cancellationToken);
        public override void CancelPendingFlush() => destino.CancelPendingFlush();
        public override void Complete(Exception? exception = null) => destino.Complete(exception);
        public override ValueTask CompleteAsync(Exception? exception = null) => destino.CompleteAsync(exception);
        public override bool CanGetUnflushedBytes => destino.CanGetUnflushedBytes;
        public override long UnflushedBytes => destino.UnflushedBytes;
    }
}
