using CompromisosApi.Common;

namespace CompromisosApi.UnitTests;

public sealed class RedaccionTests
{
    [Theory]
    [InlineData("https://sistema.ejemplo.gob.cl/webhooks", "https://sistema.ejemplo.gob.cl/webhooks")]
    [InlineData("https://h.cl/x?token=abc123", "https://h.cl/x?token=[redactado]")]
    [InlineData("https://h.cl/x?token=abc&cliente=dipres&token=otro", "https://h.cl/x?token=[redactado]&cliente=[redactado]&token=[redactado]")]
    [InlineData("https://h.cl/x?abc123secreto", "https://h.cl/x?[redactado]")]
    [InlineData("https://h.cl/x?a=1=2&&b", "https://h.cl/x?a=[redactado]&&[redactado]")]
    [InlineData("https://h.cl/x?", "https://h.cl/x?")]
    [InlineData("https://usuario:clave@h.cl/x", "https://[redactado]@h.cl/x")]
    [InlineData("https://usuario:cl@ve@h.cl:8443/x?k=v", "https://[redactado]@h.cl:8443/x?k=[redactado]")]
    [InlineData("https://usuario:clave@h.cl", "https://[redactado]@h.cl")]
    [InlineData("https://usuario:clave@h.cl?k=v", "https://[redactado]@h.cl?k=[redactado]")]
    [InlineData("https://usuario:clave@h.cl\\x", "https://[redactado]@h.cl\\x")]
    [InlineData("https://h.cl/ruta@con-arroba", "https://h.cl/ruta@con-arroba")]
    [InlineData("https://h.cl/x#access_token=abc", "https://h.cl/x#[redactado]")]
    [InlineData("https://h.cl/x?k=v#f", "https://h.cl/x?k=[redactado]#[redactado]")]
    [InlineData("no es una url ? clave=1", "no es una url ? clave=[redactado]")]
    [InlineData("", "")]
    public void Una_url_queda_sin_usuario_ni_clave_ni_valores_de_la_consulta(string url, string esperada) =>
        Assert.Equal(esperada, Redaccion.Url(url));

    [Fact]
    public void Null_queda_null() => Assert.Null(Redaccion.Url(null));
}
