namespace CompromisosApi.Features.Compromisos;

public static class HijosDeCompromiso
{
    /// <summary>
    /// A compromiso's calificaciones, reportes and medios are all listed alike: in the order they were registered
    /// (their id, which is the order of the record), keyset-paginated, 404 when the compromiso does not exist.
    /// </summary>
    public static async Task<Pagina<TDto>> ListarAsync<T, TDto>(
        CompromisosDbContext db, int compromisoId, IPaginada pagina, Func<IQueryable<T>, IQueryable<TDto>> proyectar, Func<TDto, long> clave,
        CancellationToken ct)
        where T : class, IHijoDeCompromiso
    {
        if (!await db.Compromisos.AnyAsync(c => c.Id == compromisoId, ct)) throw new NoEncontradoException("compromiso", compromisoId);
        var despues = pagina.Despues() ?? 0;
        var filas = await proyectar(db.Set<T>().AsNoTracking()
                .Where(x => x.CompromisoId == compromisoId && x.Id > despues)
                .OrderBy(x => x.Id)
                .Take(pagina.Limite() + 1))
            .ToListAsync(ct);
        return Paginacion.Cortar(filas, pagina.Limite(), clave, x => x);
    }

    /// <summary>One of them by its id, only under its own compromiso (404 under another).</summary>
    public static Task<TDto> ObtenerAsync<T, TDto>(
        CompromisosDbContext db, int compromisoId, long id, string recurso, Func<IQueryable<T>, IQueryable<TDto>> proyectar, CancellationToken ct)
        where T : class, IHijoDeCompromiso =>
        proyectar(db.Set<T>().AsNoTracking().Where(x => x.Id == id && x.CompromisoId == compromisoId)).UnicoAsync(recurso, id, ct);
}
