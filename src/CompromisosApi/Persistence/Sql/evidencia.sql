-- evidencia.sql: how evidence file content is stored (AlmacenEvidenciaPostgres; the tables archivos_evidencia and
-- fragmentos_evidencia are EF's).
--
-- What for: fragmentos_evidencia.datos holds the 1 MB pieces of the files, which are mostly compressed already (PDF
-- streams, ZIP packages, images), and a piece is always read whole. STORAGE EXTERNAL keeps them out of line and
-- uncompressed, so no CPU is spent trying to compress them again. EF does not model a column's storage.

ALTER TABLE fragmentos_evidencia ALTER COLUMN datos SET STORAGE EXTERNAL;
