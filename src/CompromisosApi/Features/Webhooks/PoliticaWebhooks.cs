namespace CompromisosApi.Features.Webhooks;

public static class PoliticaWebhooks
{
    /// <summary>
    /// Subscriptions are administrators' business: each one sends the record to an outside address, so creating one is
    /// configuring an integration (and an SSRF surface), like the catalog.
    /// </summary>
    public const string Nombre = "webhooks";
}
