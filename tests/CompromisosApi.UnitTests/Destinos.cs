using CompromisosApi.Common;
using CompromisosApi.Features.Webhooks;
using Microsoft.Extensions.Options;

namespace CompromisosApi.UnitTests;

/// <summary>A webhook destination policy built from fixed options, as the webhook tests need it.</summary>
internal static class Destinos
{
    private sealed class Fijas(OpcionesWebhooks valor) : IOptionsMonitor<OpcionesWebhooks>
    {
        public OpcionesWebhooks CurrentValue => valor;
        public OpcionesWebhooks Get(string? name) => valor;
        public IDisposable? OnChange(Action<OpcionesWebhooks, string?> listener) => null;
    }

    public static PoliticaDeDestinos Politica(params string[] permitidos) => new(new Fijas(new OpcionesWebhooks { PermitirDestinos = [.. permitidos] }));
}
