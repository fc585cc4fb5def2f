-- What the service's runtime role may do, and nothing more. Run by the owner role after every migration, in one
-- transaction (Persistence/Privilegios.cs), with :"rol" replaced by the runtime role's name, quoted. Everything is
-- revoked first and granted again, so this file is the whole truth: a privilege removed here is removed from every
-- database on its next migration, and a table no line here names stops the migration. The runtime role owns nothing,
-- so it can't ALTER, DROP, TRUNCATE or DISABLE TRIGGER anything: PostgreSQL itself, not the service's code, keeps it
-- to the statements below.

-- Two instances migrating at once would otherwise race on the same catalog rows ("tuple concurrently updated").
SELECT pg_advisory_xact_lock(7415263901);

REVOKE ALL ON ALL TABLES IN SCHEMA public FROM :"rol";
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM :"rol";
-- PostgreSQL 15 no longer lets every role create in public; older servers did.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO :"rol";

-- The record. Rows are never deleted (corrections add rows; a subscription's removal is a mark), and row locks
-- (FOR UPDATE / FOR SHARE) need UPDATE.
GRANT SELECT ON lineas_evaluacion, tipos_compromiso TO :"rol";
GRANT SELECT, INSERT, UPDATE ON ministerios, servicios, programas, recomendaciones, compromisos TO :"rol";
GRANT SELECT, INSERT ON calificaciones, reportes_cumplimiento, medios_verificacion, egresos, importaciones TO :"rol";
-- Search documents, written by the triggers of the tables above (as the role that writes those).
GRANT SELECT, INSERT, UPDATE ON busqueda_compromisos, busqueda_programas TO :"rol";
-- Evidence content is stored once and never changed.
GRANT SELECT, INSERT ON archivos_evidencia, fragmentos_evidencia TO :"rol";
-- The audit trail is append-only (its trigger also refuses UPDATE, DELETE and TRUNCATE to whoever owns it).
GRANT SELECT, INSERT ON auditoria TO :"rol";

-- The trace of every transaction: appended in batches (COPY needs INSERT) and read by administradores. Its monthly
-- partitions are reached through it only; they are created and dropped by two functions of the owner (trazas.sql),
-- which the runtime role may call and nobody else.
GRANT SELECT, INSERT ON trazas TO :"rol";
GRANT EXECUTE ON FUNCTION trazas_asegurar_particiones(integer), trazas_purgar(integer) TO :"rol";

-- The statistics' steps: appended by the triggers of the record's tables (as the role that writes those), folded
-- into the totals by estadisticas_consolidar(lote), which deletes them; the counts per programa and type are upserted.
GRANT SELECT, INSERT, DELETE ON estadisticas_cambios TO :"rol";
GRANT SELECT, INSERT, UPDATE ON estadisticas_totales TO :"rol";
GRANT SELECT, INSERT, UPDATE ON estadisticas_programa_tipos TO :"rol";

-- The outbox: events are appended; the counter row is incremented by every writer.
GRANT SELECT, INSERT ON eventos TO :"rol";
GRANT SELECT, INSERT, UPDATE ON eventos_contador TO :"rol";
-- "Sent once" markers; an egreso proposal is forgotten when its programa has an open compromiso again.
GRANT SELECT, INSERT ON vencimientos_notificados, recordatorios_enviados TO :"rol";
GRANT SELECT, INSERT, DELETE ON egresos_propuestos_notificados TO :"rol";
-- Idempotency keys are replaced on retry and deleted when they expire.
GRANT SELECT, INSERT, UPDATE, DELETE ON claves_idempotencia TO :"rol";
-- Webhooks: the relay advances subscriptions and deliveries.
GRANT SELECT, INSERT, UPDATE ON suscripciones, entregas TO :"rol";

-- Identity columns draw from these. (Functions keep PostgreSQL's default EXECUTE for PUBLIC: all of them run with the
-- caller's privileges, so they can do no more than the grants above.)
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO :"rol";
