using Microsoft.AspNetCore.Http.HttpResults;

namespace CompromisosApi.Common;

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
    public static uint? ExigirIfMatch(string? ifMatch) =>
        string.IsNullOrWhiteSpace(ifMatch) ? throw new PrecondicionRequeridaException() : Etags.Leer(ifMatch);

    public static uint? LeerIfMatch(string? ifMatch) => Etags.Leer(ifMatch);

    /// <summary>The endpoint answers with the resource's ETag (GET by id, POST that creates it, PUT).</summary>
    public static RouteHandlerBuilder ConVersion(this RouteHandlerBuilder b) => b.WithMetadata(new ConEtagAttribute());

    public static RouteHandlerBuilder Documentar(this RouteHandlerBuilder b, string operationId, string resumen, string descripcion) =>
        b.WithName(operationId).WithSummary(resumen).WithDescription(descripcion);

    /// <summary>Reads by id: the id may not exist.</summary>
    public static RouteHandlerBuilder ErroresDeLectura(this RouteHandlerBuilder b) =>
        b.ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

    public static RouteHandlerBuilder ErroresDeLista(this RouteHandlerBuilder b) => b.ProducesValidationProblem();

    public static RouteHandlerBuilder ErroresDeCreacion(this RouteHandlerBuilder b) =>
        b.ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

    public static RouteHandlerBuilder ErroresDeActualizacion(this RouteHandlerBuilder b) =>
        b.ErroresDeCreacion()
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired);
}
