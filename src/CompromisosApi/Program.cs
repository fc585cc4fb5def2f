using System.Text.Json;
using System.Text.Json.Serialization;
using CompromisosApi.Features.Auditoria;
using CompromisosApi.Features.Catalogo;
using CompromisosApi.Features.Compromisos;
using CompromisosApi.Features.Correcciones;
using CompromisosApi.Features.Cortes;
using CompromisosApi.Features.Demo;
using CompromisosApi.Features.Evidencia;
using CompromisosApi.Features.Eventos;
using CompromisosApi.Features.Importaciones;
using CompromisosApi.Features.Informes;
using CompromisosApi.Features.Estadisticas;
using CompromisosApi.Features.Programas;
using CompromisosApi.Features.Recomendaciones;
using CompromisosApi.Features.Trazas;
using CompromisosApi.Features.Webhooks;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http.Json;
using Npgsql;

var builder = WebApplication.CreateBuilder(args);
builder.AddObservabilidad();

builder.Services.Configure<JsonOptions>(o =>
{
    o.SerializerOptions.Converters.Add(new EnumEstrictoConverter());
    // The contract is exact: a null where a value is required, a field the contract does not have (a typo such
    // as "observaciones") or a number sent as text is bad input (400), never silently dropped or coerced.
    o.SerializerOptions.RespectNullableAnnotations = true;
    o.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
    o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
    // {"calificacion":"Cumplido", …, "calificacion":"Cancelado"}: which one did the caller mean? Neither is guessed.
    o.SerializerOptions.AllowDuplicateProperties = false;
});
builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
{
    // What the framework answers by itself (routing, authorization, Kestrel's body limit) carries the contract's types
    // too, not RFC 9110's URLs: integrators branch on the type.
    if (c.ProblemDetails.Type?.StartsWith("https://", StringComparison.Ordinal) != false)
    {
        (string Tipo, string Titulo, string Detalle)? propio = c.ProblemDetails.Status switch
        {
            StatusCodes.Status401Unauthorized => (TiposDeProblema.NoAutenticado, "No autenticado",
                "Falta el token bearer o no es válido (WWW-Authenticate dice por qué)."),
            StatusCodes.Status403Forbidden => (TiposDeProblema.Prohibido, "Prohibido", "Su rol no permite esta operación."),
            // A path that exists, with a method none of its operations takes (Allow lists the ones it does).
            StatusCodes.Status405MethodNotAllowed => (TiposDeProblema.MetodoNoPermitido, "Método no permitido",
                "Ninguna operación de esta ruta recibe este método: vea el encabezado Allow y el contrato."),
            // A path that no route takes: an id that is not a positive 32-bit integer, among others.
            StatusCodes.Status404NotFound => (TiposDeProblema.NoEncontrado, "No encontrado",
                "No existe el recurso pedido (los ids son enteros positivos de 32 bits)."),
            StatusCodes.Status413PayloadTooLarge => (TiposDeProblema.CuerpoDemasiadoGrande, "Cuerpo demasiado grande",
                "El cuerpo de la solicitud supera el límite de la operación."),
            // Routing refuses a body of another media type before any handler runs.
            StatusCodes.Status415UnsupportedMediaType => (TiposDeProblema.TipoNoAdmitido, "Tipo de contenido no admitido",
                "Esta operación recibe application/json."),
            _ => null,
        };
        if (propio is var (tipo, titulo, detalle))
        {
            c.ProblemDetails.Type = tipo;
            c.ProblemDetails.Title = titulo;
            c.ProblemDetails.Detail ??= detalle;
            if (c.ProblemDetails.Status == StatusCodes.Status415UnsupportedMediaType)
                c.ProblemDetails.Extensions[MiembrosDeProblema.Admitidos] = new[] { "application/json" };
        }
    }

    Observabilidad.Completar(c.HttpContext, c.ProblemDetails);
});
builder.Services.AddExceptionHandler<ManejadorDeErrores>();

