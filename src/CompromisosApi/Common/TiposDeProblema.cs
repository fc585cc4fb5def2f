namespace CompromisosApi.Common;

/// <summary>
/// Every problem type the service answers (RFC 9457 "type"), in one place: integrators branch on these URNs, so each is
/// written once. A rule of the record broken is <see cref="Regla"/> with the rule's name (Domain/ReglaException.cs).
/// </summary>
public static class TiposDeProblema
{
    public const string EntradaInvalida = "urn:compromisos:entrada-invalida";
    public const string CuerpoDemasiadoLento = "urn:compromisos:cuerpo-demasiado-lento";
    public const string CuerpoDemasiadoGrande = "urn:compromisos:cuerpo-demasiado-grande";
    public const string NoAutenticado = "urn:compromisos:no-autenticado";
    public const string Prohibido = "urn:compromisos:prohibido";
    public const string MetodoNoPermitido = "urn:compromisos:metodo-no-permitido";
    public const string NoEncontrado = "urn:compromisos:no-encontrado";
    public const string VersionObsoleta = "urn:compromisos:version-obsoleta";
    public const string NoAceptable = "urn:compromisos:no-aceptable";
    public const string IfMatchRequerido = "urn:compromisos:if-match-requerido";
    public const string ErrorInterno = "urn:compromisos:error-interno";
    public const string BaseDeDatosNoDisponible = "urn:compromisos:base-de-datos-no-disponible";
    public const string DemasiadasSolicitudes = "urn:compromisos:demasiadas-solicitudes";
    public const string DemasiadasTransferencias = "urn:compromisos:demasiadas-transferencias";
    public const string ServicioSaturado = "urn:compromisos:servicio-saturado";
    public const string IdempotenciaEnCurso = "urn:compromisos:idempotencia-en-curso";
    public const string IdempotenciaReutilizada = "urn:compromisos:idempotencia-reutilizada";
    public const string CuotaExcedida = "urn:compromisos:cuota-excedida";
    public const string ImportacionNoAutorizada = "urn:compromisos:importacion-no-autorizada";
    public const string ArchivoDemasiadoGrande = "urn:compromisos:archivo-demasiado-grande";
    public const string TipoNoAdmitido = "urn:compromisos:tipo-no-admitido";
    public const string RangoNoSatisfacible = "urn:compromisos:rango-no-satisfacible";
    public const string RondaRechazada = "urn:compromisos:ronda-rechazada";
    public const string RegistroEnEscritura = "urn:compromisos:registro-en-escritura";

    public const string PrefijoRegla = "urn:compromisos:regla:";

    public static string Regla(string regla) => PrefijoRegla + regla;
}
