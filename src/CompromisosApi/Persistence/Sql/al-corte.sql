-- al-corte.sql: the record as it stood at a cut-off (alCorte) and as it was known at an instant (conocidoAl), for raw
-- SQL (the statistics, ObtenerCumplimiento). The same rules as the domain (Compromiso.CalificacionAlCorte,
-- Compromiso.EstaVencido, Programa.EgresadoAl) and the EF queries (Persistence/AlCorte.cs); AlCorteTests holds the
-- three to the same cases.
--
-- calificacion_al_corte and egreso_conocido return a set (zero or one row) so that LEFT JOIN LATERAL f(...) is inlined
-- into the calling statement and planned with it, as a backwards index scan on (compromiso_id, id) / (programa_id, id);
-- a scalar function with a FROM would be an opaque call per row. vencido_al_corte and egresado_al_corte have no FROM,
-- so PostgreSQL inlines them as the expressions they are.

-- As known at conocido_al (NULL: everything registered): the calificación in effect at the cut-off among those
-- registered by then. A one-row set, so LEFT JOIN LATERAL inlines it as a backwards index scan on
-- (compromiso_id, id); with conocido_al NULL the planner drops its condition. No row: still Pendiente at that cut-off.
CREATE OR REPLACE FUNCTION calificacion_al_corte(del_compromiso integer, al_corte date, conocido_al timestamptz)
RETURNS TABLE (calificacion character varying, fecha date)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT k.calificacion, k.fecha FROM calificaciones k
     WHERE k.compromiso_id = del_compromiso AND k.fecha <= al_corte
       AND (conocido_al IS NULL OR k.registrada_en <= conocido_al)
     ORDER BY k.id DESC
     LIMIT 1
$$;

-- Vencido at a cut-off: due month on or before the cut-off's month, and neither Cumplido nor Cancelado.
CREATE OR REPLACE FUNCTION vencido_al_corte(fecha_vencimiento date, calificacion character varying, al_corte date)
RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT fecha_vencimiento <= al_corte - (extract(day FROM al_corte)::integer - 1)
       AND calificacion NOT IN ('Cumplido', 'Cancelado')
$$;

-- The egreso date as known at conocido_al: that of the egreso or reapertura registered last by then (a
-- reapertura has none; no row: in follow-up). Programa.EgresadoAl reads it.
CREATE OR REPLACE FUNCTION egreso_conocido(del_programa integer, conocido_al timestamptz)
RETURNS TABLE (fecha_egreso date)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT e.fecha_egreso FROM egresos e
     WHERE e.programa_id = del_programa AND e.registrado_en <= conocido_al
     ORDER BY e.id DESC
     LIMIT 1
$$;

-- Egresado at a cut-off: an egreso dated on or before it (the programa's current fecha_egreso, or egreso_conocido's).
CREATE OR REPLACE FUNCTION egresado_al_corte(fecha_egreso date, al_corte date)
RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(fecha_egreso <= al_corte, false)
$$;

-- Timeliness (Domain/Oportunidad.cs): the date a compromiso was met as of a cut-off (NULL: the whole history, the
-- current record), as known at conocido_al. Only when the calificación in effect at the cut-off is Cumplido: the
-- earliest cut-off at which the record, read as of that cut-off (calificacion_al_corte, the one as-of rule), shows it
-- Cumplido; that is always the date of a Cumplido calificación, so only those are tried. NULL otherwise.
CREATE OR REPLACE FUNCTION cumplido_al_corte(del_compromiso integer, al_corte date, conocido_al timestamptz)
RETURNS date
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    -- plpgsql, not sql: an aggregate keeps a sql function from being inlined, and a sql function is then planned
    -- again on every statement that calls it (the most requested read calls it once); plpgsql keeps the plan per
    -- connection.
    RETURN (
        SELECT min(k.fecha) FROM calificaciones k
         CROSS JOIN LATERAL calificacion_al_corte(del_compromiso, k.fecha, conocido_al) AS entonces
         WHERE k.compromiso_id = del_compromiso AND k.calificacion = 'Cumplido'
           AND k.fecha <= coalesce(al_corte, 'infinity'::date)
           AND (conocido_al IS NULL OR k.registrada_en <= conocido_al)
           AND entonces.calificacion = 'Cumplido'
           AND EXISTS (SELECT 1 FROM calificacion_al_corte(del_compromiso, coalesce(al_corte, 'infinity'::date), conocido_al) AS d
                        WHERE d.calificacion = 'Cumplido'));
END
$$;

-- Months late: from the due month (stored as its first day) to the month of cumplido_en, never below 0; NULL without
-- cumplido_en (greatest ignores NULLs: hence the CASE). On time (aTiempo) is 0: cumplido_en on or before the last day
-- of the due month.
CREATE OR REPLACE FUNCTION meses_de_atraso(fecha_vencimiento date, cumplido_en date)
RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN cumplido_en IS NOT NULL THEN
               greatest(0, (extract(year FROM cumplido_en)::integer * 12 + extract(month FROM cumplido_en)::integer)
                         - (extract(year FROM fecha_vencimiento)::integer * 12 + extract(month FROM fecha_vencimiento)::integer))
           END
$$;
