using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CompromisosApi.IntegrationTests.Infrastructure;
using CompromisosApi.Persistence;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit.Abstractions;

namespace CompromisosApi.IntegrationTests;

/// <summary>
/// Issue 17, who is calling and a trace of every transaction: the Red de Interoperabilidad's headers (validated,
/// echoed, the token's RUN winning), one trace row per request whatever its outcome, under load and across a graceful
/// stop, the monthly partitions and their retention, and the administradores' list and daily export.
/// </summary>
public sealed class TrazasTests(ApiFactory factory, ITestOutputHelper salida) : PruebaApi(factory)
{
    private const string Organismo = "X-Organismo-Solicitante";
    private const string Run = "X-Funcionario-Run";
    private const string Procedimiento = "X-Procedimiento";
    private const string Transaccion = "X-Transaccion-Id";

    private static string NuevoId(string prefijo = "t") => $"{prefijo}-{Guid.NewGuid():N}";

    private static HttpRequestMessage Pedido(HttpMethod metodo, string ruta, IReadOnlyDictionary<string, string>? encabezados = null, object? cuerpo = null)
    {
        var m = new HttpRequestMessage(metodo, ruta);
        if (cuerpo is not null) m.Content = JsonContent.Create(cuerpo);
        foreach (var (k, v) in encabezados ?? new Dictionary<string, string>()) m.Headers.TryAddWithoutValidation(k, v);
        return m;
    }

    /// <summary>The rows of a transaction id, read as the tables' owner (the test's own SQL), once there are <paramref name="esperadas"/>.</summary>
    private async Task<List<Dictionary<string, object?>>> TrazasAsync(string transaccion, int esperadas = 1)
    {
        List<Dictionary<string, object?>> filas = [];
        await Feed.EsperarAsync(async () => (filas = await LeerAsync(Factory.ConnectionString, transaccion)).Count >= esperadas,
            () => $"{filas.Count} trazas de {transaccion}, se esperaban {esperadas}");
        // Whatever else was buffered has had its time too: a second row would be there by now.
        await Task.Delay(400);
        return await LeerAsync(Factory.ConnectionString, transaccion);
    }

    private static async Task<List<Dictionary<string, object?>>> LeerAsync(string conexion, string transaccion)
    {
        await using var c = new NpgsqlConnection(conexion);
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT * FROM trazas WHERE transaccion_id = $1 ORDER BY id", c);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = transaccion });
        await using var r = await cmd.ExecuteReaderAsync();
        var filas = new List<Dictionary<string, object?>>();
        while (await r.ReadAsync())
        {
            filas.Add(Enumerable.Range(0, r.FieldCount).ToDictionary(r.GetName, i => r.IsDBNull(i) ? null : r.GetValue(i)));
        }

        return filas;
    }

