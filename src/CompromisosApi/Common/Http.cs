using Microsoft.AspNetCore.Http.HttpResults;

namespace CompromisosApi.Common;

/// <summary>
/// The request line and the headers Kestrel accepts (Program.cs sets them): a longer request line is 414, longer headers
/// 431, before any endpoint runs. They bound, in the contract, the texts of query and header parameters that nothing
/// else bounds (a filter compared with the record, an If-Match).
/// </summary>
public static class LimitesDeSolicitud
{
    /// <summary>Kestrel's MaxRequestLineSize (its default): the method, path and query together, in bytes.</summary>
    public const int LargoLinea = 8 * 1024;

    /// <summary>Kestrel's MaxRequestHeadersTotalSize (its default): every header together, in bytes.</summary>
    public const int LargoEncabezados = 32 * 1024;
}

/// <summary>HTTP conventions shared by every endpoint: ETags on representations, If-Match on writes.</summary>
public static class Http
{
    public const string Base = "/api/v1";

    public static Ok<T> ConEtag<T>(HttpContext http, Versionado<T> v)
    {
        http.Response.Headers.ETag = v.ETag;
        return TypedResults.Ok(v.Recurso);
    }

    public static Created<T> CreadoConEtag<T>(HttpContext http, string ubicacion, Versionado<T> v)
    {
        http.Response.Headers.ETag = v.ETag;
        return TypedResults.Created(ubicacion, v.Recurso);
    }

    /// <summary>PUT replaces what the client read: without If-Match it could silently undo another's write.</summary>
    public static uint[]? ExigirIfMatch(string? ifMatch) =>
        string.IsNullOrWhiteSpace(ifMatch) ? throw new PrecondicionRequeridaException() : Etags.Leer(ifMatch);

    /// <summary>GET {id} of a resource with a version: its representation and its ETag.</summary>
    public static RouteHandlerBuilder MapObtenerVersionado<T>(this IEndpointRouteBuilder rutas, Func<int, IQuery<Versionado<T>>> consulta) =>
        rutas.MapGet("{id:int}", async (int id, IMediator m, HttpContext http, CancellationToken ct) =>
                ConEtag(http, await m.Send(consulta(id), ct)))
            .ConVersion();

    /// <summary>The endpoint answers with the resource's ETag (GET by id, POST that creates it, PUT).</summary>
    public static RouteHandlerBuilder ConVersion(this RouteHandlerBuilder b) => b.WithMetadata(new ConEtagAttribute());

    public static RouteHandlerBuilder Documentar(this RouteHandlerBuilder b, string operationId, string resumen, string descripcion) =>
        b.WithName(operationId).WithSummary(resumen).WithDescription(descripcion);

    /// <summary>A string query parameter that takes only these values: the contract lists them as its enum.</summary>
    public static RouteHandlerBuilder ValoresPermitidos(this RouteHandlerBuilder b, string parametro, IReadOnlyList<string> valores) =>
        b.WithMetadata(new ValoresPermitidosAttribute(parametro, valores));

    /// <summary>
    /// A group of an area's routes under <see cref="Base"/><paramref name="ruta"/>: the tag its operations have in the
    /// contract, and the 503 (database unreachable) that every one of them can answer, declared here once.
    /// </summary>
    public static RouteGroupBuilder MapGrupo(this IEndpointRouteBuilder app, string ruta, string etiqueta) =>
        app.MapGroup(Base + ruta).WithTags(etiqueta).ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    /// <summary>A group and its operations, mapped in the order given (the order the contract lists them in).</summary>
    public static IEndpointRouteBuilder MapGrupo(this IEndpointRouteBuilder app, string ruta, string etiqueta, params ReadOnlySpan<Action<IEndpointRouteBuilder>> operaciones)
    {
        var g = app.MapGrupo(ruta, etiqueta);
        foreach (var operacion in operaciones) operacion(g);
        return app;
    }

    /// <summary>
    /// Declares the problem+json answers an operation can give, exactly, so generated clients and the fuzz tests
    /// know them. 503 (database unreachable) is declared once per group.
    /// </summary>
    public static RouteHandlerBuilder Errores(this RouteHandlerBuilder b, params int[] codigos)
    {
        foreach (var c in codigos) b = c == StatusCodes.Status400BadRequest ? b.ProducesValidationProblem() : b.ProducesProblem(c);
        return b;
    }

    /// <summary>
    /// A round's refusals (Common/Rondas.cs): these statuses answer <see cref="ProblemaDeRonda"/>, each failing item with
    /// the problem the single operation would give it. The contract references the round's shared responses.
    /// </summary>
    public static RouteHandlerBuilder ErroresPorElemento(this RouteHandlerBuilder b, params int[] codigos) =>
        b.WithMetadata(new ErroresPorElementoAttribute(codigos));

    /// <summary>A 201 that creates several resources (a round): its body lists them, each with its id; no Location names one.</summary>
    public static RouteHandlerBuilder CreaVarios(this RouteHandlerBuilder b) => b.WithMetadata(new CreaVariosAttribute());
}

[AttributeUsage(AttributeTargets.Method)]
internal sealed class ErroresPorElementoAttribute(int[] codigos) : Attribute
{
    public IReadOnlyList<int> Codigos { get; } = codigos;
}

[AttributeUsage(AttributeTargets.Method)]
internal sealed class CreaVariosAttribute : Attribute;
