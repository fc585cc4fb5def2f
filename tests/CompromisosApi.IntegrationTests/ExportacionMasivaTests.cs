using System.Data.Common;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using CompromisosApi.Features.Compromisos;
using CompromisosApi.IntegrationTests.Infrastructure;
using CompromisosApi.Persistence;
using DocumentFormat.OpenXml.Validation;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CompromisosApi.IntegrationTests;

/// <summary>Thousands of rows are streamed: the export lets go of the database before it sends.</summary>
public sealed class ExportacionMasivaTests(ApiFactory factory) : PruebaDeExportacion(factory)
{
    /// <summary>
    /// 5,000 compromisos, inserted straight into PostgreSQL. By the time the first bytes of each file reach the client,
    /// the export's query has been read to its end and its connection released: a slow reader can't hold the database
    /// (issue 12). The query did run (once per file), and the file is whole.
    /// </summary>
    [Fact]
    public async Task Exportar_miles_de_filas_suelta_la_base_de_datos_antes_de_enviar()
    {
        await InsertarMasivoAsync(programas: 500, porPrograma: 10);
        var lector = new LectorDeExportacion();
        await using var fabrica = Factory.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
            s.ConfigureDbContext<CompromisosDbContext>((_, o) => o.AddInterceptors(lector))));
        using var cliente = fabrica.CreateClient();

        foreach (var formato in new[] { "csv", "xlsx" })
        {
            lector.Reiniciar();
            using var r = await cliente.GetAsync($"/api/v1/compromisos?formato={formato}", HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            await using var flujo = await r.Content.ReadAsStreamAsync();
            var inicio = new byte[1024];
            await flujo.ReadExactlyAsync(inicio);

            Assert.Equal(1, lector.Lecturas);
            Assert.False(lector.Abierto, $"{formato}: la consulta de la exportación debería haberse leído entera antes del primer byte");

            var resto = new MemoryStream();
            resto.Write(inicio);
            await flujo.CopyToAsync(resto);
            var filas = formato == "csv" ? LeerCsv(resto.ToArray()) : LeerXlsx(resto.ToArray());
            Assert.Equal(5_001, filas.Count);
        }
    }

    private async Task InsertarMasivoAsync(int programas, int porPrograma)
    {
        await using var conexion = new NpgsqlConnection(Factory.ConnectionString);
        await conexion.OpenAsync();
        await using var comando = new NpgsqlCommand($"""
            INSERT INTO ministerios (nombre) VALUES ('Ministerio masivo');
            INSERT INTO servicios (nombre, ministerio_id) SELECT 'Servicio masivo', id FROM ministerios;
            INSERT INTO programas (nombre, servicio_id, anio_evaluacion, linea_evaluacion, estado)
                SELECT 'Programa masivo ' || g, s.id, 2010, 'EPG', 'EnSeguimiento' FROM servicios s, generate_series(1, {programas}) g;
            INSERT INTO recomendaciones (programa_id, numero, texto) SELECT p.id, 1, 'Recomendación del ' || p.nombre FROM programas p;
            -- Varied texts, so that the compressed xlsx is large too.
            INSERT INTO compromisos (recomendacion_id, programa_id, secuencia, numero, texto, fecha_vencimiento, calificacion)
                SELECT r.id, r.programa_id, g, '1.' || g, 'Compromiso ' || md5(r.id || '-' || g) || ', "con comillas", ' || md5(g || '-' || r.id),
                       DATE '2012-12-01', 'Pendiente'
                  FROM recomendaciones r, generate_series(1, {porPrograma}) g;
            """, conexion);
        await comando.ExecuteNonQueryAsync();
    }

    /// <summary>Tells whether the export's data reader (its SQL carries the export's tag) is open.</summary>
    private sealed class LectorDeExportacion : DbCommandInterceptor
    {
        private volatile bool _abierto;
        private int _lecturas;

        public bool Abierto => _abierto;

        public int Lecturas => Volatile.Read(ref _lecturas);

        public void Reiniciar()
        {
            _abierto = false;
            Volatile.Write(ref _lecturas, 0);
        }

        private static bool EsExportacion(DbCommand c) => c.CommandText.Contains(ExportarCompromisosHandler.Etiqueta, StringComparison.Ordinal);

        public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
        {
            if (EsExportacion(command))
            {
                _abierto = true;
                Interlocked.Increment(ref _lecturas);
            }

            return ValueTask.FromResult(result);
        }

        public override InterceptionResult DataReaderClosing(DbCommand command, DataReaderClosingEventData eventData, InterceptionResult result)
        {
            if (EsExportacion(command)) _abierto = false;
            return result;
        }

        public override ValueTask<InterceptionResult> DataReaderClosingAsync(DbCommand command, DataReaderClosingEventData eventData, InterceptionResult result)
        {
            if (EsExportacion(command)) _abierto = false;
            return ValueTask.FromResult(result);
        }

        public override InterceptionResult DataReaderDisposing(DbCommand command, DataReaderDisposingEventData eventData, InterceptionResult result)
        {
            if (EsExportacion(command)) _abierto = false;
            return result;
        }
    }
}
