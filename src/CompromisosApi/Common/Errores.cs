namespace CompromisosApi.Common;

/// <summary>An id in the path or in a body reference that does not exist: 404.</summary>
public sealed class NoEncontradoException(string recurso, object id, string? detalle = null)
    : Exception(detalle ?? $"No existe {recurso} con id {id}.")
{
    public string Recurso { get; } = recurso;
}

public static class NoEncontrado
{
    /// <summary>The one row a query by id finds, or 404 naming what was looked for.</summary>
    public static async Task<T> UnicoAsync<T>(this IQueryable<T> consulta, string recurso, object id, CancellationToken ct) =>
        await consulta.SingleOrDefaultAsync(ct) ?? throw new NoEncontradoException(recurso, id);
}

/// <summary>If-Match did not match the current ETag: 412.</summary>
public sealed class VersionObsoletaException()
    : Exception("El recurso cambió desde que fue leído: vuelva a leerlo y reintente con su ETag actual.");

/// <summary>A write that must carry If-Match came without it: 428.</summary>
public sealed class PrecondicionRequeridaException()
    : Exception("Esta operación exige el encabezado If-Match con el ETag leído del recurso (GET).");

/// <summary>The client's Accept names no representation the resource has: 406.</summary>
public sealed class NoAceptableException(IReadOnlyList<string> disponibles)
    : Exception($"Este recurso se entrega como {string.Join(", ", disponibles)}: pida uno de ellos en Accept, o use el parámetro formato.")
{
    public IReadOnlyList<string> Disponibles { get; } = disponibles;
}

/// <summary>
/// An answer other than the usual ones, with its own problem type: the evidence upload's 413 (file too large) and
/// 415 (type not accepted, judged by the content) carry what the client needs to fix the request.
/// </summary>
public sealed class ProblemaHttpException(int status, string tipo, string titulo, string detalle, IReadOnlyDictionary<string, object?>? extensiones = null)
    : Exception(detalle)
{
    public int Status { get; } = status;
    public string Tipo { get; } = tipo;
    public string Titulo { get; } = titulo;
    public IReadOnlyDictionary<string, object?> Extensiones { get; } = extensiones ?? new Dictionary<string, object?>();

    /// <summary>Sent as Retry-After when the refusal is temporary (429, 503).</summary>
    public int? ReintentarEnSegundos { get; init; }

    /// <summary>Other headers the answer carries (the 416's Content-Range).</summary>
    public IReadOnlyDictionary<string, string> Encabezados { get; init; } = new Dictionary<string, string>();
}