// Resolved lazily: test hosts and tools build the host before (or without) production configuration. One data source,
// so one pool for everything this instance opens (Persistence/Conexion.cs). Pooled DbContexts: creating one per request
// was most of a simple read's cost (bench/RESULTS.md).
builder.Services.AddSingleton(sp => Conexion.CrearFuente(sp.GetRequiredService<IConfiguration>()));
builder.Services.AddSingleton<LimiteDeEscrituras>();
builder.Services.AddDbContextPool<CompromisosDbContext>((sp, o) => o
    .UseNpgsql(sp.GetRequiredService<NpgsqlDataSource>())
    .UseSnakeCaseNamingConvention());

builder.Services.AddMediator((Mediator.MediatorOptions o) =>
{
    // Handlers take the scoped DbContext.
    o.ServiceLifetime = ServiceLifetime.Scoped;
    o.PipelineBehaviors = [typeof(ValidacionBehavior<,>), typeof(ConocidoAlBehavior<,>), typeof(TransaccionBehavior<,>)];
});
// A command's transaction (Common/Comportamientos.cs) and the outbox it writes its events to (Persistence/Bandeja.cs).
builder.Services.AddScoped<AmbitoTransaccional>();
builder.Services.AddSingleton<Bandeja>();
ValidatorOptions.Global.PropertyNameResolver = (_, member, _) => member is null ? null : JsonNamingPolicy.CamelCase.ConvertName(member.Name);
// Validators are built once (building their rules per request was measurable), except those that query the record.
static bool ConsultaElRegistro(Type validador) =>
    validador.GetConstructors().Any(c => c.GetParameters().Any(p => p.ParameterType == typeof(CompromisosDbContext)));
builder.Services.AddValidatorsFromAssemblyContaining<Program>(ServiceLifetime.Singleton, r => !ConsultaElRegistro(r.ValidatorType), includeInternalTypes: true);
builder.Services.AddValidatorsFromAssemblyContaining<Program>(ServiceLifetime.Scoped, r => ConsultaElRegistro(r.ValidatorType), includeInternalTypes: true);
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddOptions<OpcionesCalendario>().BindConfiguration(OpcionesCalendario.Seccion)
    .Validate(o => o.CortesDelAnio().Length > 0).ValidateOnStart();
builder.Services.AddSingleton<Calendario>();
builder.Services.AddSingleton<RespuestasDeCumplimiento>();
builder.Services.AddOptions<OpcionesConsolidacionDeEstadisticas>().BindConfiguration(OpcionesConsolidacionDeEstadisticas.Seccion)
    .Validate(o => o.Intervalo > TimeSpan.Zero).ValidateOnStart();
builder.Services.AddSingleton<ConsolidacionDeEstadisticas>().AddHostedService(sp => sp.GetRequiredService<ConsolidacionDeEstadisticas>());
builder.Services.AddEvidencia();
builder.Services.AddCompromisos();
builder.Services.AddScoped<DemoSeeder>();
builder.Services.AddSeguridad(builder.Configuration);
// An import carries one programa's whole record; anything far larger is not a record. (The evidence upload raises
// the limit for itself: Features/Evidencia.)
builder.WebHost.ConfigureKestrel(k =>
{
    k.Limits.MaxRequestBodySize = 10 * 1024 * 1024;
    k.Limits.MaxRequestLineSize = LimitesDeSolicitud.LargoLinea;
    k.Limits.MaxRequestHeadersTotalSize = LimitesDeSolicitud.LargoEncabezados;
    Transferencias.ConfigurarKestrel(k, builder.Configuration);
});
builder.Services.AddTransferencias();
builder.Services.AddSingleton<SaludDeBaseDeDatos>();
builder.Services.AddHealthChecks()
    .AddCheck<SaludDeBaseDeDatos>("database", tags: ["ready"])
    .AddCheck<SaludDeTareasProgramadas>("tareas-programadas", tags: ["ready"])
    .AddCheck<SaludDelRelay>("webhooks", tags: ["ready"]);
