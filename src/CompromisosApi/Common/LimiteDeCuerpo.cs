using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace CompromisosApi.Common;

/// <summary>
/// An endpoint's own request body limit. Routing applies <see cref="MaxRequestBodySize"/> when it picks the endpoint;
/// an endpoint that also takes a small JSON body holds it to <see cref="MaximoJson"/> through <see cref="Aplicar"/>,
/// which whatever reads the body first calls (the Idempotency-Key middleware hashes it before the endpoint runs).
/// </summary>
public sealed class LimiteDeCuerpo(long maximo, long? maximoJson = null) : IRequestSizeLimitMetadata
{
    public long? MaxRequestBodySize { get; } = maximo;

    public long? MaximoJson { get; } = maximoJson;

    /// <summary>Lowers the server's limit to the JSON one for a JSON body; past it, reading fails with 413.</summary>
    public static void Aplicar(HttpContext http)
    {
        if (http.GetEndpoint()?.Metadata.GetMetadata<LimiteDeCuerpo>() is { MaximoJson: { } json } && http.Request.HasJsonContentType()
            && http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } f)
        {
            f.MaxRequestBodySize = json;
        }
    }
}
