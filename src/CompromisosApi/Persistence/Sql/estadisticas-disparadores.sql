-- estadisticas-disparadores.sql: the triggers that write the statistics' steps (estadisticas.sql, which says what they
-- are) whenever an input of GET /api/v1/estadisticas/cumplimiento changes, whoever writes: the service, an import, SQL.
-- Statement-level, over the statement's rows (transition tables), so that a bulk load computes its steps in one pass;
-- but for a compromiso's update, which is row-level (see there).

-- Adds cuantos (+/-) to the compromisos each programa has of a type, and writes the 't' steps of the programas whose
-- count left or reached 0 (with the programa's keys as they are now). The counts' rows are locked by the upsert, so two
-- writers of one programa's compromisos see each other's counts.
CREATE OR REPLACE FUNCTION estadisticas_contar_tipos(programas integer[], tipos text[], cuantos integer[])
RETURNS void LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$ -- (as estadisticas_anotar_compromisos)
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
        HAVING count(*) > 0
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
        HAVING count(*) > 0
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
        HAVING count(*) > 0
    ) AS x INTO hecho;
END $$;

-- A calificación added: its compromiso's steps without the statement's calificaciones, minus, with them, plus.
CREATE OR REPLACE FUNCTION estadisticas_tr_calificaciones() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM estadisticas_anotar_compromisos(array_agg(x.signo), array_agg(c.id), array_agg(c.fecha_vencimiento), array_agg(x.hasta),
                array_agg(c.tipo::text), array_agg(s.ministerio_id), array_agg(p.servicio_id), array_agg(p.anio_evaluacion),
                array_agg(p.linea_evaluacion::text), array_agg(p.categoria_desempeno::text))
       FROM (SELECT n.compromiso_id, min(n.id) AS primera FROM nuevas n GROUP BY n.compromiso_id) AS k
      CROSS JOIN LATERAL (VALUES (-1, k.primera), (1, NULL::bigint)) AS x (signo, hasta)
       JOIN compromisos c ON c.id = k.compromiso_id
       JOIN programas p ON p.id = c.programa_id
       JOIN servicios s ON s.id = p.servicio_id
    HAVING count(*) > 0;
    RETURN NULL;
END $$;
CREATE OR REPLACE TRIGGER estadisticas_calificaciones AFTER INSERT ON calificaciones
    REFERENCING NEW TABLE AS nuevas FOR EACH STATEMENT EXECUTE FUNCTION estadisticas_tr_calificaciones();

-- Compromisos added: their steps, and their programas' counts per type.
CREATE OR REPLACE FUNCTION estadisticas_tr_compromisos_nuevos() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM estadisticas_anotar_compromisos(array_agg(1), array_agg(c.id), array_agg(c.fecha_vencimiento), array_agg(NULL::bigint),
                array_agg(c.tipo::text), array_agg(s.ministerio_id), array_agg(p.servicio_id), array_agg(p.anio_evaluacion),
                array_agg(p.linea_evaluacion::text), array_agg(p.categoria_desempeno::text))
       FROM nuevos c
       JOIN programas p ON p.id = c.programa_id
       JOIN servicios s ON s.id = p.servicio_id
    HAVING count(*) > 0;
    PERFORM estadisticas_contar_tipos(array_agg(c.programa_id), array_agg(c.tipo::text), array_agg(1)) FROM nuevos c HAVING count(*) > 0;
    RETURN NULL;
END $$;
CREATE OR REPLACE TRIGGER estadisticas_compromisos_nuevos AFTER INSERT ON compromisos
    REFERENCING NEW TABLE AS nuevos FOR EACH STATEMENT EXECUTE FUNCTION estadisticas_tr_compromisos_nuevos();

