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
        var deRecomendacion = app.MapGrupo("/recomendaciones", "Compromisos");
        deRecomendacion.MapListarCompromisosDeRecomendacion();
        deRecomendacion.MapCrearCompromiso();

        var g = app.MapGrupo("/compromisos", "Compromisos");
        g.MapListarCompromisos();
        g.MapExportarCompromisosCsv();
        g.MapExportarCompromisosXlsx();
        g.MapObtenerCompromiso();
        g.MapActualizarCompromiso();

        g.MapListarCalificaciones();
        g.MapObtenerCalificacion();
        g.MapCalificarCompromiso();

        g.MapListarReportes();
        g.MapObtenerReporte();
        g.MapRegistrarReporte();

        g.MapListarMediosVerificacion();
        g.MapObtenerMedioVerificacion();
        g.MapRegistrarMedioVerificacion();
        g.MapRegistrarMedioVerificacionConArchivo();
        g.MapDescargarMedioVerificacion();
        return app;
    }
}
