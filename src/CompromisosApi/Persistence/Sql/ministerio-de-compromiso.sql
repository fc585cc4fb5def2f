-- ministerio-de-compromiso.sql: compromisos.ministerio_id, a copy of the ministerio of the compromiso's programa's
-- servicio, kept right by the database.
--
-- What for: a ministerio's list of compromisos (vencidos at a cut-off, say) walks one index, ix_compromisos_ministerio_id_id,
-- in id order and stops at the page, whatever the size of the record. EF maps the column as a shadow property it
-- reads and never writes (Configurations: CompromisoConfiguration); it is not part of the domain or of the contract.
-- Three triggers keep it: compromisos_ministerio on every compromiso written (whatever ministerio_id the writer sent;
-- its programa may be another), programas_ministerio_de_compromisos when a programa moves to another servicio, and
-- servicios_ministerio_de_compromisos when a servicio moves to another ministerio.

CREATE OR REPLACE FUNCTION compromisos_ministerio() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.ministerio_id := (SELECT s.ministerio_id FROM programas p JOIN servicios s ON s.id = p.servicio_id
                          WHERE p.id = NEW.programa_id);
    RETURN NEW;
END $$;
CREATE OR REPLACE TRIGGER compromisos_ministerio BEFORE INSERT OR UPDATE OF programa_id, ministerio_id ON compromisos
    FOR EACH ROW EXECUTE FUNCTION compromisos_ministerio();

CREATE OR REPLACE FUNCTION programas_ministerio_de_compromisos() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE compromisos SET ministerio_id = (SELECT ministerio_id FROM servicios WHERE id = NEW.servicio_id)
    WHERE programa_id = NEW.id;
    RETURN NULL;
END $$;
CREATE OR REPLACE TRIGGER programas_ministerio_de_compromisos AFTER UPDATE OF servicio_id ON programas
    FOR EACH ROW WHEN (OLD.servicio_id IS DISTINCT FROM NEW.servicio_id)
    EXECUTE FUNCTION programas_ministerio_de_compromisos();

CREATE OR REPLACE FUNCTION servicios_ministerio_de_compromisos() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE compromisos c SET ministerio_id = NEW.ministerio_id
    FROM programas p WHERE p.id = c.programa_id AND p.servicio_id = NEW.id;
    RETURN NULL;
END $$;
CREATE OR REPLACE TRIGGER servicios_ministerio_de_compromisos AFTER UPDATE OF ministerio_id ON servicios
    FOR EACH ROW WHEN (OLD.ministerio_id IS DISTINCT FROM NEW.ministerio_id)
    EXECUTE FUNCTION servicios_ministerio_de_compromisos();
