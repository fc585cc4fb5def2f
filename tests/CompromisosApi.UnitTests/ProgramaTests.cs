using CompromisosApi.Domain;

namespace CompromisosApi.UnitTests;

public sealed class ProgramaTests
{
    private static readonly Autoria Ahora = new("ana", DateTimeOffset.UnixEpoch);
    private static readonly Recomendacion Rec = new(1, 1, "R", DateTimeOffset.UnixEpoch);

    private static Compromiso Calificado(int secuencia, Calificacion c, DateOnly fecha)
    {
        var x = new Compromiso(Rec, secuencia, "C", new DateOnly(2009, 12, 1), DateTimeOffset.UnixEpoch);
        if (c != Calificacion.Pendiente) x.Calificar(c, fecha, "motivo", false, Ahora);
        return x;
    }

    private static Programa Nuevo() => new("Programa", servicioId: 1, anioEvaluacion: 2007, lineaEvaluacion: "EPG", DateTimeOffset.UnixEpoch);

    [Fact]
    public void Como_en_la_semilla_cuatro_cumplidos_y_un_cancelado_egresan_en_la_fecha_del_cancelado()
    {
        var p = Nuevo();
        var compromisos = Enumerable.Range(1, 4).Select(i => Calificado(i, Calificacion.Cumplido, new DateOnly(2009, 12, 31)))
            .Append(Calificado(5, Calificacion.Cancelado, new DateOnly(2011, 12, 31))).ToList();

        p.Egresar(compromisos, null, Ahora);

        Assert.Equal(EstadoPrograma.Egresado, p.Estado);
        Assert.Equal(new DateOnly(2011, 12, 31), p.FechaEgreso);
    }

    [Theory]
    [InlineData(Calificacion.Pendiente)]
    [InlineData(Calificacion.ParcialmenteCumplido)]
    [InlineData(Calificacion.NoCumplido)]
    public void Un_compromiso_abierto_impide_el_egreso_y_se_informa(Calificacion abierta)
    {
        var p = Nuevo();
        var ex = Assert.Throws<ReglaException>(() => p.Egresar(
            [Calificado(1, Calificacion.Cumplido, new DateOnly(2009, 12, 31)), Calificado(2, abierta, new DateOnly(2009, 12, 31))], null, Ahora));

        Assert.Equal(Reglas.CompromisosAbiertos, ex.Regla);
        Assert.Single((System.Collections.IEnumerable)ex.Extensiones["compromisosAbiertos"]!);
        Assert.Equal(EstadoPrograma.EnSeguimiento, p.Estado);
        Assert.Null(p.FechaEgreso);
    }

    [Fact]
    public void Sin_compromisos_no_egresa()
    {
        Assert.Equal(Reglas.ProgramaSinCompromisos, Assert.Throws<ReglaException>(() => Nuevo().Egresar([], null, Ahora)).Regla);
    }

    [Fact]
    public void La_fecha_explicita_no_puede_preceder_a_la_ultima_calificacion()
    {
        var p = Nuevo();
        List<Compromiso> cs = [Calificado(1, Calificacion.Cumplido, new DateOnly(2010, 6, 30))];

        Assert.Equal(Reglas.FechaEgresoAnterior, Assert.Throws<ReglaException>(() => p.Egresar(cs, new DateOnly(2010, 6, 29), Ahora)).Regla);
        p.Egresar(cs, new DateOnly(2010, 6, 30), Ahora);
        Assert.Equal(new DateOnly(2010, 6, 30), p.FechaEgreso);
    }

    [Fact]
    public void Egresado_es_de_solo_lectura()
    {
        var p = Nuevo();
        p.Egresar([Calificado(1, Calificacion.Cumplido, new DateOnly(2009, 12, 31))], null, Ahora);

        Assert.Equal(Reglas.ProgramaEgresado, Assert.Throws<ReglaException>(() => p.Actualizar("Otro", 1, 2007, "EPG", null, null)).Regla);
        Assert.Equal(Reglas.ProgramaEgresado, Assert.Throws<ReglaException>(() => p.AsegurarEnSeguimiento()).Regla);
        Assert.Equal(Reglas.ProgramaEgresado, Assert.Throws<ReglaException>(
            () => p.Egresar([Calificado(1, Calificacion.Cumplido, new DateOnly(2009, 12, 31))], null, Ahora)).Regla);
        Assert.Equal("Programa", p.Nombre);
    }
}