-- A compromiso changed: only a change of due month, type or programa moves its steps. Row-level, so that PostgreSQL
-- itself skips every other update (a calificación's update of the stored calificación, the most frequent write)
-- without calling anything: the column list and the WHEN are checked before any function runs.
CREATE OR REPLACE FUNCTION estadisticas_tr_compromiso_cambiado() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM estadisticas_anotar_compromisos(array_agg(x.signo), array_agg(NEW.id), array_agg(x.vence), array_agg(NULL::bigint),
                array_agg(x.tipo), array_agg(s.ministerio_id), array_agg(p.servicio_id), array_agg(p.anio_evaluacion),
                array_agg(p.linea_evaluacion::text), array_agg(p.categoria_desempeno::text)),
            estadisticas_contar_tipos(array_agg(x.programa_id), array_agg(x.tipo), array_agg(x.signo))
       FROM (VALUES (-1, OLD.fecha_vencimiento, OLD.tipo::text, OLD.programa_id),
                    (1, NEW.fecha_vencimiento, NEW.tipo::text, NEW.programa_id)) AS x (signo, vence, tipo, programa_id)
       JOIN programas p ON p.id = x.programa_id
       JOIN servicios s ON s.id = p.servicio_id;
    RETURN NULL;
END $$;
CREATE OR REPLACE TRIGGER estadisticas_compromisos_cambiados AFTER UPDATE OF fecha_vencimiento, tipo, programa_id ON compromisos
    FOR EACH ROW WHEN ((OLD.fecha_vencimiento, OLD.tipo, OLD.programa_id) IS DISTINCT FROM (NEW.fecha_vencimiento, NEW.tipo, NEW.programa_id))
    EXECUTE FUNCTION estadisticas_tr_compromiso_cambiado();

-- Programas added: their steps (no compromisos yet).
CREATE OR REPLACE FUNCTION estadisticas_tr_programas_nuevos() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM estadisticas_anotar_programas(array_agg(1), array_agg('p'::"char"), array_agg(p.fecha_egreso), array_agg(NULL::text),
                array_agg(s.ministerio_id), array_agg(p.servicio_id), array_agg(p.anio_evaluacion),
                array_agg(p.linea_evaluacion::text), array_agg(p.categoria_desempeno::text))
       FROM nuevos p JOIN servicios s ON s.id = p.servicio_id
    HAVING count(*) > 0;
    RETURN NULL;
END $$;
CREATE OR REPLACE TRIGGER estadisticas_programas_nuevos AFTER INSERT ON programas
    REFERENCING NEW TABLE AS nuevos FOR EACH STATEMENT EXECUTE FUNCTION estadisticas_tr_programas_nuevos();

-- Programas changed: a new servicio, year, line, category or egreso date.
CREATE OR REPLACE FUNCTION estadisticas_tr_programas_cambiados() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM estadisticas_mover_programas(array_agg(v.id), array_agg(s.ministerio_id), array_agg(v.servicio_id), array_agg(v.anio_evaluacion),
                array_agg(v.linea_evaluacion::text), array_agg(v.categoria_desempeno::text), array_agg(v.fecha_egreso))
       FROM viejos v
       JOIN nuevos n ON n.id = v.id
       JOIN servicios s ON s.id = v.servicio_id
      WHERE (v.servicio_id, v.anio_evaluacion, v.linea_evaluacion, v.categoria_desempeno, v.fecha_egreso)
            IS DISTINCT FROM (n.servicio_id, n.anio_evaluacion, n.linea_evaluacion, n.categoria_desempeno, n.fecha_egreso)
    HAVING count(*) > 0;
    RETURN NULL;
END $$;
CREATE OR REPLACE TRIGGER estadisticas_programas_cambiados AFTER UPDATE ON programas
    REFERENCING OLD TABLE AS viejos NEW TABLE AS nuevos FOR EACH STATEMENT EXECUTE FUNCTION estadisticas_tr_programas_cambiados();

-- Servicios moved to another ministerio: every step of their programas moves with them. Their programas are locked
-- first, as an egreso does (their turn, then the rows: bloqueos.sql): the service's writers of a programa's compromisos
-- and calificaciones hold it FOR SHARE, so each of them either commits before these steps are computed (and is counted
-- in them) or waits and then reads the new ministerio.
CREATE OR REPLACE FUNCTION estadisticas_tr_servicios_cambiados() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM turno_de_programas(array_agg(p.id), true) FROM programas p
      JOIN viejos v ON v.id = p.servicio_id JOIN nuevos n ON n.id = v.id
     WHERE v.ministerio_id IS DISTINCT FROM n.ministerio_id
    HAVING count(*) > 0;
    PERFORM 1 FROM programas p
      JOIN viejos v ON v.id = p.servicio_id JOIN nuevos n ON n.id = v.id
     WHERE v.ministerio_id IS DISTINCT FROM n.ministerio_id
     ORDER BY p.id FOR UPDATE OF p;
    PERFORM estadisticas_mover_programas(array_agg(p.id), array_agg(v.ministerio_id), array_agg(p.servicio_id), array_agg(p.anio_evaluacion),
                array_agg(p.linea_evaluacion::text), array_agg(p.categoria_desempeno::text), array_agg(p.fecha_egreso))
       FROM viejos v
       JOIN nuevos n ON n.id = v.id
       JOIN programas p ON p.servicio_id = v.id
      WHERE v.ministerio_id IS DISTINCT FROM n.ministerio_id
    HAVING count(*) > 0;
    RETURN NULL;
END $$;
CREATE OR REPLACE TRIGGER estadisticas_servicios_cambiados AFTER UPDATE ON servicios
    REFERENCING OLD TABLE AS viejos NEW TABLE AS nuevos FOR EACH STATEMENT EXECUTE FUNCTION estadisticas_tr_servicios_cambiados();
