namespace CompromisosApi.Features.Evidencia;

public static class EvidenciaServicios
{
    public static IServiceCollection AddEvidencia(this IServiceCollection services)
    {
        services.AddOptions<OpcionesEvidencia>().BindConfiguration(OpcionesEvidencia.Seccion)
            .Validate(o => o.TamanoMaximoBytes > 0, "Evidencia:TamanoMaximoBytes debe ser positivo.")
            .ValidateOnStart();
        return services.AddSingleton<IAlmacenEvidencia, AlmacenEvidenciaPostgres>();
    }
}

/// <summary>Configuration section Evidencia.</summary>
public sealed class OpcionesEvidencia
{
    public const string Seccion = "Evidencia";

    /// <summary>
    /// What a multipart upload may carry besides the file (its title and corte, boundaries and part headers): the
    /// request as a whole may be this much larger than the file.
    /// </summary>
    public const long MargenFormulario = 64 * 1024;

    /// <summary>Largest accepted file, in bytes (25 MB by default). One byte more is answered 413.</summary>
    public long TamanoMaximoBytes { get; set; } = 25L * 1024 * 1024;
}
