-- estadisticas.sql: what GET /api/v1/estadisticas/cumplimiento counts, kept on the write path, so that answering it
-- costs the same however large the record grows, at any cut-off (alCorte), the current one or one in the past.
--
-- The idea. Seen across cut-offs, each compromiso is a step function: at a cut-off T it is in one state, (its
-- calificación in effect at T, whether it is exigible at T), and that state changes only at the dates of its
-- calificaciones and at its due month. Each programa likewise (en seguimiento, egresado at T). So the figures at T are
-- sums of +1 / -1 steps dated on or before T: +1 in its first state from -infinity, and at each change -1 the old state,
-- +1 the new one. Triggers write those steps, for whatever writes the record (the service, an import, SQL), into
-- estadisticas_cambios, append-only: a cut-off burst inserts rows and never waits on a shared counter row.
-- estadisticas_consolidar(lote), run in the background, folds them into estadisticas_totales: per grouping (dimension),
-- year and group, the answer's figures from each date where they change on, so that a statistics request reads one row
-- per group (the last on or before its cut-off), plus the steps not folded yet: as many rows at 100 times the record
-- as at once.
--
-- The rules are those of al-corte.sql and of the full aggregation (Features/Estadisticas/Agrupaciones.cs), which stays
-- the reference: calificación in effect at T = the one registered last (highest id) among those dated on or before T,
-- Pendiente if none; exigible at T = due month on or before T's month; egresado at T = fecha_egreso on or before T. The
-- current record (no alCorte) is the record at today: calificaciones and egresos are never dated in the future
-- (validators NoFutura). Steps are recomputed, old minus new, whenever a write changes an input: a calificación added,
-- a compromiso's due month, tipo or programa, a programa's servicio, year, line, category or egreso, a servicio's
-- ministerio. The old steps of a compromiso are those of its calificaciones before the statement's (lower ids): every
-- writer of calificaciones holds the compromiso's row lock (the service does), so a compromiso's ids only grow.
-- Statistics "as known at" an instant (conocidoAl) are not kept here: they use the full aggregation.

-- The steps, as written: every key a grouping may need. clase: 'c' a compromiso (tipo is its type), 'p' a programa,
-- 't' a programa within one type of compromiso (agruparPor tipo counts a programa in each type it has compromisos of).
-- estado: the calificación for 'c', EnSeguimiento / Egresado otherwise; exigible false for programas.
CREATE TABLE IF NOT EXISTS estadisticas_cambios (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    clase "char" NOT NULL CHECK (clase IN ('c', 'p', 't')),
    ministerio_id integer NOT NULL,
    servicio_id integer NOT NULL,
    anio integer NOT NULL,
    linea text NOT NULL,
    categoria text,
    tipo text,
    desde date NOT NULL,
    estado text NOT NULL,
    exigible boolean NOT NULL,
    n integer NOT NULL
);