    private static async Task<long> ContarAsync(string conexion, string prefijo)
    {
        await using var c = new NpgsqlConnection(conexion);
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT count(*) FROM trazas WHERE transaccion_id LIKE $1 || '%'", c);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = prefijo });
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    private static string EcoDe(HttpResponseMessage r) => Assert.Single(r.Headers.GetValues(Transaccion));

    [Fact]
    public async Task Una_lectura_con_los_encabezados_de_la_red_deja_su_traza_y_el_id_de_transaccion_vuelve()
    {
        var programa = await Escenario.ProgramaAsync();
        var id = NuevoId();
        const string traza = "4bf92f3577b34da6a3ce929d0e0e4736";
        var pedido = Pedido(HttpMethod.Get, $"/api/v1/programas/{programa}", new Dictionary<string, string>
        {
            [Organismo] = "13.01",
            [Run] = "12345678-5",
            [Procedimiento] = "SEGUIMIENTO-COMPROMISOS",
            [Transaccion] = id,
            ["traceparent"] = $"00-{traza}-00f067aa0ba902b7-01",
        });
        var r = await Cliente.SendAsync(pedido);
        await Escenario.Esperar(r, HttpStatusCode.OK);
        Assert.Equal(id, EcoDe(r));

        var fila = Assert.Single(await TrazasAsync(id));
        Assert.Equal("GET", fila["metodo"]);
        Assert.Equal("ObtenerPrograma", fila["operacion"]);
        Assert.Equal("/api/v1/programas/{id:int}", fila["ruta"]);
        Assert.Equal(programa.ToString(System.Globalization.CultureInfo.InvariantCulture), fila["recurso_id"]);
        Assert.Equal("13.01", fila["organismo_solicitante"]);
        Assert.Equal("12345678-5", fila["funcionario_run"]);
        Assert.Equal("SEGUIMIENTO-COMPROMISOS", fila["procedimiento"]);
        Assert.Equal(traza, fila["trace_id"]);
        Assert.Equal("ana", fila["sujeto"]);
        Assert.Equal((short)200, fila["status"]);
        Assert.Equal("exito", fila["resultado"]);
        Assert.Null(fila["tipo_problema"]);
        Assert.Equal("08.02", fila["proveedor"]);
        var ocurrida = (DateTime)fila["ocurrida_en"]!;
        Assert.InRange(ocurrida, DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddSeconds(1));
    }

    [Fact]
    public async Task Sin_id_de_transaccion_se_genera_uno_que_vuelve_tambien_en_un_error_y_lo_nombra_su_traza()
    {
        var r = await ClienteAnonimo().GetAsync("/api/v1/programas/987654");
        await Problemas.AfirmarAsync(r, HttpStatusCode.NotFound, "urn:compromisos:no-encontrado");
        var id = EcoDe(r);
        Assert.True(Guid.TryParse(id, out var guid) && guid.Version == 7, id);

        var fila = Assert.Single(await TrazasAsync(id));
        Assert.Equal((short)404, fila["status"]);
        Assert.Equal("error", fila["resultado"]);
        Assert.Equal("urn:compromisos:no-encontrado", fila["tipo_problema"]);
        Assert.Equal("987654", fila["recurso_id"]);
        Assert.Null(fila["sujeto"]);
        Assert.Null(fila["organismo_solicitante"]);

        // Two requests without one get two ids.
        var otra = await ClienteAnonimo().GetAsync("/api/v1/programas/987654");
        Assert.NotEqual(id, EcoDe(otra));
    }

    public static TheoryData<string, string> EncabezadosMalos() => new()
    {
        { Run, "12345678-4" },          // check digit wrong
        { Run, "12.345.678-5" },        // dots
        { Run, "123456789-5" },         // nine digits
        { Run, "12345678" },            // no check digit
        { Run, "abc" },
        { Organismo, new string('A', 51) },
        { Organismo, "13 01" },
        { Organismo, "13.01'; DROP TABLE trazas;--" },
        { Procedimiento, "trámite" },
        { Procedimiento, new string('P', 101) },
        { Transaccion, "id con espacios" },
        { Transaccion, new string('a', 101) },
        { Transaccion, "<script>" },
    };

    [Theory]
    [MemberData(nameof(EncabezadosMalos))]
    public async Task Un_encabezado_no_valido_es_400_que_lo_nombra_y_tambien_deja_traza(string encabezado, string valor)
    {
        var id = NuevoId();
        var encabezados = new Dictionary<string, string> { [encabezado] = valor };
        if (encabezado != Transaccion) encabezados[Transaccion] = id;
        var r = await Cliente.SendAsync(Pedido(HttpMethod.Get, "/api/v1/programas", encabezados));
        await Problemas.Validacion(r, encabezado);
        var eco = EcoDe(r);
        if (encabezado == Transaccion)
        {
            // Never echoed back as sent: a generated one instead.
            Assert.NotEqual(valor, eco);
            Assert.True(Guid.TryParse(eco, out _), eco);
        }
        else
        {
            Assert.Equal(id, eco);
        }

        var fila = Assert.Single(await TrazasAsync(eco));
        Assert.Equal((short)400, fila["status"]);
        Assert.Equal("urn:compromisos:entrada-invalida", fila["tipo_problema"]);
        // A value refused is not recorded either.
        Assert.DoesNotContain(valor, fila.Values.OfType<string>());
    }

    [Fact]
    public async Task Un_RUN_con_K_se_acepta_en_minuscula_y_se_guarda_en_mayuscula()
    {
        // 10000013-K: 3·2 + 1·3 + 0·4 + 0·5 + 0·6 + 0·7 + 0·2 + 1·3 = 12; 11 − 12 mod 11 = 10 → K.
        var id = NuevoId();
        var r = await Cliente.SendAsync(Pedido(HttpMethod.Get, "/api/v1/lineas-evaluacion", new Dictionary<string, string> { [Run] = "10000013-k", [Transaccion] = id }));
        await Escenario.Esperar(r, HttpStatusCode.OK);
        Assert.Equal("10000013-K", Assert.Single(await TrazasAsync(id))["funcionario_run"]);
        await Problemas.Validacion(await Cliente.SendAsync(Pedido(HttpMethod.Get, "/api/v1/lineas-evaluacion", new Dictionary<string, string> { [Run] = "10000013-0" })), Run);
    }

    [Fact]
    public async Task El_RUN_del_token_gana_al_del_encabezado_y_su_claim_se_configura()
    {
        var conRun = Factory.CreateClient().Autenticar(Tokens.Crear("funcionaria", ["analista"], otros: new Dictionary<string, string> { ["run"] = "11111111-1" }));
        var id = NuevoId();
        var r = await conRun.SendAsync(Pedido(HttpMethod.Get, "/api/v1/programas", new Dictionary<string, string> { [Run] = "12345678-5", [Transaccion] = id }));
        await Escenario.Esperar(r, HttpStatusCode.OK);
        var fila = Assert.Single(await TrazasAsync(id));
        Assert.Equal("11111111-1", fila["funcionario_run"]);
        Assert.Equal("funcionaria", fila["sujeto"]);

        // A claim that is no valid RUN: none recorded, the header does not stand in for the identity provider.
        var runMalo = Factory.CreateClient().Autenticar(Tokens.Crear("funcionaria", ["analista"], otros: new Dictionary<string, string> { ["run"] = "11111111-2" }));
        id = NuevoId();
        await Escenario.Esperar(await runMalo.SendAsync(Pedido(HttpMethod.Get, "/api/v1/programas", new Dictionary<string, string> { [Run] = "12345678-5", [Transaccion] = id })), HttpStatusCode.OK);
        Assert.Null(Assert.Single(await TrazasAsync(id))["funcionario_run"]);

        // Without the claim, the header's.
        id = NuevoId();
        await Escenario.Esperar(await Cliente.SendAsync(Pedido(HttpMethod.Get, "/api/v1/programas", new Dictionary<string, string> { [Run] = "12345678-5", [Transaccion] = id })), HttpStatusCode.OK);
        Assert.Equal("12345678-5", Assert.Single(await TrazasAsync(id))["funcionario_run"]);

        // Another claim name, and other header names, by configuration.
        await using var otra = Factory.WithWebHostBuilder(b =>
        {
            b.UseSetting("Interoperabilidad:ClaimRun", "rut");
            b.UseSetting("Interoperabilidad:Encabezados:TransaccionId", "X-Id-Red");
        });
        var conRut = otra.CreateClient().Autenticar(Tokens.Crear("otro", ["analista"], otros: new Dictionary<string, string> { ["rut"] = "10000013-K", ["run"] = "11111111-1" }));
        id = NuevoId();
        r = await conRut.SendAsync(Pedido(HttpMethod.Get, "/api/v1/programas", new Dictionary<string, string> { ["X-Id-Red"] = id }));
        await Escenario.Esperar(r, HttpStatusCode.OK);
        Assert.Equal(id, Assert.Single(r.Headers.GetValues("X-Id-Red")));
        Assert.False(r.Headers.Contains(Transaccion));
        Assert.Equal("10000013-K", Assert.Single(await TrazasAsync(id))["funcionario_run"]);
        // The committed contract is the default configuration's: this host's answers carry X-Id-Red instead of the
        // X-Transaccion-Id it documents, and that is all they lack.
        Assert.All(Factory.Contrato.Tomar(), v => Assert.Contains("X-Transaccion-Id", v, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Escrituras_rechazos_429_y_500_dejan_exactamente_una_traza_cada_uno()
    {
        // A write.
        var id = NuevoId();
        var r = await Cliente.SendAsync(Pedido(HttpMethod.Post, "/api/v1/ministerios", new Dictionary<string, string> { [Transaccion] = id }, new { nombre = "Ministerio trazado" }));
        await Escenario.Esperar(r, HttpStatusCode.Created);
        var fila = Assert.Single(await TrazasAsync(id));
        Assert.Equal(("POST", "CrearMinisterio", (short)201, "exito"), ((string)fila["metodo"]!, (string)fila["operacion"]!, (short)fila["status"]!, (string)fila["resultado"]!));

        // 401: no token on a write.
        id = NuevoId();
        r = await ClienteAnonimo().SendAsync(Pedido(HttpMethod.Post, "/api/v1/ministerios", new Dictionary<string, string> { [Transaccion] = id }, new { nombre = "x" }));
        Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        Assert.Equal(id, EcoDe(r));
        fila = Assert.Single(await TrazasAsync(id));
        Assert.Equal(((short)401, "error", "CrearMinisterio"), ((short)fila["status"]!, (string)fila["resultado"]!, (string?)fila["operacion"]));

        // 403: a role that may not.
        id = NuevoId();
        r = await ClienteCon("srv", ["servicio"], 1).SendAsync(Pedido(HttpMethod.Post, "/api/v1/ministerios", new Dictionary<string, string> { [Transaccion] = id }, new { nombre = "x" }));
        await Problemas.AfirmarAsync(r, HttpStatusCode.Forbidden);
        fila = Assert.Single(await TrazasAsync(id));
        Assert.Equal(((short)403, "srv"), ((short)fila["status"]!, (string?)fila["sujeto"]));

        // A path that reaches no operation.
        id = NuevoId();
        r = await Cliente.SendAsync(Pedido(HttpMethod.Get, "/api/v1/no-existe", new Dictionary<string, string> { [Transaccion] = id }));
        Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
        fila = Assert.Single(await TrazasAsync(id));
        Assert.Equal(((short)404, null, null), ((short)fila["status"]!, (string?)fila["operacion"], (string?)fila["ruta"]));

        // 429: the rate limit.
        await using (var limitada = Factory.WithWebHostBuilder(b => b.UseSetting("LimitesDeUso:SolicitudesAnonimasPorMinuto", "2")))
        {
            var anonimo = limitada.CreateClient();
            var ids = new List<(string Id, HttpStatusCode Estado)>();
            for (var i = 0; i < 4; i++)
            {
                var t = NuevoId();
                var resp = await anonimo.SendAsync(Pedido(HttpMethod.Get, "/api/v1/lineas-evaluacion", new Dictionary<string, string> { [Transaccion] = t }));
                Assert.Equal(t, EcoDe(resp));
                ids.Add((t, resp.StatusCode));
            }

            Assert.Contains(ids, x => x.Estado == HttpStatusCode.TooManyRequests);
            foreach (var (t, estado) in ids)
            {
                fila = Assert.Single(await TrazasAsync(t));
                Assert.Equal((short)estado, fila["status"]);
                if (estado == HttpStatusCode.TooManyRequests) Assert.Equal("urn:compromisos:demasiadas-solicitudes", fila["tipo_problema"]);
            }
        }

        // 500: a failure nobody expected (an event deriver that throws, in this host only).
        await using (var rota = Factory.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<IDerivadorDeEventos, DerivadorQueFalla>())))
        {
            id = NuevoId();
            r = await rota.CreateClient().Autenticar(Tokens.Crear("ana", ["administrador"]))
                .SendAsync(Pedido(HttpMethod.Post, "/api/v1/ministerios", new Dictionary<string, string> { [Transaccion] = id }, new { nombre = "Ministerio que falla" }));
            await Problemas.AfirmarAsync(r, HttpStatusCode.InternalServerError, "urn:compromisos:error-interno");
            Assert.Equal(id, EcoDe(r));
            fila = Assert.Single(await TrazasAsync(id));
            Assert.Equal(((short)500, "error", "urn:compromisos:error-interno", "CrearMinisterio"),
                ((short)fila["status"]!, (string)fila["resultado"]!, (string?)fila["tipo_problema"], (string?)fila["operacion"]));
        }
    }

    private sealed class DerivadorQueFalla : IDerivadorDeEventos
    {
        public Task<IReadOnlyList<EventoNuevo>> DerivarAsync(CompromisosDbContext db, IReadOnlyList<CambioRegistrado> cambios, DateTimeOffset ahora, CancellationToken ct) =>
            throw new InvalidOperationException("Falla de prueba");
    }

    [Fact]
    public async Task Doscientas_solicitudes_en_paralelo_dejan_doscientas_trazas_una_por_transaccion()
    {
        var prefijo = NuevoId("carga");
        var ids = Enumerable.Range(0, 200).Select(i => $"{prefijo}-{i}").ToList();
        var respuestas = await Task.WhenAll(ids.Select(async (t, i) =>
        {
            var ruta = (i % 3) switch { 0 => "/api/v1/programas", 1 => "/api/v1/lineas-evaluacion", _ => "/api/v1/programas/123456789" };
            using var resp = await Cliente.SendAsync(Pedido(HttpMethod.Get, ruta, new Dictionary<string, string> { [Transaccion] = t }));
            return (t, resp.StatusCode, Eco: EcoDe(resp));
        }));
        Assert.All(respuestas, x => Assert.Equal(x.t, x.Eco));

        await Feed.EsperarAsync(async () => await ContarAsync(Factory.ConnectionString, prefijo) >= 200, "200 trazas");
        await Task.Delay(500);
        await using var c = new NpgsqlConnection(Factory.ConnectionString);
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT transaccion_id, status FROM trazas WHERE transaccion_id LIKE $1 || '%'", c);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = prefijo });
        var filas = new List<(string Id, short Status)>();
        await using (var lector = await cmd.ExecuteReaderAsync())
        {
            while (await lector.ReadAsync()) filas.Add((lector.GetString(0), lector.GetInt16(1)));
        }

        Assert.Equal(200, filas.Count);
        Assert.Equal(ids.Order(), filas.Select(f => f.Id).Order());
        var estados = respuestas.ToDictionary(x => x.t, x => (short)x.StatusCode);
        Assert.All(filas, f => Assert.Equal(estados[f.Id], f.Status));
    }

    [SkippableFact]
    public async Task Con_SIGTERM_en_plena_carga_ninguna_traza_del_bufer_se_pierde()
    {
        Skip.If(!OperatingSystem.IsLinux(), "SIGTERM");
        Skip.If(!File.Exists(ServicioEnProceso.Dll), "El servicio no está compilado en Release: " + ServicioEnProceso.Dll);
        var conexion = Factory.Services.GetRequiredService<IConfiguration>().GetConnectionString("Compromisos")!;
        // A long interval: what was answered before the signal is still in memory when it comes.
        using var servicio = new ServicioEnProceso(conexion, new Dictionary<string, string>
        {
            ["Interoperabilidad__Trazas__Intervalo"] = "00:01:00",
            ["Apagado__Gracia"] = "00:00:20",
        });
        await servicio.EsperarListoAsync();
        var prefijo = NuevoId("sigterm");
        var respondidas = new ConcurrentBag<string>();
        var detenido = new CancellationTokenSource();
        var n = 0;
        var sinEco = 0;
        var clientes = Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
        {
            using var c = new HttpClient { BaseAddress = servicio.Url };
            while (!detenido.IsCancellationRequested)
            {
                var t = $"{prefijo}-{Interlocked.Increment(ref n)}";
                try
                {
                    using var resp = await c.SendAsync(Pedido(HttpMethod.Get, "/api/v1/lineas-evaluacion", new Dictionary<string, string> { [Transaccion] = t }));
                    // Answered by the service's pipeline (not by the server refusing it while it stops).
                    if (resp.Headers.TryGetValues(Transaccion, out var eco)) respondidas.Add(eco.Single());
                    else Interlocked.Increment(ref sinEco);
                }
                catch (HttpRequestException)
                {
                    return; // the instance is gone
                }
            }
        })).ToList();

        await Feed.EsperarAsync(() => Task.FromResult(respondidas.Count >= 300), () => "Sin respuestas:\n" + servicio.Registro(), segundos: 60);
        var escritasAntes = await ContarAsync(Factory.ConnectionString, prefijo);
        var senal = Stopwatch.StartNew();
        using (var kill = Process.Start("kill", ["-TERM", servicio.Proceso.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await kill!.WaitForExitAsync();
        using (var limite = new CancellationTokenSource(TimeSpan.FromSeconds(40))) await servicio.Proceso.WaitForExitAsync(limite.Token);
        detenido.Cancel();
        await Task.WhenAll(clientes);
        Assert.True(servicio.Proceso.ExitCode == 0, $"Código de salida {servicio.Proceso.ExitCode}:\n" + servicio.Registro());

        var filas = new List<string>();
        await using (var c = new NpgsqlConnection(Factory.ConnectionString))
        {
            await c.OpenAsync();
            await using var cmd = new NpgsqlCommand("SELECT transaccion_id FROM trazas WHERE transaccion_id LIKE $1 || '%'", c);
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = prefijo });
            await using var lector = await cmd.ExecuteReaderAsync();
            while (await lector.ReadAsync()) filas.Add(lector.GetString(0));
        }

        salida.WriteLine($"{respondidas.Count} respondidas ({sinEco} respuestas sin el eco, del servidor al detenerse), {escritasAntes} escritas antes de SIGTERM, {filas.Count} después; detenido en {senal.ElapsedMilliseconds} ms.");
        // The buffer held them when the signal came (else this test proves nothing), and the stop wrote them all, once.
        Assert.True(escritasAntes < respondidas.Count, $"{escritasAntes} de {respondidas.Count} ya estaban escritas antes de la señal");
        Assert.Empty(respondidas.Except(filas));
        Assert.Equal(filas.Count, filas.Distinct().Count());
    }

    [Fact]
    public async Task Se_crean_particiones_adelantadas_y_la_retencion_elimina_un_mes_vencido_sin_bajar_de_doce()
    {
        var ahora = DateTime.UtcNow;
        var mes = new DateTime(ahora.Year, ahora.Month, 1, 0, 0, 0, DateTimeKind.Utc);
        string Nombre(DateTime m) => $"trazas_{m:yyyy_MM}";
        var vencido = mes.AddMonths(-25);
        var vigente = mes.AddMonths(-23);
        var doce = mes.AddMonths(-12);
        // As the owner role, as the service's own partitions are (a superuser's table would stop the owner's later grants),
        // and not pooled: no owner's session outlives the test.
        await using var c = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Factory.ConexionMigraciones ?? Factory.ConnectionString) { Pooling = false }.ConnectionString);
        await c.OpenAsync();
        async Task Ejecutar(string sql)
        {
            await using var cmd = new NpgsqlCommand(sql, c);
            await cmd.ExecuteNonQueryAsync();
        }

