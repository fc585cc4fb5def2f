-- estadisticas.sql: what GET /api/v1/estadisticas/cumplimiento counts, kept on the write path, so that answering it
-- costs the same however large the record grows, at any cut-off (alCorte), the current one or one in the past.
--
-- The idea. Seen across cut-offs, each compromiso is a step function: at a cut-off T it is in one state, (its
-- calificación in effect at T, whether it is exigible at T), and that state changes only at the dates of its
-- calificaciones and at its due month. Each programa likewise (en seguimiento, egresado at T). So the figures at T are
-- sums of +1 / -1 steps dated on or before T: +1 in its first state from -infinity, and at each change -1 the old state,
-- +1 the new one. Triggers write those steps, for whatever writes the record (the service, an import, SQL), into
-- estadisticas_cambios, append-only: a cut-off burst inserts rows and never waits on a shared counter row.
-- estadisticas_consolidar(lote), run in the background, folds them into estadisticas_totales, already summed per grouping
-- (dimension), year and group; a statistics request reads the totals plus the steps not folded yet.
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

-- The folded sums, per grouping (dimension: agruparPor's value), evaluation year (0: all years) and group (clave: the
-- group's id or code as text, NULL the group without type or category). One row per step date and state.
CREATE TABLE IF NOT EXISTS estadisticas_totales (
    dimension text NOT NULL,
    anio integer NOT NULL,
    clave text,
    desde date NOT NULL,
    estado text NOT NULL,
    exigible boolean NOT NULL,
    n integer NOT NULL,
    CONSTRAINT ux_estadisticas_totales UNIQUE NULLS NOT DISTINCT (dimension, anio, desde, clave, estado, exigible)
);
-- Rows that summed to 0 are deleted after each fold.
CREATE INDEX IF NOT EXISTS ix_estadisticas_totales_en_cero ON estadisticas_totales (dimension) WHERE n = 0;

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
RETURNS void LANGUAGE sql AS $$
    WITH dados AS (
        SELECT x.*, coalesce(x.hasta_id, 9223372036854775807) AS tope,
               -- due month on or before the cut-off's month: from the due date if it is a month's first day (as
               -- stored), else from the first day of the next month
               (date_trunc('month', x.vence - 1) + interval '1 month')::date AS exigible_desde
          FROM unnest(signos, ids, vencimientos, hasta, tipos, ministerios, servicios, anios, lineas, categorias)
               WITH ORDINALITY AS x (signo, id, vence, hasta_id, tipo, ministerio_id, servicio_id, anio, linea, categoria, i)
    ), puntos AS (
        SELECT d.i, d.id, d.tope, d.exigible_desde, p.desde
          FROM dados d
         CROSS JOIN LATERAL (
                SELECT '-infinity'::date
                UNION SELECT d.exigible_desde
                UNION SELECT k.fecha FROM calificaciones k WHERE k.compromiso_id = d.id AND k.id < d.tope
             ) AS p (desde)
    ), estados AS (
        SELECT p.i, p.desde, p.desde >= p.exigible_desde AS exigible,
               coalesce((SELECT k.calificacion FROM calificaciones k
                          WHERE k.compromiso_id = p.id AND k.id < p.tope AND k.fecha <= p.desde
                          ORDER BY k.id DESC LIMIT 1), 'Pendiente')::text AS estado
          FROM puntos p
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
    HAVING sum(d.signo * p.n) <> 0
$$;

-- Appends the steps of programas ('p') or of programas within a type ('t'), in parallel arrays like the above: +1
-- EnSeguimiento from -infinity, and at the egreso date (NULL: none) -1 EnSeguimiento, +1 Egresado.
CREATE OR REPLACE FUNCTION estadisticas_anotar_programas(
    signos integer[], clases "char"[], egresos date[], tipos text[],
    ministerios integer[], servicios integer[], anios integer[], lineas text[], categorias text[])
RETURNS void LANGUAGE sql AS $$
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
    HAVING sum(x.signo * p.n) <> 0
$$;

-- Adds cuantos (+/-) to the compromisos each programa has of a type, and writes the 't' steps of the programas whose
-- count left or reached 0 (with the programa's keys as they are now). The counts' rows are locked by the upsert, so two
-- writers of one programa's compromisos see each other's counts.
CREATE OR REPLACE FUNCTION estadisticas_contar_tipos(programas integer[], tipos text[], cuantos integer[])
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    hecho integer;
BEGIN
    WITH entrada AS (
        SELECT x.programa_id, x.tipo, sum(x.n)::integer AS diferencia
          FROM unnest(programas, tipos, cuantos) AS x (programa_id, tipo, n)
         GROUP BY x.programa_id, x.tipo
        HAVING sum(x.n) <> 0
    ), cuentas AS (
        INSERT INTO estadisticas_programa_tipos AS e (programa_id, tipo, compromisos)
        SELECT programa_id, tipo, diferencia FROM entrada
        ON CONFLICT (programa_id, tipo) DO UPDATE SET compromisos = e.compromisos + excluded.compromisos
        RETURNING e.programa_id, e.tipo, e.compromisos
    ), vueltas AS (
        SELECT c.programa_id, c.tipo,
               CASE WHEN c.compromisos = en.diferencia THEN 1 WHEN c.compromisos = 0 THEN -1 END AS signo
          FROM cuentas c JOIN entrada en ON en.programa_id = c.programa_id AND en.tipo IS NOT DISTINCT FROM c.tipo
    )
    SELECT 1 FROM (
        SELECT estadisticas_anotar_programas(array_agg(v.signo), array_agg('t'::"char"), array_agg(p.fecha_egreso), array_agg(v.tipo),
                   array_agg(s.ministerio_id), array_agg(p.servicio_id), array_agg(p.anio_evaluacion),
                   array_agg(p.linea_evaluacion::text), array_agg(p.categoria_desempeno::text))
          FROM vueltas v JOIN programas p ON p.id = v.programa_id JOIN servicios s ON s.id = p.servicio_id
         WHERE v.signo IS NOT NULL
    ) AS x INTO hecho;
END $$;

-- Rewrites the steps of programas whose keys or egreso changed, given what they were (parallel arrays; the current
-- values are read from the tables): their 'p' steps, their 't' steps (one per type they have compromisos of) and,
-- when a key changed (not just the egreso), the 'c' steps of every compromiso of theirs, old minus new.
CREATE OR REPLACE FUNCTION estadisticas_mover_programas(
    ids integer[], ministerios integer[], servicios integer[], anios integer[], lineas text[], categorias text[], egresos date[])
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    hecho integer;
BEGIN
    WITH antes AS (
        SELECT * FROM unnest(ids, ministerios, servicios, anios, lineas, categorias, egresos)
               AS x (id, ministerio_id, servicio_id, anio, linea, categoria, egreso)
    ), ahora AS (
        SELECT p.id, s.ministerio_id, p.servicio_id, p.anio_evaluacion AS anio, p.linea_evaluacion::text AS linea,
               p.categoria_desempeno::text AS categoria, p.fecha_egreso AS egreso
          FROM programas p JOIN servicios s ON s.id = p.servicio_id
         WHERE p.id = ANY (ids)
    ), ambos AS (
        SELECT -1 AS signo, * FROM antes UNION ALL SELECT 1, * FROM ahora
    ), elementos AS (
        SELECT a.*, 'p'::"char" AS clase, NULL::text AS tipo FROM ambos a
        UNION ALL
        SELECT a.*, 't', t.tipo FROM ambos a JOIN estadisticas_programa_tipos t ON t.programa_id = a.id AND t.compromisos > 0
    )
    SELECT 1 FROM (
        SELECT estadisticas_anotar_programas(array_agg(e.signo), array_agg(e.clase), array_agg(e.egreso), array_agg(e.tipo),
                   array_agg(e.ministerio_id), array_agg(e.servicio_id), array_agg(e.anio), array_agg(e.linea), array_agg(e.categoria))
          FROM elementos e
    ) AS x INTO hecho;

    WITH antes AS (
        SELECT * FROM unnest(ids, ministerios, servicios, anios, lineas, categorias)
               AS x (id, ministerio_id, servicio_id, anio, linea, categoria)
    ), ahora AS (
        SELECT p.id, s.ministerio_id, p.servicio_id, p.anio_evaluacion AS anio, p.linea_evaluacion::text AS linea,
               p.categoria_desempeno::text AS categoria
          FROM programas p JOIN servicios s ON s.id = p.servicio_id
         WHERE p.id = ANY (ids)
    ), movidos AS (
        SELECT -1 AS signo, a.* FROM antes a JOIN ahora n ON n.id = a.id
         WHERE (a.ministerio_id, a.servicio_id, a.anio, a.linea, a.categoria) IS DISTINCT FROM (n.ministerio_id, n.servicio_id, n.anio, n.linea, n.categoria)
        UNION ALL
        SELECT 1, n.* FROM antes a JOIN ahora n ON n.id = a.id
         WHERE (a.ministerio_id, a.servicio_id, a.anio, a.linea, a.categoria) IS DISTINCT FROM (n.ministerio_id, n.servicio_id, n.anio, n.linea, n.categoria)
    )
    SELECT 1 FROM (
        SELECT estadisticas_anotar_compromisos(array_agg(m.signo), array_agg(c.id), array_agg(c.fecha_vencimiento), array_agg(NULL::bigint),
                   array_agg(c.tipo::text), array_agg(m.ministerio_id), array_agg(m.servicio_id), array_agg(m.anio), array_agg(m.linea),
                   array_agg(m.categoria))
          FROM movidos m JOIN compromisos c ON c.programa_id = m.id
    ) AS x INTO hecho;
END $$;

-- The group of a step in a grouping (agruparPor): its id or code as text.
CREATE OR REPLACE FUNCTION estadisticas_clave(dimension text, ministerio_id integer, servicio_id integer, anio integer,
    linea text, tipo text, categoria text)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE dimension
               WHEN 'ministerio' THEN ministerio_id::text
               WHEN 'servicio' THEN servicio_id::text
               WHEN 'anio' THEN anio::text
               WHEN 'linea' THEN linea
               WHEN 'tipo' THEN tipo
               WHEN 'categoriaDesempeno' THEN categoria
           END
$$;

-- Which steps a grouping counts: compromisos in all; programas in all but tipo, where a programa counts once per type
-- it has compromisos of ('t').
CREATE OR REPLACE FUNCTION estadisticas_cuenta_en(clase "char", dimension text)
RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE clase WHEN 'c' THEN true WHEN 'p' THEN dimension <> 'tipo' ELSE dimension = 'tipo' END
$$;

-- Folds the oldest steps written so far (at most lote) into estadisticas_totales, one row per grouping, year (and 0,
-- every year), group, date and state; one instance at a time (the others return 0 at once). The steps and the totals
-- change in one statement, so a reader sees each step once, in one table or the other. Bounded, so that a backlog (a
-- bulk load, a fold paused) drains in short transactions. Returns the steps folded: lote means there may be more.
CREATE OR REPLACE FUNCTION estadisticas_consolidar(lote integer) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    plegados integer;
BEGIN
    IF NOT pg_try_advisory_xact_lock(7415263903) THEN
        RETURN 0;
    END IF;
    WITH movidos AS (
        DELETE FROM estadisticas_cambios
         WHERE id IN (SELECT id FROM estadisticas_cambios ORDER BY id LIMIT lote)
        RETURNING *
    ), abiertos AS (
        SELECT d.dimension, a.anio, estadisticas_clave(d.dimension, m.ministerio_id, m.servicio_id, m.anio, m.linea, m.tipo, m.categoria) AS clave,
               m.desde, m.estado, m.exigible, m.n
          FROM movidos m
         CROSS JOIN unnest(ARRAY['ministerio', 'servicio', 'anio', 'linea', 'tipo', 'categoriaDesempeno']) AS d (dimension)
         CROSS JOIN LATERAL (VALUES (m.anio), (0)) AS a (anio)
         WHERE estadisticas_cuenta_en(m.clase, d.dimension)
    ), sumados AS (
        INSERT INTO estadisticas_totales AS t (dimension, anio, clave, desde, estado, exigible, n)
        SELECT dimension, anio, clave, desde, estado, exigible, sum(n) FROM abiertos
         GROUP BY dimension, anio, clave, desde, estado, exigible
        ON CONFLICT (dimension, anio, desde, clave, estado, exigible) DO UPDATE SET n = t.n + excluded.n
        RETURNING 1
    )
    SELECT count(*) INTO plegados FROM movidos;
    DELETE FROM estadisticas_totales WHERE n = 0;
    RETURN plegados;
END $$;
