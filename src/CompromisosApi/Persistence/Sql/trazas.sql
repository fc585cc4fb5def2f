-- trazas.sql: the trace of every transaction (table trazas, partitioned by month of ocurrida_en in UTC) and its
-- monthly partitions.
--
-- The table: written out here because EF can't declare partitioning (Persistence/Traza.cs models it for the queries
-- and excludes it from the migrations). By range of ocurrida_en, one partition per month (UTC), so that a month past its
-- retention goes with one DROP TABLE. The key includes the partition key, as PostgreSQL requires; ids come from a
-- sequence of its own (the writer's COPY leaves the column out). Two indexes besides the key: the export of a day and
-- the date filters (the partition is pruned first), and the search by transaction.
--
-- What: trazas_asegurar_particiones(meses_adelante) creates the partitions trazas_YYYY_MM from the previous month to
-- meses_adelante months ahead (at most 24), and trazas_purgar(meses_retencion) drops every partition whose whole month
-- is older than meses_retencion months before the current one; it refuses fewer than 12 (the security norm's guide
-- keeps event logs at least 12 months). Both take the current time from the database, not from the caller, and hold one
-- advisory lock, so several instances never race on the catalog. The runtime role owns no table, so they run as their
-- owner (SECURITY DEFINER, with a fixed search_path and every name qualified); only the runtime role may call them
-- (Privilegios.sql).

CREATE SEQUENCE IF NOT EXISTS trazas_id_seq AS bigint;
CREATE TABLE IF NOT EXISTS trazas (
    id bigint NOT NULL DEFAULT nextval('trazas_id_seq'),
    ocurrida_en timestamp with time zone NOT NULL,
    duracion_ms integer NOT NULL,
    metodo character varying(20) NOT NULL,
    operacion character varying(100),
    ruta character varying(300),
    recurso_id character varying(200),
    organismo_solicitante character varying(50),
    funcionario_run character varying(10),
    procedimiento character varying(100),
    transaccion_id character varying(100) NOT NULL,
    trace_id character varying(32),
    sujeto character varying(200),
    status smallint NOT NULL,
    resultado character varying(10) NOT NULL,
    tipo_problema character varying(200),
    proveedor character varying(50) NOT NULL,
    CONSTRAINT pk_trazas PRIMARY KEY (id, ocurrida_en)
) PARTITION BY RANGE (ocurrida_en);
ALTER SEQUENCE trazas_id_seq OWNED BY trazas.id;
CREATE INDEX IF NOT EXISTS ix_trazas_ocurrida_en_id ON trazas (ocurrida_en, id);
CREATE INDEX IF NOT EXISTS ix_trazas_transaccion_id ON trazas (transaccion_id);

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

-- The months around today; the writer and the scheduled task keep creating them ahead.
SELECT trazas_asegurar_particiones(2);