        async Task<bool> Existe(DateTime m)
        {
            await using var cmd = new NpgsqlCommand($"SELECT to_regclass('public.{Nombre(m)}') IS NOT NULL", c);
            return (bool)(await cmd.ExecuteScalarAsync())!;
        }

        foreach (var m in new[] { vencido, vigente, doce })
        {
            if (!await Existe(m))
                await Ejecutar($"CREATE TABLE {Nombre(m)} PARTITION OF trazas FOR VALUES FROM ('{m:yyyy-MM-dd}T00:00:00Z') TO ('{m.AddMonths(1):yyyy-MM-dd}T00:00:00Z')");
            await Ejecutar($"INSERT INTO trazas (ocurrida_en, duracion_ms, metodo, transaccion_id, status, resultado, proveedor) VALUES ('{m.AddDays(3):yyyy-MM-dd}T12:00:00Z', 1, 'GET', 'retencion-{m:yyyy-MM}', 200, 'exito', '08.02')");
        }

        var tarea = Factory.Services.GetRequiredService<MantenimientoDeTrazas>();
        await tarea.EjecutarAsync(CancellationToken.None);

        // 24 months by default: the month 25 months back is gone whole; 23 months back and 12 months back stay.
        Assert.False(await Existe(vencido));
        Assert.True(await Existe(vigente));
        Assert.True(await Existe(doce));
        Assert.Single(await LeerAsync(Factory.ConnectionString, $"retencion-{vigente:yyyy-MM}"));
        Assert.Empty(await LeerAsync(Factory.ConnectionString, $"retencion-{vencido:yyyy-MM}"));
        // Ahead: this month and the next two (Interoperabilidad:Trazas:MesesAdelantados).
        foreach (var m in new[] { mes, mes.AddMonths(1), mes.AddMonths(2) }) Assert.True(await Existe(m), Nombre(m));

