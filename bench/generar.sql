-- Synthetic record at scale :escala (1x = 500 programas, 10,000 compromisos, ~30,000 calificaciones).
-- Set-based (INSERT ... SELECT over generate_series): the search triggers on programas, recomendaciones and
-- compromisos are statement-level (transition tables), so they run once per INSERT; the audit trail is not
-- written (the append-only trigger on auditoria only forbids UPDATE/DELETE/TRUNCATE). Expects an empty,
-- freshly migrated database. Deterministic: setseed.
\set ON_ERROR_STOP on
SELECT setseed(0.42);
BEGIN;
-- 24 ministerios and 240 servicios at every scale (the record grows by programas over the years, not by agencies)
INSERT INTO ministerios (id, nombre)
SELECT m, 'Ministerio Bench ' || m FROM generate_series(1, 24) m;
INSERT INTO servicios (id, nombre, sigla, ministerio_id)
SELECT s, 'Servicio Bench ' || s, 'SB' || s, 1 + (s - 1) % 24 FROM generate_series(1, 240) s;
-- programas: evaluated 2000..2020 (so that every calificación below falls at a corte already past), lines weighted
-- towards EPG
-- Every programa, recomendación and compromiso is known from 2000 on (registrado_en), so a reading as known at a past
-- instant (conocidoAl) sees the whole structure and only the calificaciones and egresos registered by then.
INSERT INTO programas (id, nombre, servicio_id, anio_evaluacion, linea_evaluacion, estado, fecha_egreso, registrado_en)
SELECT p, 'Programa Bench ' || p, 1 + floor(random() * 240)::int, 2000 + floor(random() * 21)::int,
       (ARRAY['EPG','EPG','EPG','EI','EGI','ECG','EPN','EFA'])[1 + floor(random() * 8)::int], 'EnSeguimiento', NULL,
       timestamptz '2000-01-01 00:00:00+00'
FROM generate_series(1, 500 * :escala) p;

-- compromisos per programa: skewed (exponential, mean ~20, at most 150: most programas have a handful, a few have
-- many), the same shape at every scale; numbered programa by programa, as they are agreed. 1..6 recomendaciones.
CREATE TEMP TABLE cuantos AS
SELECT id AS programa_id, least(150, 1 + floor(-ln(1 - random()) * 19))::int AS n FROM programas;
CREATE TEMP TABLE plan AS
SELECT row_number() OVER (ORDER BY c.programa_id, k)::int AS id, c.programa_id, 1 + floor(random() * 6)::int AS rec,
       random() AS r_estado, random() AS r_mes, random() AS r_anio, 1 + floor(random() * 6)::int AS n_cal
FROM cuantos c, generate_series(1, c.n) k;

INSERT INTO recomendaciones (programa_id, numero, texto, registrada_en)
SELECT DISTINCT ON (p.programa_id, p.rec) p.programa_id, p.rec,
       'Recomendación ' || p.rec || ' del programa ' || p.programa_id || ': mejorar el diseño y la medición de resultados.',
       timestamptz '2000-01-01 00:00:00+00'
FROM plan p ORDER BY p.programa_id, p.rec;

CREATE TEMP TABLE plan2 AS
SELECT p.*, r.id AS recomendacion_id, g.anio_evaluacion,
       row_number() OVER (PARTITION BY r.id ORDER BY p.id)::int AS secuencia,
       -- most compromisos final: 60 % Cumplido, 10 % Cancelado, 12 % ParcialmenteCumplido, 8 % NoCumplido, 10 % Pendiente
       CASE WHEN p.r_estado < 0.60 THEN 'Cumplido' WHEN p.r_estado < 0.70 THEN 'Cancelado'
            WHEN p.r_estado < 0.82 THEN 'ParcialmenteCumplido' WHEN p.r_estado < 0.90 THEN 'NoCumplido'
            ELSE 'Pendiente' END AS estado,
       -- due months clustered at June (45 %) and December (40 %)
       make_date(g.anio_evaluacion + 1 + floor(p.r_anio * 3)::int,
                 CASE WHEN p.r_mes < 0.45 THEN 6 WHEN p.r_mes < 0.85 THEN 12 ELSE 1 + floor(random() * 12)::int END, 1) AS vence
FROM plan p
JOIN programas g ON g.id = p.programa_id
JOIN recomendaciones r ON r.programa_id = p.programa_id AND r.numero = p.rec;

