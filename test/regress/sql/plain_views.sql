--
-- Plain (non-continuous) views: CREATE VIEW whose SELECT reads no stream.
-- They read continuous views (combine() included), other plain views and
-- the pipelinedb schema, are planned again at every read, and follow
-- PostgreSQL's rules for dependencies, CREATE OR REPLACE and transactions.
-- Expected values are worked out by hand from the rows inserted (comments).
--
SET pipelinedb.stream_insert_level = sync_commit;
CREATE STREAM pv_s (k text, x integer);
CREATE VIEW pv_cv AS SELECT k, count(*), sum(x), avg(x), max(x) FROM pv_s GROUP BY k;
-- a: 1 2 3 6; b: 10; c: 100 200 NULL
INSERT INTO pv_s VALUES ('a', 1), ('a', 2), ('a', 3), ('a', 6), ('b', 10), ('c', 100), ('c', 200), ('c', NULL);
SELECT * FROM pv_cv ORDER BY k;
-- combine() over every group: 8 rows, 7 non-null x summing to 322, so avg 46
-- (the average of the three averages would be 54.33)
CREATE VIEW pv_totals AS SELECT combine(count) AS count, combine(sum) AS sum, combine(avg) AS avg, combine(max) AS max FROM pv_cv;
SELECT * FROM pv_totals;
-- combine() per group of groups: busy (a, c) has x 1 2 3 6 100 200 -> avg 52 over 7 rows; b alone avg 10
CREATE VIEW pv_by_busy AS SELECT count > 1 AS busy, combine(count) AS n, combine(avg) AS avg FROM pv_cv GROUP BY 1;
SELECT * FROM pv_by_busy ORDER BY busy;
-- a filtered view with column aliases, and a view over it
CREATE VIEW pv_busy (key, n) AS SELECT k, count FROM pv_cv WHERE count > 1;
SELECT * FROM pv_busy ORDER BY key;
CREATE VIEW pv_busy10 AS SELECT key, n * 10 AS n10 FROM pv_busy;
SELECT * FROM pv_busy10 ORDER BY key;
-- fewer aliases than columns rename only the first ones
CREATE VIEW pv_part (kk) AS SELECT k, max FROM pv_cv;
SELECT * FROM pv_part ORDER BY kk;
-- a view that reads nothing: unknown literals become text, as in PostgreSQL 10 and later
CREATE VIEW pv_const AS SELECT 'x' AS t, NULL AS n, 1 AS one;
SELECT *, pg_typeof(t) AS t_type, pg_typeof(n) AS n_type FROM pv_const;
-- WHERE, ORDER BY and joins over plain views (and with a continuous view)
SELECT * FROM pv_busy WHERE n < 4 ORDER BY key DESC;
SELECT b.key, b.n, t.count AS total FROM pv_busy AS b CROSS JOIN pv_totals AS t ORDER BY b.key;
SELECT b.key, b10.n10, c.max FROM pv_busy AS b JOIN pv_busy10 AS b10 ON b10.key = b.key JOIN pv_cv AS c ON c.k = b.key ORDER BY 1;
SELECT count(*), sum(n) FROM pv_busy;
SELECT p.kk, c.one FROM pv_part AS p LEFT JOIN pv_const AS c ON p.max = c.one * 10 ORDER BY p.kk;
-- reads see the current contents: b gets 20 (count 2, sum 30), d gets 5
PREPARE pv_read AS SELECT * FROM pv_totals;
EXECUTE pv_read;
INSERT INTO pv_s VALUES ('b', 20), ('d', 5);
-- 10 rows, 9 non-null x summing to 347: avg 38.5555...
EXECUTE pv_read;
SELECT * FROM pv_busy ORDER BY key;
SELECT * FROM pv_by_busy ORDER BY busy;
DEALLOCATE pv_read;
-- plain views are not continuous queries
SELECT name FROM pipelinedb.views WHERE name LIKE 'pv%' ORDER BY name;
SELECT name, queries FROM pipelinedb.get_streams() WHERE name LIKE 'pv%';
-- a view over the pipelinedb schema
CREATE VIEW pv_cqs AS SELECT name, active FROM pipelinedb.get_views() WHERE name LIKE 'pv%';
SELECT * FROM pv_cqs;
\set VERBOSITY verbose
-- combine() needs a continuous view's column
SELECT combine(n) FROM pv_busy;
-- errors
CREATE VIEW pv_busy AS SELECT 1;
CREATE VIEW pv_param AS SELECT k FROM pv_cv WHERE count > $1;
CREATE VIEW pv_names (a, b, c) AS SELECT 1, 2;
CREATE VIEW pv_dup AS SELECT 1 AS a, 2 AS a;
CREATE VIEW pv_nosuch AS SELECT k FROM pv_nosuch_cv;
INSERT INTO pv_busy VALUES ('x', 1);
COPY pv_busy FROM STDIN;
-- a continuous view reads streams only
CREATE VIEW pv_cq WITH (action=materialize) AS SELECT count(*) FROM pv_busy;
CREATE VIEW pv_cq2 WITH (action=materialize) AS SELECT s.k, count(*) FROM pv_s AS s JOIN pv_busy AS b ON b.key = s.k GROUP BY s.k;
-- dependencies
DROP VIEW pv_busy;
DROP VIEW pv_cv;
DROP STREAM pv_s;
DROP VIEW pv_busy, pv_totals;
-- CREATE OR REPLACE: columns may be added at the end only
CREATE OR REPLACE VIEW pv_busy10 AS SELECT key FROM pv_busy;
CREATE OR REPLACE VIEW pv_busy10 AS SELECT n * 10 AS n10, key FROM pv_busy;
CREATE OR REPLACE VIEW pv_busy10 AS SELECT key, (n * 10)::numeric AS n10 FROM pv_busy;
CREATE OR REPLACE VIEW pv_busy AS SELECT k AS key FROM pv_cv;
CREATE OR REPLACE VIEW pv_cv AS SELECT 1 AS k;
CREATE OR REPLACE VIEW pv_s AS SELECT 1 AS k;
CREATE OR REPLACE VIEW pv_busy (key, n, m) AS SELECT k, count, max FROM pv_cv WHERE count > 1;
SELECT * FROM pv_busy ORDER BY key;
-- a view reading the replaced one with * keeps the columns it had
CREATE VIEW pv_star AS SELECT * FROM pv_busy10;
CREATE OR REPLACE VIEW pv_busy10 AS SELECT key, n * 10 AS n10, m FROM pv_busy;
SELECT * FROM pv_busy10 ORDER BY key;
SELECT * FROM pv_star ORDER BY key;
-- a cycle made by CREATE OR REPLACE fails when read, as in PostgreSQL
CREATE VIEW pv_loop1 AS SELECT 1 AS a;
CREATE VIEW pv_loop2 AS SELECT a FROM pv_loop1;
CREATE OR REPLACE VIEW pv_loop1 AS SELECT a FROM pv_loop2;
SELECT * FROM pv_loop2;
DROP VIEW pv_loop1 CASCADE;
-- transactions
BEGIN;
CREATE VIEW pv_tx AS SELECT key FROM pv_busy;
SELECT * FROM pv_tx ORDER BY key;
ROLLBACK;
SELECT * FROM pv_tx;
BEGIN;
CREATE VIEW pv_tx AS SELECT key FROM pv_busy;
SELECT * FROM pv_tx ORDER BY key;
COMMIT;
SELECT * FROM pv_tx ORDER BY key;
BEGIN;
DROP VIEW pv_tx;
SELECT * FROM pv_tx;
ROLLBACK;
SELECT count(*) FROM pv_tx;
-- DROP ... CASCADE, transitively (pv_tx reads pv_busy, which reads pv_cv)
DROP VIEW pv_busy10 CASCADE;
DROP VIEW IF EXISTS pv_part, pv_nothere;
DROP STREAM pv_s CASCADE;
\set VERBOSITY default
SELECT * FROM pv_cqs;
DROP VIEW pv_cqs, pv_const;