        // 12 months is the floor: the month 12 months back has rows that are 11 to 12 months old, and stays.
        await using (var doceMeses = Factory.WithWebHostBuilder(b => b.UseSetting("Interoperabilidad:Trazas:MesesDeRetencion", "12")))
        {
            await doceMeses.Services.GetRequiredService<MantenimientoDeTrazas>().EjecutarAsync(CancellationToken.None);
        }

        Assert.False(await Existe(vigente));
        Assert.True(await Existe(doce));

        // Under 12 the service does not start, and the database refuses it to the runtime role whatever it asks.
        await using (var menos = Factory.WithWebHostBuilder(b => b.UseSetting("Interoperabilidad:Trazas:MesesDeRetencion", "11")))
        {
            var e = Assert.ThrowsAny<Exception>(() => menos.CreateClient());
            Assert.Contains("MesesDeRetencion", e.ToString(), StringComparison.Ordinal);
        }

        await using var app = new NpgsqlConnection(Factory.ConexionAplicacion);
        await app.OpenAsync();
        await using (var purgar = new NpgsqlCommand("SELECT trazas_purgar(1)", app))
        {
            var e = await Assert.ThrowsAsync<PostgresException>(() => purgar.ExecuteScalarAsync());
            Assert.Equal(PostgresErrorCodes.InvalidParameterValue, e.SqlState);
        }