-- calificaciones: n_cal per non-Pendiente compromiso at successive cortes (30-06 / 31-12) from the year after the
-- evaluation; the earlier ones ParcialmenteCumplido / NoCumplido, the last one the compromiso's current state.
CREATE TEMP TABLE cal AS
SELECT p.id AS compromiso_id, k,
       CASE WHEN k = p.n_cal THEN p.estado WHEN random() < 0.6 THEN 'ParcialmenteCumplido' ELSE 'NoCumplido' END AS calificacion,
       (make_date(p.anio_evaluacion + 1, 6, 30) + make_interval(months => 6 * (k - 1)))::date AS fecha
FROM plan2 p, generate_series(1, p.n_cal) k
WHERE p.estado <> 'Pendiente';
-- month arithmetic from 30-06 lands on 30-12: move it to the corte 31-12
UPDATE cal SET fecha = make_date(extract(year FROM fecha)::int, 12, 31) WHERE extract(month FROM fecha) = 12;

INSERT INTO compromisos (id, recomendacion_id, programa_id, secuencia, numero, texto, fecha_vencimiento, calificacion, fecha_calificacion, registrado_en)
SELECT p.id, p.recomendacion_id, p.programa_id, p.secuencia, p.rec || '.' || p.secuencia,
       'Compromiso ' || p.rec || '.' || p.secuencia || ' del programa ' || p.programa_id
         || ': elaborar y aplicar la matriz de marco lógico revisada y concordada con DIPRES.',
       p.vence, p.estado, u.fecha, timestamptz '2000-01-01 00:00:00+00'
FROM plan2 p LEFT JOIN (SELECT compromiso_id, max(fecha) AS fecha FROM cal GROUP BY compromiso_id) u ON u.compromiso_id = p.id
ORDER BY p.id;

INSERT INTO calificaciones (compromiso_id, calificacion, fecha, observacion, registrada_en, registrada_por)
SELECT compromiso_id, calificacion, fecha,
       CASE WHEN calificacion = 'Cancelado' THEN 'Cancelado por rediseño del programa.' END,
       fecha::timestamptz + interval '20 days', 'bench'
FROM cal ORDER BY compromiso_id, k;

-- A programa whose compromisos are all Cumplido or Cancelado has left follow-up (egreso at its last calificación).
UPDATE programas g SET estado = 'Egresado', fecha_egreso = u.fecha
FROM (SELECT programa_id, max(fecha_calificacion) AS fecha FROM compromisos GROUP BY programa_id
      HAVING bool_and(calificacion IN ('Cumplido', 'Cancelado'))) u
WHERE u.programa_id = g.id;
-- Each egreso registered, like the calificaciones, 20 days after its date.
INSERT INTO egresos (programa_id, fecha_egreso, registrado_en, registrado_por)
SELECT id, fecha_egreso, fecha_egreso::timestamptz + interval '20 days', 'bench' FROM programas WHERE estado = 'Egresado';

SELECT setval(pg_get_serial_sequence(t, 'id'), (SELECT coalesce(max(id), 1) FROM ministerios)) FROM (VALUES ('ministerios')) v(t);
SELECT setval(pg_get_serial_sequence('servicios', 'id'), (SELECT max(id) FROM servicios));
SELECT setval(pg_get_serial_sequence('programas', 'id'), (SELECT max(id) FROM programas));
SELECT setval(pg_get_serial_sequence('compromisos', 'id'), (SELECT max(id) FROM compromisos));
COMMIT;
-- The statistics' steps the triggers wrote for the load (Persistence/Sql/estadisticas.sql), folded now rather than by
-- the service's first background pass during a measurement.
-- In one batch, holding the fold's lock (the service's own passes skip while it is held).
SELECT pg_advisory_lock(7415263903);
SELECT estadisticas_consolidar(2147483647) AS pasos_consolidados;
SELECT pg_advisory_unlock(7415263903);
ANALYZE;
SELECT (SELECT count(*) FROM programas) AS programas, (SELECT count(*) FROM recomendaciones) AS recomendaciones,
       (SELECT count(*) FROM compromisos) AS compromisos, (SELECT count(*) FROM calificaciones) AS calificaciones,
       (SELECT max(n) FROM (SELECT count(*) n FROM compromisos GROUP BY programa_id) x) AS max_por_programa,
       (SELECT count(*) FROM programas WHERE estado = 'Egresado') AS egresados;
