-- registro-inmutable.sql: when a programa, recomendación or compromiso entered the record is a fact about the record,
-- and no later write may move it.
--
-- What for: reads "as known at an instant" (conocidoAl) leave out every row registered after it, by registrado_en /
-- registrada_en. registro_inmutable(column) refuses (integrity_constraint_violation) any UPDATE that changes the
-- column it is given; one trigger per table, each named registro_inmutable. (Calificaciones, reportes, medios and
-- egresos are never updated: the runtime role has no UPDATE on them, see Privilegios.sql.)

CREATE OR REPLACE FUNCTION registro_inmutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF to_jsonb(NEW) -> TG_ARGV[0] IS DISTINCT FROM to_jsonb(OLD) -> TG_ARGV[0] THEN
        RAISE EXCEPTION 'El instante de registro (%.%) no se modifica', TG_TABLE_NAME, TG_ARGV[0]
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE OR REPLACE TRIGGER registro_inmutable BEFORE UPDATE ON programas FOR EACH ROW EXECUTE FUNCTION registro_inmutable('registrado_en');
CREATE OR REPLACE TRIGGER registro_inmutable BEFORE UPDATE ON recomendaciones FOR EACH ROW EXECUTE FUNCTION registro_inmutable('registrada_en');
CREATE OR REPLACE TRIGGER registro_inmutable BEFORE UPDATE ON compromisos FOR EACH ROW EXECUTE FUNCTION registro_inmutable('registrado_en');
