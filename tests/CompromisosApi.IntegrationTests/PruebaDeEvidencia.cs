using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using CompromisosApi.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CompromisosApi.IntegrationTests;

/// <summary>What the evidencia test classes share: building and sending uploads, and what the store holds.</summary>
public abstract class PruebaDeEvidencia(ApiFactory factory) : PruebaApi(factory)
{
    protected const string Pdf = "application/pdf";

    protected static MultipartFormDataContent Formulario(HttpContent archivo, string nombre, string titulo = "Minuta explicativa", string corte = "2009-12-31")
    {
        var f = new MultipartFormDataContent
        {
            { new StringContent(titulo), "titulo" },
            { new StringContent(corte), "corte" },
            { archivo, "archivo", nombre },
        };
        return f;
    }

    protected static ByteArrayContent Bytes(byte[] datos, string tipoDeclarado = Pdf)
    {
        var c = new ByteArrayContent(datos);
        c.Headers.ContentType = new MediaTypeHeaderValue(tipoDeclarado);
        return c;
    }

    protected static Task<HttpResponseMessage> SubirAsync(HttpClient cliente, int compromiso, byte[] datos, string nombre = "minuta.pdf", string tipoDeclarado = Pdf, string corte = "2009-12-31") =>
        cliente.PostAsync($"/api/v1/compromisos/{compromiso}/medios-verificacion", Formulario(Bytes(datos, tipoDeclarado), nombre, corte: corte));

    protected async Task<JsonObject> SubirOkAsync(int compromiso, byte[] datos, string nombre = "minuta.pdf", HttpStatusCode esperado = HttpStatusCode.Created)
    {
        var r = await SubirAsync(Cliente, compromiso, datos, nombre);
        await Escenario.Esperar(r, esperado);
        return (await r.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>The same medio (timestamps compared to the microsecond PostgreSQL keeps).</summary>
    protected static void AfirmarMismoMedio(JsonObject esperado, JsonObject actual)
    {
        foreach (var campo in new[] { "id", "compromisoId", "titulo", "corte", "registradoPor", "nombreArchivo", "tipo", "tamano", "sha256", "subidoPor" })
            Assert.Equal(esperado[campo]?.ToJsonString(), actual[campo]?.ToJsonString());
        foreach (var campo in new[] { "registradoEn", "subidoEn" })
            Assert.Equal(((DateTimeOffset)esperado[campo]!).ToUnixTimeMilliseconds(), ((DateTimeOffset)actual[campo]!).ToUnixTimeMilliseconds());
    }

    protected static string Sha256(byte[] datos) => Convert.ToHexStringLower(SHA256.HashData(datos));

    protected async Task<(long Archivos, long Fragmentos)> AlmacenadoAsync()
    {
        await using var c = new NpgsqlConnection(Factory.ConnectionString);
        await c.OpenAsync();
        await using var q = new NpgsqlCommand("SELECT (SELECT count(*) FROM archivos_evidencia), (SELECT count(*) FROM fragmentos_evidencia)", c);
        await using var r = await q.ExecuteReaderAsync();
        await r.ReadAsync();
        return (r.GetInt64(0), r.GetInt64(1));
    }

    /// <summary>A PDF of any size produced as it is read, with its SHA-256 computed on the way: nothing held whole.</summary>
    protected sealed class PdfGenerado(long tamano) : Stream
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private long _posicion;
        private uint _estado = 2463534242;
        private string? _sha256;

        /// <summary>Known once the whole content has been read (the request disposes the stream after sending it).</summary>
        public string Sha256() => _sha256 ?? throw new InvalidOperationException("Aún no se lee todo el contenido.");

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> destino)
        {
            var n = (int)Math.Min(destino.Length, tamano - _posicion);
            for (var i = 0; i < n; i++)
            {
                _estado ^= _estado << 13;
                _estado ^= _estado >> 17;
                _estado ^= _estado << 5;
                destino[i] = (byte)_estado;
            }

            var cabeza = "%PDF-1.7\n"u8;
            if (_posicion < cabeza.Length)
            {
                var k = (int)Math.Min(n, cabeza.Length - _posicion);
                cabeza.Slice((int)_posicion, k).CopyTo(destino);
            }

            _hash.AppendData(destino[..n]);
            _posicion += n;
            if (_posicion == tamano && _sha256 is null) _sha256 = Convert.ToHexStringLower(_hash.GetHashAndReset());
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => new(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => tamano;

        public override long Position
        {
            get => _posicion;
            set => throw new NotSupportedException();
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) _hash.Dispose();
            base.Dispose(disposing);
        }
    }
}
