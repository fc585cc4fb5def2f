-- auditoria.sql: the audit trail (table auditoria) is append-only, enforced by PostgreSQL.
--
-- What: auditoria_solo_agregar() and the triggers auditoria_sin_cambios (UPDATE, DELETE) and auditoria_sin_truncate
-- (TRUNCATE), which refuse every change to an entry whatever the role, the tables' owner included. The runtime role
-- owns nothing and has only SELECT and INSERT on auditoria (Privilegios.sql), so it can't disable them either.

CREATE OR REPLACE FUNCTION auditoria_solo_agregar() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'La bitácora de auditoría es de solo agregado: % no está permitido', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE OR REPLACE TRIGGER auditoria_sin_cambios BEFORE UPDATE OR DELETE ON auditoria
    FOR EACH ROW EXECUTE FUNCTION auditoria_solo_agregar();
CREATE OR REPLACE TRIGGER auditoria_sin_truncate BEFORE TRUNCATE ON auditoria
    FOR EACH STATEMENT EXECUTE FUNCTION auditoria_solo_agregar();
