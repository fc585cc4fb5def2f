namespace CompromisosApi.Features.Compromisos;

public static class CompromisosEndpoints
{
    /// <summary>What one token may pile into the record per compromiso, servicio and corte (reportes and medios).</summary>
    public static IServiceCollection AddCompromisos(this IServiceCollection services)
    {
        services.AddOptions<OpcionesCuotas>().BindConfiguration(OpcionesCuotas.Seccion)
            .Validate(o => o.ReportesPorCompromisoYCorte > 0 && o.BytesDeTextoPorServicioYCorte > 0 && o.MediosPorCompromiso > 0 && o.BytesDeArchivosPorServicioYCorte > 0,
                "Cuotas: todos los límites deben ser positivos.")
            .ValidateOnStart();
        return services.AddScoped<Cuotas>();
    }

    public static IEndpointRouteBuilder MapCompromisos(this IEndpointRouteBuilder app)
    {
        app.MapGrupo("/recomendaciones", "Compromisos",
            g => g.MapListarCompromisosDeRecomendacion(), g => g.MapCrearCompromiso());

        app.MapGrupo("/compromisos", "Compromisos",
            g => g.MapListarCompromisos(), g => g.MapExportarCompromisosCsv(), g => g.MapExportarCompromisosXlsx(),
            g => g.MapObtenerCompromiso(), g => g.MapActualizarCompromiso(), g => g.MapListarCalificaciones(),
            g => g.MapObtenerCalificacion(), g => g.MapCalificarCompromiso(), g => g.MapListarReportes(),
            g => g.MapObtenerReporte(), g => g.MapRegistrarReporte(), g => g.MapListarMediosVerificacion(),
            g => g.MapObtenerMedioVerificacion(), g => g.MapRegistrarMedioVerificacion(),
            g => g.MapRegistrarMedioVerificacionConArchivo(), g => g.MapDescargarMedioVerificacion());
        return app;
    }
}