// On SIGTERM the host stops taking requests and waits this long for those in flight and the relay's current
// delivery (Kestrel and BackgroundService honour it); transaction-scoped advisory locks go with their connections.
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = builder.Configuration.GetValue("Apagado:Gracia", TimeSpan.FromSeconds(30)));
builder.Services.AddContratoOpenApi();
// The values of the problem members that take a closed set (Common/OpenApi/FiltrosDeProblemas.cs), where they are defined.
builder.Services.Configure<ValoresDeProblemas>(v => v
    .Agregar(MiembrosDeProblema.Admitidos, ["application/json", "multipart/form-data", .. TiposDeEvidencia.Admitidos])
    .Agregar(MiembrosDeProblema.Disponibles, NegociacionInforme.TiposDeContenido)
    .Agregar(MiembrosDeProblema.Cuota, Cuotas.Nombres));
builder.Services.AddWebhooks(builder.Configuration);
// Each area registers its own scheduled task; a pass runs them in this order (compromiso.vencido, corte.recordatorio,
// then the expired idempotency keys).
builder.Services.AddTareasProgramadas(builder.Configuration);
builder.Services.AddEventos(builder.Configuration);
builder.Services.AddCortes();
builder.Services.AddIdempotencia(builder.Configuration);
builder.Services.AddProgramas();
// The network's headers and the trace of every transaction (its writer, and its partitions' task after the others).
builder.Services.AddInteroperabilidad(builder.Configuration);
builder.Services.AddTrazas();

var app = builder.Build();

app.UseAlcanceDeRegistro();
app.UseProxiesConfiables();
app.UseTrazaDeTransacciones();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseEncabezadosDeSeguridad();
app.UseCors();
app.UseAuthentication();
app.UseRateLimiter();
app.UseEncabezadosDeCupo();
app.UseRechazoDeTokensInvalidos();
app.UseEncabezadosDeInteroperabilidad();
app.UseParametrosEstrictos();
app.UseAuthorization();
app.UseIdempotencia();
// Only under /swagger: the API's own requests need not walk Swagger's path matching and static files.
app.UseWhen(http => http.Request.Path.StartsWithSegments("/swagger"), swagger => swagger
    .UseSwagger()
    .UseSwaggerUI(o => o.DocumentTitle = "CompromisosApi"));

app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous().DisableRateLimiting();
app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") }).AllowAnonymous().DisableRateLimiting();
app.MapObservabilidad();
app.MapGet("/", () => Results.Redirect("/swagger")).ExcludeFromDescription().AllowAnonymous();
app.MapCatalogo();
app.MapProgramas();
app.MapRecomendaciones();
app.MapCompromisos();
app.MapImportaciones();
app.MapAuditoria();
app.MapCorrecciones();
app.MapInformes();
app.MapEstadisticas();
app.MapCortes();
app.MapEventos();
app.MapWebhooks();
app.MapTrazas();

// `migrate`: apply the migrations and the runtime role's privileges, then exit (for operators who migrate as a step of
// their own and run the service with Database:ApplyMigrations=false).
var soloMigrar = args is ["migrate", ..];
if (soloMigrar || app.Configuration.GetValue("Database:ApplyMigrations", true))
{
    await Migraciones.AplicarAsync(app.Services, CancellationToken.None);
    if (soloMigrar) return;
}

// Configuration that can't hold stops the start (the readiness probe's interval, the pools against max_connections).
app.Services.GetRequiredService<SaludDeBaseDeDatos>();
await PresupuestoDeConexiones.VerificarAsync(app.Services, CancellationToken.None);

if (args.Contains("--seed-demo"))
{
    await using var scope = app.Services.CreateAsyncScope();
    await scope.ServiceProvider.GetRequiredService<DemoSeeder>().CargarAsync(CancellationToken.None);
}

app.Run();

public partial class Program;
