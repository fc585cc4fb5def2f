-- busqueda.sql: full-text search of compromisos and programas (the `q` of their lists).
--
-- What: the unaccent extension; sin_tildes, busqueda_vector and busqueda_consulta (one normalisation, Spanish
-- stemming and stopwords over accent-free text, for documents and queries; busqueda_consulta is what LINQ calls, see
-- Persistence/Busqueda.cs); busqueda_documento_compromiso / _programa (what a document holds) and their _al twins
-- (the same at a moment) with busqueda_consulta_indexable (what the index can pre-select); busqueda_refrescar
-- (recompute the documents that hold a row, each under its row lock); and the
-- busqueda_* triggers on programas, recomendaciones, compromisos and reportes_cumplimiento, through the two trigger
-- functions busqueda_tr_filas and busqueda_tr_cambio, that keep busqueda_compromisos and busqueda_programas (tables EF
-- creates) right.
--
-- Why triggers: any writer (the handlers, the demo loader, imports, an administrator's SQL) leaves the documents right,
-- and the documents are rows of their own, never columns of compromisos/programas, whose xmin is their ETag (a new
-- reporte must not change it). Only the database writes these rows; the API only reads them.

-- Accent-insensitive Spanish search. unaccent ships with the PostgreSQL server (Debian's postgresql-15 package, the
-- postgres:15-alpine image) and is a trusted extension: the database owner may create it.
CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public;

-- unaccent() is only STABLE (its dictionary could change), so it can't appear in an index expression or
-- a generated column. This wrapper names the dictionary and is declared IMMUTABLE (the usual way); a
-- SQL-standard body binds its names at creation, so no search_path can change what it calls.
CREATE OR REPLACE FUNCTION sin_tildes(texto text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN public.unaccent('public.unaccent'::regdictionary, texto);

-- One normalisation for documents and queries: Spanish stemming and stopwords over accent-free text,
-- so "focalizacion" finds "focalización" and "Beneficiarios" finds "beneficiario".
CREATE OR REPLACE FUNCTION busqueda_vector(texto text, peso "char") RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN setweight(to_tsvector('pg_catalog.spanish'::regconfig, coalesce(sin_tildes(texto), '')), peso);

-- websearch syntax never raises on user input (quotes, "or", "-palabra"); only stopwords give an empty
-- query, which matches nothing.
CREATE OR REPLACE FUNCTION busqueda_consulta(q text) RETURNS tsquery
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN websearch_to_tsquery('pg_catalog.spanish'::regconfig, sin_tildes(q));

-- The documents as they were at a moment (a list with q and alCorte or conocidoAl; see Persistence/AlCorte.cs): the
-- same texts, but a compromiso's cumplimientos only those reported for cut-offs up to al_corte and registered by
-- conocido_al, and a programa's recomendaciones and compromisos only those registered by conocido_al (NULL: no bound).
-- Computed for the rows the stored documents' index found with busqueda_consulta_indexable: texts only accumulate, so
-- a document that matches then holds, now, every word the query requires. With no bounds they are today's documents.
-- A tsvector holds at most 1 MB. Texts are bounded but cumplimientos accumulate, so when the whole does not fit (only
-- pathological input gets there) the document keeps the compromiso and its recomendación whole and the first 100,000
-- characters of the cumplimientos, instead of refusing the write that made it grow. The block only reads, so its
-- subtransaction never takes an xid.
CREATE OR REPLACE FUNCTION busqueda_documento_compromiso_al(p_id integer, al_corte date, conocido_al timestamptz) RETURNS tsvector
    LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_compromiso text;
    v_recomendacion text;
    v_cumplimientos text;
BEGIN
    SELECT c.texto, r.texto INTO v_compromiso, v_recomendacion
      FROM compromisos c JOIN recomendaciones r ON r.id = c.recomendacion_id
     WHERE c.id = p_id;
    SELECT string_agg(rc.texto, E'\n' ORDER BY rc.id) INTO v_cumplimientos
      FROM reportes_cumplimiento rc
     WHERE rc.compromiso_id = p_id
       AND (al_corte IS NULL OR rc.corte <= al_corte)
       AND (conocido_al IS NULL OR rc.registrado_en <= conocido_al);
    BEGIN
        RETURN busqueda_vector(v_compromiso, 'A') || busqueda_vector(v_recomendacion, 'B')
            || busqueda_vector(v_cumplimientos, 'C');
    EXCEPTION WHEN program_limit_exceeded THEN
        RETURN busqueda_vector(v_compromiso, 'A') || busqueda_vector(v_recomendacion, 'B')
            || busqueda_vector(left(v_cumplimientos, 100000), 'C');
    END;
END $$;

CREATE OR REPLACE FUNCTION busqueda_documento_programa_al(p_id integer, conocido_al timestamptz) RETURNS tsvector
    LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_nombre text;
    v_recomendaciones text;
    v_compromisos text;
BEGIN
    SELECT p.nombre INTO v_nombre FROM programas p WHERE p.id = p_id;
    SELECT string_agg(r.texto, E'\n' ORDER BY r.numero) INTO v_recomendaciones
      FROM recomendaciones r
     WHERE r.programa_id = p_id AND (conocido_al IS NULL OR r.registrada_en <= conocido_al);
    SELECT string_agg(c.texto, E'\n' ORDER BY c.id) INTO v_compromisos
      FROM compromisos c
     WHERE c.programa_id = p_id AND (conocido_al IS NULL OR c.registrado_en <= conocido_al);
    BEGIN
        RETURN busqueda_vector(v_nombre, 'A') || busqueda_vector(v_recomendaciones, 'B')
            || busqueda_vector(v_compromisos, 'C');
    EXCEPTION WHEN program_limit_exceeded THEN
        RETURN busqueda_vector(v_nombre, 'A') || busqueda_vector(left(v_recomendaciones, 60000), 'B')
            || busqueda_vector(left(v_compromisos, 80000), 'C');
    END;
END $$;

-- Today's document of a compromiso: its texto, its recomendación's and every cumplimiento.
CREATE OR REPLACE FUNCTION busqueda_documento_compromiso(p_id integer) RETURNS tsvector
    LANGUAGE sql STABLE
    RETURN busqueda_documento_compromiso_al(p_id, NULL, NULL);

-- A programa's document: nombre, recomendaciones and compromisos (not the cumplimientos: those are
-- searched per compromiso, and including them would make every reporte rewrite its programa's row).
CREATE OR REPLACE FUNCTION busqueda_documento_programa(p_id integer) RETURNS tsvector
    LANGUAGE sql STABLE
    RETURN busqueda_documento_programa_al(p_id, NULL);

-- The part of a query an index can answer (querytree drops what only a negation requires): every document that
-- matches the query holds it. NULL when nothing is left (a query of exclusions only, "-palabra"): then no index helps.
CREATE OR REPLACE FUNCTION busqueda_consulta_indexable(q text) RETURNS tsquery
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT CASE WHEN t IN ('T', '') THEN NULL ELSE t::tsquery END FROM (SELECT querytree(busqueda_consulta(q)) AS t) x
$$;

-- Recompute the documents that hold a row, by kind: a programa's or a compromiso's own ('programa', 'compromiso': the
-- tables programas / busqueda_programas and compromisos / busqueda_compromisos), or a recomendación's ('recomendacion':
-- its text is in each of its compromisos' documents). The trigger functions below name them as their arguments.
-- Lock the document row, then recompute it in a new statement: in READ COMMITTED each statement sees
-- what committed before it began, so a writer that waited here also sees the text of the one it waited
-- for, and no document misses a concurrent write. Locks are taken compromiso documents first, then
-- the programa's, always after the rows the handlers lock, so they add no lock cycle.
CREATE OR REPLACE FUNCTION busqueda_refrescar(documento text, p_id integer) RETURNS void
    LANGUAGE plpgsql AS $$
DECLARE
    v_id integer;
    v_existe boolean;
BEGIN
    IF documento = 'recomendacion' THEN
        FOR v_id IN SELECT c.id FROM compromisos c WHERE c.recomendacion_id = p_id ORDER BY c.id LOOP
            PERFORM busqueda_refrescar('compromiso', v_id);
        END LOOP;
        RETURN;
    END IF;
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %ss WHERE id = $1)', documento) INTO v_existe USING p_id;
    IF NOT v_existe THEN
        RETURN;
    END IF;
    EXECUTE format('INSERT INTO busqueda_%1$ss (%1$s_id, documento) VALUES ($1, ''''::tsvector) '
        'ON CONFLICT (%1$s_id) DO NOTHING', documento) USING p_id;
    EXECUTE format('SELECT 1 FROM busqueda_%1$ss WHERE %1$s_id = $1 FOR UPDATE', documento) USING p_id;
    EXECUTE format('UPDATE busqueda_%1$ss SET documento = busqueda_documento_%1$s($1) WHERE %1$s_id = $1', documento)
        USING p_id;
END $$;

-- Inserts and deletes are handled per statement, with the affected rows as a transition table (nuevos or viejos): a
-- bulk load (an INSERT ... SELECT, a COPY, an import) or a bulk delete rebuilds each document once, not once per row.
-- Arguments: TG_ARGV[0], the table's own document ('programa', 'compromiso' or ''), written directly for new rows:
-- nobody else can write them yet (on a delete it goes with the row: its foreign key cascades); then TG_ARGV[1] and
-- TG_ARGV[2], when given, the document that holds the rows and the column naming it, refreshed once per value.
CREATE OR REPLACE FUNCTION busqueda_tr_filas() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    v_filas text := CASE TG_OP WHEN 'INSERT' THEN 'nuevos' ELSE 'viejos' END;
    v_id integer;
BEGIN
    IF TG_OP = 'INSERT' AND TG_ARGV[0] <> '' THEN
        EXECUTE format('INSERT INTO busqueda_%1$ss (%1$s_id, documento) SELECT n.id, busqueda_documento_%1$s(n.id) FROM nuevos n '
            'ON CONFLICT (%1$s_id) DO NOTHING', TG_ARGV[0]);
    END IF;
    IF TG_NARGS > 1 THEN
        FOR v_id IN EXECUTE format('SELECT DISTINCT f.%I FROM %I f ORDER BY 1', TG_ARGV[2], v_filas) LOOP
            PERFORM busqueda_refrescar(TG_ARGV[1], v_id);
        END LOOP;
    END IF;
    RETURN NULL;
END $$;

-- Updates (corrections) go row by row, and fire only when a searched text or the row's parent changes: a
-- calificación, an egreso or a PUT that leaves the text as it was costs nothing. Arguments: pairs of a document that
-- holds the row and the column naming it, in lock order (compromiso documents first, then the programa's); a document
-- the row left (the column's old value) is refreshed too.
CREATE OR REPLACE FUNCTION busqueda_tr_cambio() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    v_nueva jsonb := to_jsonb(NEW);
    v_vieja jsonb := to_jsonb(OLD);
    v_columna text;
BEGIN
    FOR i IN 0 .. TG_NARGS - 1 BY 2 LOOP
        v_columna := TG_ARGV[i + 1];
        PERFORM busqueda_refrescar(TG_ARGV[i], (v_nueva ->> v_columna)::integer);
        IF v_vieja ->> v_columna <> v_nueva ->> v_columna THEN
            PERFORM busqueda_refrescar(TG_ARGV[i], (v_vieja ->> v_columna)::integer);
        END IF;
    END LOOP;
    RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER busqueda_programas_ins AFTER INSERT ON programas
    REFERENCING NEW TABLE AS nuevos FOR EACH STATEMENT EXECUTE FUNCTION busqueda_tr_filas('programa');
CREATE OR REPLACE TRIGGER busqueda_programas_upd AFTER UPDATE OF nombre ON programas
    FOR EACH ROW WHEN (OLD.nombre IS DISTINCT FROM NEW.nombre) EXECUTE FUNCTION busqueda_tr_cambio('programa', 'id');

CREATE OR REPLACE TRIGGER busqueda_recomendaciones_ins AFTER INSERT ON recomendaciones
    REFERENCING NEW TABLE AS nuevos FOR EACH STATEMENT EXECUTE FUNCTION busqueda_tr_filas('', 'programa', 'programa_id');
CREATE OR REPLACE TRIGGER busqueda_recomendaciones_del AFTER DELETE ON recomendaciones
    REFERENCING OLD TABLE AS viejos FOR EACH STATEMENT EXECUTE FUNCTION busqueda_tr_filas('', 'programa', 'programa_id');
CREATE OR REPLACE TRIGGER busqueda_recomendaciones_upd AFTER UPDATE OF texto, programa_id ON recomendaciones
    FOR EACH ROW WHEN (OLD.texto IS DISTINCT FROM NEW.texto OR OLD.programa_id IS DISTINCT FROM NEW.programa_id)
    EXECUTE FUNCTION busqueda_tr_cambio('recomendacion', 'id', 'programa', 'programa_id');

CREATE OR REPLACE TRIGGER busqueda_compromisos_ins AFTER INSERT ON compromisos
    REFERENCING NEW TABLE AS nuevos FOR EACH STATEMENT EXECUTE FUNCTION busqueda_tr_filas('compromiso', 'programa', 'programa_id');
CREATE OR REPLACE TRIGGER busqueda_compromisos_del AFTER DELETE ON compromisos
    REFERENCING OLD TABLE AS viejos FOR EACH STATEMENT EXECUTE FUNCTION busqueda_tr_filas('compromiso', 'programa', 'programa_id');
CREATE OR REPLACE TRIGGER busqueda_compromisos_upd AFTER UPDATE OF texto, recomendacion_id, programa_id ON compromisos
    FOR EACH ROW WHEN (OLD.texto IS DISTINCT FROM NEW.texto OR OLD.recomendacion_id IS DISTINCT FROM NEW.recomendacion_id
        OR OLD.programa_id IS DISTINCT FROM NEW.programa_id)
    EXECUTE FUNCTION busqueda_tr_cambio('compromiso', 'id', 'programa', 'programa_id');

CREATE OR REPLACE TRIGGER busqueda_reportes_ins AFTER INSERT ON reportes_cumplimiento
    REFERENCING NEW TABLE AS nuevos FOR EACH STATEMENT EXECUTE FUNCTION busqueda_tr_filas('', 'compromiso', 'compromiso_id');
CREATE OR REPLACE TRIGGER busqueda_reportes_del AFTER DELETE ON reportes_cumplimiento
    REFERENCING OLD TABLE AS viejos FOR EACH STATEMENT EXECUTE FUNCTION busqueda_tr_filas('', 'compromiso', 'compromiso_id');
CREATE OR REPLACE TRIGGER busqueda_reportes_upd AFTER UPDATE OF texto, compromiso_id ON reportes_cumplimiento
    FOR EACH ROW WHEN (OLD.texto IS DISTINCT FROM NEW.texto OR OLD.compromiso_id IS DISTINCT FROM NEW.compromiso_id)
    EXECUTE FUNCTION busqueda_tr_cambio('compromiso', 'compromiso_id');
