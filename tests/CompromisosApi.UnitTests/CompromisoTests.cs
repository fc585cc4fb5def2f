using CompromisosApi.Domain;

namespace CompromisosApi.UnitTests;

public sealed class CompromisoTests
{
    private static readonly Autoria Ahora = new("ana", new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));

    private static Compromiso Nuevo(DateOnly? vence = null) =>
        new(new Recomendacion(programaId: 1, numero: 2, texto: "Recomendación", Ahora.En), secuencia: 3, "Compromiso", vence ?? new DateOnly(2009, 12, 1), Ahora.En);

    private static readonly Calificacion[] Destinos =
        [Calificacion.Cumplido, Calificacion.ParcialmenteCumplido, Calificacion.NoCumplido, Calificacion.Cancelado];

    public static TheoryData<Calificacion, Calificacion> Todas()
    {
        var d = new TheoryData<Calificacion, Calificacion>();
        foreach (var desde in Enum.GetValues<Calificacion>())
            foreach (var hacia in Enum.GetValues<Calificacion>())
                d.Add(desde, hacia);
        return d;
    }

    /// <summary>The whole transition table: every pair is either allowed or refused with its rule.</summary>
    [Theory]
    [MemberData(nameof(Todas))]
    public void Tabla_de_transiciones(Calificacion desde, Calificacion hacia)
    {
        var c = Nuevo();
        if (desde != Calificacion.Pendiente) c.Calificar(desde, new DateOnly(2009, 6, 30), "motivo", false, Ahora);

        var permitida = !desde.EsFinal() && hacia != Calificacion.Pendiente;
        var accion = () => c.Calificar(hacia, new DateOnly(2009, 12, 31), "motivo", false, Ahora);

        if (permitida)
        {
            var registro = accion();
            Assert.Equal(hacia, c.Calificacion);
            Assert.Equal(new DateOnly(2009, 12, 31), c.FechaCalificacion);
            Assert.Equal(hacia, registro.Calificacion);
            Assert.Equal("motivo", registro.Observacion);
            Assert.Equal(Ahora.En, registro.RegistradaEn);
            Assert.Equal("ana", registro.RegistradaPor);
        }
        else
        {
            var ex = Assert.Throws<ReglaException>(accion);
            Assert.Equal(desde.EsFinal() ? Reglas.CalificacionFinal : Reglas.SinRetornoAPendiente, ex.Regla);
            Assert.Equal(desde, c.Calificacion);
        }
    }

    [Fact]
    public void Nace_Pendiente_con_su_numero_y_el_mes_como_primer_dia()
    {
        var c = Nuevo(new DateOnly(2009, 12, 17));
        Assert.Equal(Calificacion.Pendiente, c.Calificacion);
        Assert.Null(c.FechaCalificacion);
        Assert.Equal("2.3", c.Numero);
        Assert.Equal(new DateOnly(2009, 12, 1), c.FechaVencimiento);
    }

    [Fact]
    public void La_fecha_no_retrocede_pero_puede_repetirse()
    {
        var c = Nuevo();
        c.Calificar(Calificacion.NoCumplido, new DateOnly(2010, 6, 30), null, false, Ahora);

        var ex = Assert.Throws<ReglaException>(() => c.Calificar(Calificacion.Cumplido, new DateOnly(2010, 6, 29), null, false, Ahora));
        Assert.Equal(Reglas.FechaAnterior, ex.Regla);
        c.Calificar(Calificacion.ParcialmenteCumplido, new DateOnly(2010, 6, 30), null, false, Ahora);
        Assert.Equal(Calificacion.ParcialmenteCumplido, c.Calificacion);
    }

    [Theory]
    [InlineData(null, false, false)]
    [InlineData("", false, false)]
    [InlineData("  ", false, false)]
    [InlineData("El programa se descontinuó.", false, true)]
    [InlineData(null, true, true)]
    public void Cancelado_exige_motivo(string? observacion, bool hayReporte, bool aceptado)
    {
        var c = Nuevo();
        var accion = () => c.Calificar(Calificacion.Cancelado, new DateOnly(2011, 12, 31), observacion, hayReporte, Ahora);
        if (aceptado)
        {
            accion();
            Assert.Equal(Calificacion.Cancelado, c.Calificacion);
        }
        else
        {
            Assert.Equal(Reglas.CanceladoRequiereMotivo, Assert.Throws<ReglaException>(accion).Regla);
            Assert.Equal(Calificacion.Pendiente, c.Calificacion);
        }
    }

    [Fact]
    public void Los_demas_destinos_no_exigen_observacion()
    {
        foreach (var destino in Destinos.Where(d => d != Calificacion.Cancelado))
        {
            var c = Nuevo();
            c.Calificar(destino, new DateOnly(2009, 12, 31), null, false, Ahora);
            Assert.Equal(destino, c.Calificacion);
        }
    }

    [Theory]
    [InlineData("2013-06-01", "2013-12-31", Calificacion.Pendiente, true)]
    [InlineData("2013-12-01", "2013-12-31", Calificacion.Pendiente, true)]
    [InlineData("2013-12-01", "2013-12-01", Calificacion.NoCumplido, true)]
    [InlineData("2013-12-01", "2013-11-30", Calificacion.Pendiente, false)]
    [InlineData("2014-06-01", "2013-12-31", Calificacion.Pendiente, false)]
    [InlineData("2013-06-01", "2013-12-31", Calificacion.ParcialmenteCumplido, true)]
    [InlineData("2013-06-01", "2013-12-31", Calificacion.Cumplido, false)]
    [InlineData("2013-06-01", "2013-12-31", Calificacion.Cancelado, false)]
    public void Vencido_al_corte(string vence, string corte, Calificacion calificacion, bool vencido) =>
        Assert.Equal(vencido, Compromiso.EstaVencido(DateOnly.Parse(vence), calificacion, DateOnly.Parse(corte)));
}
