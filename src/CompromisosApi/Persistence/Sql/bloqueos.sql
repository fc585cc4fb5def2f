-- bloqueos.sql: the queue in front of a programa's row lock (CompromisosDbContext.BloquearProgramaAsync).
--
-- A programa's row lock alone starves its own writers. A FOR UPDATE (an egreso, a reopening, PUT /programas/{id}, a
-- servicio moved to another ministerio) waits until no transaction holds the row FOR SHARE, and each new FOR SHARE (a
-- calificación, a reporte, a compromiso written under the programa) joins the holders already there without queueing
-- behind it: under a steady stream of calificaciones, a PUT waited until its statement timed out (503 after 30 s).
-- So every lock of a programa takes first, in the same mode, the programa's transaction-level advisory lock, which
-- PostgreSQL queues fairly (a shared request waits behind an exclusive one already waiting): the writer waits only for
-- the transactions that were in before it. In id order, as every multi-row lock, so that no two wait in a cycle.
CREATE OR REPLACE FUNCTION turno_de_programas(ids integer[], exclusivo boolean)
RETURNS void LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$ -- (as estadisticas_anotar_compromisos)
BEGIN
    -- 1349676903 ("Prog"): the key space of these locks; the second key is the programa's id.
    IF exclusivo THEN
        PERFORM pg_advisory_xact_lock(1349676903, x.id) FROM (SELECT DISTINCT unnest(ids) AS id ORDER BY 1) AS x;
    ELSE
        PERFORM pg_advisory_xact_lock_shared(1349676903, x.id) FROM (SELECT DISTINCT unnest(ids) AS id ORDER BY 1) AS x;
    END IF;
END $$;