-- The folded figures: for each group (grouping = dimension, agruparPor's value; evaluation year, 0 for all years; group
-- = clave, the group's id or code as text, '' the group without type or category), the figures of
-- GET /estadisticas/cumplimiento (estadisticas_medidas) from each date on (desde) until its next row: the sums of its
-- steps dated on or before it. Every group has a row at -infinity, which the partial index lists, so that a request
-- finds a grouping's groups without reading their dates.
CREATE TABLE IF NOT EXISTS estadisticas_totales (
    dimension text NOT NULL,
    anio integer NOT NULL,
    clave text NOT NULL,
    desde date NOT NULL,
    pendiente integer NOT NULL,
    cumplido integer NOT NULL,
    parcialmente_cumplido integer NOT NULL,
    no_cumplido integer NOT NULL,
    cancelado integer NOT NULL,
    total integer NOT NULL,
    vencidos integer NOT NULL,
    exigibles integer NOT NULL,
    cumplidos_exigibles integer NOT NULL,
    cancelados_exigibles integer NOT NULL,
    programas_en_seguimiento integer NOT NULL,
    programas_egresados integer NOT NULL,
    CONSTRAINT pk_estadisticas_totales PRIMARY KEY (dimension, anio, clave, desde)
);
CREATE INDEX IF NOT EXISTS ix_estadisticas_totales_grupos ON estadisticas_totales (dimension, anio) WHERE desde = '-infinity';

-- How many compromisos each programa has of each type (tipo NULL: without type): 't' steps are written when a count
-- leaves or reaches 0. A row per programa and type, so concurrent writers of one programa wait on its row, not on
-- a shared one.
CREATE TABLE IF NOT EXISTS estadisticas_programa_tipos (
    programa_id integer NOT NULL,
    tipo text,
    compromisos integer NOT NULL,
    CONSTRAINT ux_estadisticas_programa_tipos UNIQUE NULLS NOT DISTINCT (programa_id, tipo)
);

-- Appends the steps of compromisos, one element per (signo, compromiso, due month, calificaciones counted, keys),
-- the arrays in parallel: a compromiso's old steps (signo -1) and new ones (+1) go in one call, so that what they share
-- cancels and only the difference is written. hasta: the lowest calificación id not to count (NULL: all of them).
-- Points of each element: -infinity, the first day it is exigible, each calificación date; its state at each point;
-- a step wherever the state changes.
CREATE OR REPLACE FUNCTION estadisticas_anotar_compromisos(
    signos integer[], ids integer[], vencimientos date[], hasta bigint[], tipos text[],
    ministerios integer[], servicios integer[], anios integer[], lineas text[], categorias text[])
RETURNS void LANGUAGE plpgsql
-- plpgsql, not sql, and a generic plan: its statement is planned once per connection, not on every call. Left to
-- choose, the plan cache keeps planning it for each call's arrays (custom plans look cheaper than the generic one), and
-- planning was two thirds of a calificación's steps (pgbench, one INSERT: 0.56 → 0.19 ms in this function). The generic
-- plan's hash joins and index lookups also hold for a bulk load's millions of elements.
SET plan_cache_mode = force_generic_plan
AS $$
BEGIN
    WITH dados AS (
        SELECT x.*, coalesce(x.hasta_id, 9223372036854775807) AS tope,
               -- due month on or before the cut-off's month: from the due date if it is a month's first day (as
               -- stored), else from the first day of the next month
               (date_trunc('month', x.vence - 1) + interval '1 month')::date AS exigible_desde
          FROM unnest(signos, ids, vencimientos, hasta, tipos, ministerios, servicios, anios, lineas, categorias)
               WITH ORDINALITY AS x (signo, id, vence, hasta_id, tipo, ministerio_id, servicio_id, anio, linea, categoria, i)
    ), historia AS (
        -- each element's calificaciones counted, read through the (compromiso_id, id) index once
        SELECT d.i, k.id, k.fecha, k.calificacion FROM dados d JOIN calificaciones k ON k.compromiso_id = d.id AND k.id < d.tope
    ), puntos AS (
        -- -infinity, the first day it is exigible, each calificación date; the highest id dated on each
        SELECT x.i, x.desde, max(x.id) AS id
          FROM (SELECT d.i, '-infinity'::date AS desde, NULL::bigint AS id FROM dados d
                UNION ALL SELECT d.i, d.exigible_desde, NULL FROM dados d
                UNION ALL SELECT h.i, h.fecha, h.id FROM historia h) AS x
         GROUP BY x.i, x.desde
    ), estados AS (
        -- calificacion_al_corte's rule at each point: the highest id dated on or before it (Pendiente if none);
        -- a running max over the points, not a lookup per point, so that a bulk load stays one pass
        SELECT v.i, v.desde, v.desde >= d.exigible_desde AS exigible, coalesce(h.calificacion, 'Pendiente')::text AS estado
          FROM (SELECT p.i, p.desde, max(p.id) OVER (PARTITION BY p.i ORDER BY p.desde) AS vigente FROM puntos p) AS v
          JOIN dados d ON d.i = v.i
          LEFT JOIN historia h ON h.i = v.i AND h.id = v.vigente
    ), cambios AS (
        SELECT e.*, lag(e.estado) OVER w AS estado_antes, lag(e.exigible) OVER w AS exigible_antes
          FROM estados e
        WINDOW w AS (PARTITION BY e.i ORDER BY e.desde)
    ), pasos AS (
        SELECT i, desde, estado, exigible, 1 AS n FROM cambios
         WHERE estado_antes IS NULL OR (estado, exigible) IS DISTINCT FROM (estado_antes, exigible_antes)
        UNION ALL
        SELECT i, desde, estado_antes, exigible_antes, -1 FROM cambios
         WHERE estado_antes IS NOT NULL AND (estado, exigible) IS DISTINCT FROM (estado_antes, exigible_antes)
    )
    INSERT INTO estadisticas_cambios (clase, ministerio_id, servicio_id, anio, linea, categoria, tipo, desde, estado, exigible, n)
    SELECT 'c', d.ministerio_id, d.servicio_id, d.anio, d.linea, d.categoria, d.tipo, p.desde, p.estado, p.exigible, sum(d.signo * p.n)
      FROM pasos p JOIN dados d ON d.i = p.i
     GROUP BY d.ministerio_id, d.servicio_id, d.anio, d.linea, d.categoria, d.tipo, p.desde, p.estado, p.exigible
    HAVING sum(d.signo * p.n) <> 0;
END $$;

-- Appends the steps of programas ('p') or of programas within a type ('t'), in parallel arrays like the above: +1
-- EnSeguimiento from -infinity, and at the egreso date (NULL: none) -1 EnSeguimiento, +1 Egresado.
CREATE OR REPLACE FUNCTION estadisticas_anotar_programas(
    signos integer[], clases "char"[], egresos date[], tipos text[],
    ministerios integer[], servicios integer[], anios integer[], lineas text[], categorias text[])
RETURNS void LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$ -- (as estadisticas_anotar_compromisos)
BEGIN
    INSERT INTO estadisticas_cambios (clase, ministerio_id, servicio_id, anio, linea, categoria, tipo, desde, estado, exigible, n)
    SELECT x.clase, x.ministerio_id, x.servicio_id, x.anio, x.linea, x.categoria, x.tipo, p.desde, p.estado, false, sum(x.signo * p.n)
      FROM unnest(signos, clases, egresos, tipos, ministerios, servicios, anios, lineas, categorias)
           AS x (signo, clase, egreso, tipo, ministerio_id, servicio_id, anio, linea, categoria)
     CROSS JOIN LATERAL (
            SELECT '-infinity'::date, 'EnSeguimiento', 1
            UNION ALL SELECT x.egreso, 'EnSeguimiento', -1 WHERE x.egreso IS NOT NULL
            UNION ALL SELECT x.egreso, 'Egresado', 1 WHERE x.egreso IS NOT NULL
         ) AS p (desde, estado, n)
     GROUP BY x.clase, x.ministerio_id, x.servicio_id, x.anio, x.linea, x.categoria, x.tipo, p.desde, p.estado
    HAVING sum(x.signo * p.n) <> 0;
END $$;

-- What a step adds to each figure of its group (the columns of estadisticas_totales): by calificación, total,
-- vencidos (exigible and neither Cumplido nor Cancelado: vencido_al_corte), exigibles, cumplidos and cancelados among
-- them, programas en seguimiento and egresados. One row, no FROM: inlined where it is called.
CREATE OR REPLACE FUNCTION estadisticas_medidas(estado text, exigible boolean, n integer)
RETURNS TABLE (pendiente integer, cumplido integer, parcialmente_cumplido integer, no_cumplido integer, cancelado integer, total integer, vencidos integer, exigibles integer, cumplidos_exigibles integer, cancelados_exigibles integer, programas_en_seguimiento integer, programas_egresados integer)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN estado = 'Pendiente' THEN n ELSE 0 END,
           CASE WHEN estado = 'Cumplido' THEN n ELSE 0 END,
           CASE WHEN estado = 'ParcialmenteCumplido' THEN n ELSE 0 END,
           CASE WHEN estado = 'NoCumplido' THEN n ELSE 0 END,
           CASE WHEN estado = 'Cancelado' THEN n ELSE 0 END,
           CASE WHEN estado NOT IN ('EnSeguimiento', 'Egresado') THEN n ELSE 0 END,
           CASE WHEN exigible AND estado NOT IN ('Cumplido', 'Cancelado') THEN n ELSE 0 END,
           CASE WHEN exigible THEN n ELSE 0 END,
           CASE WHEN exigible AND estado = 'Cumplido' THEN n ELSE 0 END,
           CASE WHEN exigible AND estado = 'Cancelado' THEN n ELSE 0 END,
           CASE WHEN estado = 'EnSeguimiento' THEN n ELSE 0 END,
           CASE WHEN estado = 'Egresado' THEN n ELSE 0 END
$$;

-- The group of a step in a grouping (agruparPor): its id or code as text ('' the group without type or category).
CREATE OR REPLACE FUNCTION estadisticas_clave(dimension text, ministerio_id integer, servicio_id integer, anio integer,
    linea text, tipo text, categoria text)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(CASE dimension
               WHEN 'ministerio' THEN ministerio_id::text
               WHEN 'servicio' THEN servicio_id::text
               WHEN 'anio' THEN anio::text
               WHEN 'linea' THEN linea
               WHEN 'tipo' THEN tipo
               WHEN 'categoriaDesempeno' THEN categoria
           END, '')
$$;

-- Which steps a grouping counts: compromisos in all; programas in all but tipo, where a programa counts once per type
-- it has compromisos of ('t').
CREATE OR REPLACE FUNCTION estadisticas_cuenta_en(clase "char", dimension text)
RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE clase WHEN 'c' THEN true WHEN 'p' THEN dimension <> 'tipo' ELSE dimension = 'tipo' END
$$;

-- Folds the oldest steps written so far (at most lote) into estadisticas_totales; one instance at a time (the others
-- return 0 at once). In one transaction, so a reader sees each step once, among the steps or in the totals. Bounded, so
-- that a backlog drains in short transactions (a bulk load folds with a large lote, holding the lock). Returns the steps
-- folded: lote means there may be more.
CREATE OR REPLACE FUNCTION estadisticas_consolidar(lote integer) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    plegados integer;
    sumas estadisticas_totales[];
BEGIN
    IF NOT pg_try_advisory_xact_lock(7415263903) THEN
        RETURN 0;
    END IF;
    -- The steps, each in every grouping that counts it, for its year and for all years, summed per group and date.
    WITH movidos AS (
        DELETE FROM estadisticas_cambios
         WHERE id IN (SELECT id FROM estadisticas_cambios ORDER BY id LIMIT lote)
        RETURNING *
    ), abiertos AS (
        SELECT d.dimension, a.anio, estadisticas_clave(d.dimension, m.ministerio_id, m.servicio_id, m.anio, m.linea, m.tipo, m.categoria) AS clave,
               m.desde, x.*
          FROM movidos m
         CROSS JOIN LATERAL estadisticas_medidas(m.estado, m.exigible, m.n) AS x
         CROSS JOIN unnest(ARRAY['ministerio', 'servicio', 'anio', 'linea', 'tipo', 'categoriaDesempeno']) AS d (dimension)
         CROSS JOIN LATERAL (VALUES (m.anio), (0)) AS a (anio)
         WHERE estadisticas_cuenta_en(m.clase, d.dimension)
    )
    SELECT (SELECT count(*) FROM movidos), array_agg(ROW(g.*)::estadisticas_totales)
      INTO plegados, sumas
      FROM (SELECT x.dimension, x.anio, x.clave, x.desde,
               sum(x.pendiente)::integer,
               sum(x.cumplido)::integer,
               sum(x.parcialmente_cumplido)::integer,
               sum(x.no_cumplido)::integer,
               sum(x.cancelado)::integer,
               sum(x.total)::integer,
               sum(x.vencidos)::integer,
               sum(x.exigibles)::integer,
               sum(x.cumplidos_exigibles)::integer,
               sum(x.cancelados_exigibles)::integer,
               sum(x.programas_en_seguimiento)::integer,
               sum(x.programas_egresados)::integer
              FROM abiertos x
             GROUP BY x.dimension, x.anio, x.clave, x.desde) AS g;

    -- A new group starts at -infinity with zeros; a new date of a group starts with the group's figures just before it.
    INSERT INTO estadisticas_totales
    SELECT DISTINCT x.dimension, x.anio, x.clave, '-infinity'::date, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
      FROM unnest(sumas) AS x
    ON CONFLICT DO NOTHING;
    INSERT INTO estadisticas_totales
    SELECT x.dimension, x.anio, x.clave, x.desde,
           p.pendiente, p.cumplido, p.parcialmente_cumplido, p.no_cumplido, p.cancelado, p.total,
           p.vencidos, p.exigibles, p.cumplidos_exigibles, p.cancelados_exigibles, p.programas_en_seguimiento, p.programas_egresados
      FROM unnest(sumas) AS x
     CROSS JOIN LATERAL (
            SELECT * FROM estadisticas_totales t
             WHERE (t.dimension, t.anio, t.clave) = (x.dimension, x.anio, x.clave) AND t.desde < x.desde
             ORDER BY t.desde DESC LIMIT 1) AS p
     WHERE x.desde > '-infinity'
    ON CONFLICT DO NOTHING;
    -- Then every date of the group from the step's on carries it.
    UPDATE estadisticas_totales t
       SET pendiente = t.pendiente + s.pendiente, cumplido = t.cumplido + s.cumplido, parcialmente_cumplido = t.parcialmente_cumplido + s.parcialmente_cumplido,
           no_cumplido = t.no_cumplido + s.no_cumplido, cancelado = t.cancelado + s.cancelado, total = t.total + s.total,
           vencidos = t.vencidos + s.vencidos, exigibles = t.exigibles + s.exigibles, cumplidos_exigibles = t.cumplidos_exigibles + s.cumplidos_exigibles,
           cancelados_exigibles = t.cancelados_exigibles + s.cancelados_exigibles, programas_en_seguimiento = t.programas_en_seguimiento + s.programas_en_seguimiento, programas_egresados = t.programas_egresados + s.programas_egresados
      FROM (SELECT t2.dimension, t2.anio, t2.clave, t2.desde,
                   sum(x.pendiente) AS pendiente, sum(x.cumplido) AS cumplido, sum(x.parcialmente_cumplido) AS parcialmente_cumplido, sum(x.no_cumplido) AS no_cumplido,
                   sum(x.cancelado) AS cancelado, sum(x.total) AS total, sum(x.vencidos) AS vencidos, sum(x.exigibles) AS exigibles,
                   sum(x.cumplidos_exigibles) AS cumplidos_exigibles, sum(x.cancelados_exigibles) AS cancelados_exigibles, sum(x.programas_en_seguimiento) AS programas_en_seguimiento, sum(x.programas_egresados) AS programas_egresados
              FROM unnest(sumas) AS x
              JOIN estadisticas_totales t2
                ON (t2.dimension, t2.anio, t2.clave) = (x.dimension, x.anio, x.clave) AND t2.desde >= x.desde
             GROUP BY t2.dimension, t2.anio, t2.clave, t2.desde) AS s
     WHERE (t.dimension, t.anio, t.clave, t.desde) = (s.dimension, s.anio, s.clave, s.desde);
    RETURN plegados;
END $$;
