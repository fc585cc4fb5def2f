-- trazas.sql: the monthly partitions of the trace of every transaction (table trazas, partitioned by month of
-- ocurrida_en in UTC, created by the migration Trazas).
--
-- What: trazas_asegurar_particiones(meses_adelante) creates the partitions trazas_YYYY_MM from the previous month to
-- meses_adelante months ahead (at most 24), and trazas_purgar(meses_retencion) drops every partition whose whole month
-- is older than meses_retencion months before the current one; it refuses fewer than 12 (the security norm's guide
-- keeps event logs at least 12 months). Both take the current time from the database, not from the caller, and hold one
-- advisory lock, so several instances never race on the catalog. The runtime role owns no table, so they run as their
-- owner (SECURITY DEFINER, with a fixed search_path and every name qualified); only the runtime role may call them
-- (Privilegios.sql).

CREATE OR REPLACE FUNCTION trazas_asegurar_particiones(meses_adelante integer) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    mes date := (date_trunc('month', now() AT TIME ZONE 'UTC') - interval '1 month')::date;
    ultimo date;
    nombre text;
    creadas integer := 0;
BEGIN
    IF meses_adelante IS NULL OR meses_adelante < 0 OR meses_adelante > 24 THEN
        RAISE EXCEPTION 'meses_adelante debe estar entre 0 y 24 (se pidió %)', meses_adelante USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM pg_advisory_xact_lock(7415263902);
    ultimo := (date_trunc('month', now() AT TIME ZONE 'UTC') + make_interval(months => meses_adelante))::date;
    WHILE mes <= ultimo LOOP
        nombre := 'trazas_' || to_char(mes, 'YYYY_MM');
        IF to_regclass('public.' || nombre) IS NULL THEN
            EXECUTE format('CREATE TABLE public.%I PARTITION OF public.trazas FOR VALUES FROM (%L) TO (%L)',
                nombre, (mes::timestamp AT TIME ZONE 'UTC'), ((mes + interval '1 month')::timestamp AT TIME ZONE 'UTC'));
            creadas := creadas + 1;
        END IF;
        mes := (mes + interval '1 month')::date;
    END LOOP;
    RETURN creadas;
END $$;

CREATE OR REPLACE FUNCTION trazas_purgar(meses_retencion integer) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    limite date;
    particion record;
    eliminadas integer := 0;
BEGIN
    IF meses_retencion IS NULL OR meses_retencion < 12 THEN
        RAISE EXCEPTION 'La retención de las trazas no puede ser menor que 12 meses (se pidió %)', meses_retencion
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM pg_advisory_xact_lock(7415263902);
    limite := (date_trunc('month', now() AT TIME ZONE 'UTC') - make_interval(months => meses_retencion))::date;
    FOR particion IN
        SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
         WHERE i.inhparent = 'public.trazas'::regclass AND c.relname ~ '^trazas_[0-9]{4}_[0-9]{2}$'
         ORDER BY c.relname
    LOOP
        IF to_date(substr(particion.relname, 8), 'YYYY_MM') + interval '1 month' <= limite THEN
            EXECUTE format('DROP TABLE public.%I', particion.relname);
            eliminadas := eliminadas + 1;
        END IF;
    END LOOP;
    RETURN eliminadas;
END $$;

REVOKE ALL ON FUNCTION trazas_asegurar_particiones(integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION trazas_purgar(integer) FROM PUBLIC;