        Assert.True(await Existe(doce));
        if (Factory.SinRolesSeparados is null)
        {
            // The runtime role can't drop a partition itself, nor delete traces.
            await using var borrar = new NpgsqlCommand($"DROP TABLE {Nombre(doce)}", app);
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, (await Assert.ThrowsAsync<PostgresException>(() => borrar.ExecuteNonQueryAsync())).SqlState);
            await using var eliminar = new NpgsqlCommand("DELETE FROM trazas", app);
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, (await Assert.ThrowsAsync<PostgresException>(() => eliminar.ExecuteNonQueryAsync())).SqlState);
        }
    }

    [Fact]
    public async Task Los_administradores_listan_con_filtros_y_paginas_y_exportan_el_dia_en_JSON_Lines()
    {
        var prefijo = NuevoId("lista");
        var organismo = "ORG-" + Guid.NewGuid().ToString("N")[..8];
        var enviados = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var t = $"{prefijo}-{i}";
            enviados.Add(t);
            var enc = new Dictionary<string, string> { [Transaccion] = t, [Organismo] = organismo };
            if (i < 2) enc[Run] = "12345678-5";
            var ruta = i == 4 ? "/api/v1/programas/424242" : "/api/v1/lineas-evaluacion";
            await Cliente.SendAsync(Pedido(HttpMethod.Get, ruta, enc));
        }

        await Feed.EsperarAsync(async () => await ContarAsync(Factory.ConnectionString, prefijo) == 5, "5 trazas");
        var admin = ClienteCon("admin", ["administrador"]);

        // Pages of 2 over the organismo: the five, in id order, no repeats, no gaps.
        var vistos = new List<JsonObject>();
        string? cursor = null;
        var paginas = 0;
        do
        {
            var pagina = await new Escenario(admin).LeerAsync($"/api/v1/trazas?organismo={organismo}&limit=2" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            vistos.AddRange(pagina["items"]!.AsArray().Select(x => x!.AsObject()));
            cursor = (string?)pagina["nextCursor"];
            paginas++;
        }
        while (cursor is not null);
        Assert.Equal(3, paginas);
        Assert.Equal(enviados, vistos.Select(x => (string)x["transaccionId"]!));
        Assert.Equal(vistos.Select(x => (long)x["id"]!).Order(), vistos.Select(x => (long)x["id"]!));
        var error = vistos.Single(x => (string)x["transaccionId"]! == $"{prefijo}-4");
        Assert.Equal(("error", 404, "ObtenerPrograma", "urn:compromisos:no-encontrado"),
            ((string)error["resultado"]!, (int)error["status"]!, (string?)error["operacion"], (string?)error["tipoProblema"]));

        async Task<List<string>> Ids(string consulta) =>
            (await new Escenario(admin).LeerAsync("/api/v1/trazas?" + consulta))["items"]!.AsArray().Select(x => (string)x!["transaccionId"]!).ToList();

        Assert.Equal(enviados.Take(2), await Ids($"organismo={organismo}&run=12345678-5"));
        Assert.Equal([$"{prefijo}-3"], await Ids($"transaccionId={prefijo}-3"));
        Assert.Equal([$"{prefijo}-4"], await Ids($"organismo={organismo}&operacion=ObtenerPrograma"));
        var instante = (DateTimeOffset)vistos[0]["ocurridaEn"]!;
        Assert.Empty(await Ids($"organismo={organismo}&hasta={Uri.EscapeDataString(instante.AddSeconds(-1).ToString("O"))}"));
        Assert.Equal(enviados, await Ids($"organismo={organismo}&desde={Uri.EscapeDataString(instante.ToString("O"))}&hasta={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(1).ToString("O"))}"));

        // Bad filters, and others than administradores.
        await Problemas.Validacion(await admin.GetAsync("/api/v1/trazas?run=12345678-4"), "run");
        await Problemas.Validacion(await admin.GetAsync("/api/v1/trazas?organismo=a%20b"), "organismo");
        await Problemas.Validacion(await admin.GetAsync("/api/v1/trazas?cursor=nada"), "cursor");
        await Problemas.AfirmarAsync(await ClienteCon("analista", ["analista"]).GetAsync("/api/v1/trazas"), HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.Unauthorized, (await ClienteAnonimo().GetAsync("/api/v1/trazas")).StatusCode);

        // The day's export: every trace of the day, one JSON object per line, in time order, ours among them.
        var dia = instante.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var r = await admin.GetAsync($"/api/v1/trazas/exportacion?fecha={dia}");
        await Escenario.Esperar(r, HttpStatusCode.OK);
        Assert.Equal("application/x-ndjson", r.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"trazas-{dia}.jsonl", r.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var texto = await r.Content.ReadAsStringAsync();
        Assert.EndsWith("\n", texto, StringComparison.Ordinal);
        var lineas = texto.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        var nuestras = lineas.Where(l => ((string)l["transaccionId"]!).StartsWith(prefijo, StringComparison.Ordinal)).ToList();
        Assert.Equal(enviados.Order(), nuestras.Select(l => (string)l["transaccionId"]!).Order());
        Assert.Equal(vistos.Select(v => v.ToJsonString()).Order(), nuestras.Select(n => n.ToJsonString()).Order());
        var instantes = lineas.Select(l => (DateTimeOffset)l["ocurridaEn"]!).ToList();
        Assert.Equal(instantes.Order(), instantes);
        Assert.All(instantes, i => Assert.Equal(dia, i.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));

        // Another day has none of them; a malformed day is 400.
        var otroDia = await admin.GetStringAsync("/api/v1/trazas/exportacion?fecha=2001-01-01");
        Assert.Equal("", otroDia);
        await Problemas.Validacion(await admin.GetAsync("/api/v1/trazas/exportacion?fecha=2026-1-1"), "fecha");
        await Problemas.Validacion(await admin.GetAsync("/api/v1/trazas/exportacion"), "fecha");
    }

    [Fact]
    public async Task Apagada_la_traza_los_encabezados_siguen_validandose_y_el_id_vuelve_pero_nada_se_escribe()
    {
        await using var sinTraza = Factory.WithWebHostBuilder(b => b.UseSetting("Interoperabilidad:Trazas:Habilitada", "false"));
        var c = sinTraza.CreateClient();
        var id = NuevoId();
        var r = await c.SendAsync(Pedido(HttpMethod.Get, "/api/v1/lineas-evaluacion", new Dictionary<string, string> { [Transaccion] = id }));
        await Escenario.Esperar(r, HttpStatusCode.OK);
        Assert.Equal(id, EcoDe(r));
        await Problemas.Validacion(await c.SendAsync(Pedido(HttpMethod.Get, "/api/v1/lineas-evaluacion", new Dictionary<string, string> { [Run] = "1-1" })), Run);
        // A trace of the main host, after it, is written: this one's would be by then.
        var testigo = NuevoId();
        await Cliente.SendAsync(Pedido(HttpMethod.Get, "/api/v1/lineas-evaluacion", new Dictionary<string, string> { [Transaccion] = testigo }));
        await TrazasAsync(testigo);
        Assert.Empty(await LeerAsync(Factory.ConnectionString, id));
    }
}
