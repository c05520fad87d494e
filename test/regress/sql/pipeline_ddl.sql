--
-- Streams and continuous queries: DDL in PipelineDB 1.0 syntax (foreign
-- tables and views) and in 0.9 syntax (CREATE STREAM / CONTINUOUS VIEW ...),
-- duplicates, IF [NOT] EXISTS, dependencies and CASCADE.
--
\set VERBOSITY verbose
CREATE EXTENSION pipelinedb;
CREATE EXTENSION pipelinedb;
CREATE EXTENSION IF NOT EXISTS pipelinedb;
CREATE EXTENSION no_such_extension;
-- streams, 1.0 syntax
CREATE FOREIGN TABLE pdl_s1 (x integer, y text, z varchar(10)) SERVER pipelinedb;
CREATE FOREIGN TABLE pdl_s1 (x integer) SERVER pipelinedb;
CREATE FOREIGN TABLE IF NOT EXISTS pdl_s1 (x integer) SERVER pipelinedb;
CREATE FOREIGN TABLE pdl_bad (x integer) SERVER other_server;
CREATE FOREIGN TABLE pdl_bad (x integer, x text) SERVER pipelinedb;
CREATE FOREIGN TABLE pdl_bad (arrival_timestamp timestamptz) SERVER pipelinedb;
CREATE FOREIGN TABLE pdl_bad (x no_such_type) SERVER pipelinedb;
CREATE FOREIGN TABLE nosuchschema.pdl_bad (x integer) SERVER pipelinedb;
-- streams, 0.9 syntax
CREATE STREAM pdl_s2 (a bigint, b numeric(10,2));
CREATE STREAM pdl_s2 (a bigint);
create stream "pdl_S3" (t timestamptz);
CREATE STREAM pdl_bad (a no_such_type);
-- ALTER: only ADD COLUMN (and OWNER TO)
ALTER STREAM pdl_s2 ADD COLUMN c text;
ALTER FOREIGN TABLE pdl_s2 ADD COLUMN c text;
ALTER FOREIGN TABLE pdl_s2 ADD COLUMN IF NOT EXISTS c text;
ALTER FOREIGN TABLE pdl_s2 ADD COLUMN arrival_timestamp text;
ALTER FOREIGN TABLE pdl_s2 DROP COLUMN c;
ALTER FOREIGN TABLE pdl_nosuch ADD COLUMN c text;
ALTER FOREIGN TABLE IF EXISTS pdl_nosuch ADD COLUMN c text;
ALTER FOREIGN TABLE pdl_s2 OWNER TO postgres;
-- continuous views, 1.0 syntax: explicit action, and no action over a stream
CREATE VIEW pdl_v1 WITH (action=materialize) AS SELECT x, count(*) FROM pdl_s1 GROUP BY x;
CREATE VIEW pdl_v2 AS SELECT sum(a) AS total FROM pdl_s2;
CREATE VIEW pdl_v2 AS SELECT sum(a) AS total FROM pdl_s2;
CREATE VIEW pdl_s1 AS SELECT sum(a) FROM pdl_s2;
CREATE OR REPLACE VIEW pdl_v3 AS SELECT sum(a) FROM pdl_s2;
CREATE VIEW pdl_v3 WITH (action=nonsense) AS SELECT sum(a) FROM pdl_s2;
CREATE VIEW pdl_plain AS SELECT 1 AS one;
DROP VIEW pdl_plain;
CREATE VIEW pdl_v3 WITH (action=materialize, fillfactor=50, unknown_option=1) AS SELECT c, max(b) FROM pdl_s2 GROUP BY c;
-- 0.9 syntax
CREATE CONTINUOUS VIEW pdl_cv1 AS SELECT y, count(*) FROM pdl_s1 GROUP BY y;
-- Sliding windows are valid PipelineDB but not maintained yet: refused at CREATE.
CREATE CONTINUOUS VIEW pdl_cv2 WITH (sw = '1 hour') AS SELECT count(*) FROM pdl_s1;
CREATE CONTINUOUS VIEW pdl_cv1 AS SELECT y FROM pdl_s1;
-- transforms
CREATE VIEW pdl_t1 WITH (action=transform, outputfunc=pipelinedb.insert_into_stream('pdl_s2')) AS SELECT x::bigint AS a FROM pdl_s1;
CREATE CONTINUOUS TRANSFORM pdl_t2 AS SELECT x FROM pdl_s1 WHERE x > 10 THEN EXECUTE PROCEDURE pipelinedb.insert_into_stream('pdl_s2', 'pdl_S3');
CREATE CONTINUOUS TRANSFORM pdl_t3 AS SELECT x FROM pdl_s1;
CREATE CONTINUOUS TRANSFORM pdl_bad AS SELECT count(*) FROM pdl_s1;
SELECT name, active, query FROM pipelinedb.views ORDER BY name;
SELECT name, tgfunc, tgargs, query FROM pipelinedb.transforms ORDER BY name;
-- activation (1.0 functions and 0.9 statements)
SELECT pipelinedb.deactivate('pdl_v1');
SELECT pipelinedb.deactivate('pdl_v1');
SELECT pipelinedb.activate('pdl_v1');
SELECT pipelinedb.activate('pdl_nosuch');
DEACTIVATE pdl_cv1, pdl_t1;
SELECT name, active FROM pipelinedb.views ORDER BY name;
SELECT name, active FROM pipelinedb.transforms ORDER BY name;
ACTIVATE;
DEACTIVATE pdl_nosuch;
SELECT count(*) AS inactive FROM pipelinedb.views WHERE NOT active;
-- truncation
SELECT pipelinedb.truncate_continuous_view('pdl_v1');
SELECT truncate_continuous_view('pdl_cv1');
SELECT pipelinedb.truncate_continuous_view('pdl_nosuch');
SELECT pipelinedb.truncate_continuous_view('pdl_t1');
TRUNCATE CONTINUOUS VIEW pdl_v1, pdl_cv1;
TRUNCATE CONTINUOUS VIEW pdl_v1, pdl_nosuch;
-- dropping: wrong kinds, IF EXISTS, dependencies
DROP VIEW pdl_s1;
DROP FOREIGN TABLE pdl_v1;
DROP STREAM pdl_nosuch;
DROP STREAM IF EXISTS pdl_nosuch;
DROP CONTINUOUS VIEW IF EXISTS pdl_nosuch;
DROP FOREIGN TABLE pdl_s2;
DROP STREAM pdl_s1;
DROP CONTINUOUS VIEW pdl_cv2;
DROP CONTINUOUS TRANSFORM pdl_t3;
DROP VIEW pdl_v3, pdl_nosuch;
DROP VIEW IF EXISTS pdl_v3, pdl_nosuch;
DROP STREAM pdl_s2 CASCADE;
SELECT name FROM pipelinedb.views ORDER BY name;
DROP FOREIGN TABLE pdl_s1, "pdl_S3" CASCADE;
SELECT count(*) FROM pipelinedb.views;
SELECT count(*) FROM pipelinedb.transforms;
SELECT count(*) FROM pipelinedb.get_streams();
