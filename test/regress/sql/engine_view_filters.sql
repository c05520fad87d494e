--
-- engine_view_filters: WHERE over a continuous view with a column computed
-- by an expression over its aggregates (100 / sum(val)), which fails for a
-- group whose sum is 0. PostgreSQL pushes the WHERE below the view's target
-- list, so the column fails only for the groups that pass; the view reads
-- the WHERE's columns first and the rest for the rows that pass
-- (src/sql/select/filter-first.ts). Expected values are PostgreSQL 15's
-- over the same rows (scripts/regress-oracle.ts: streams as tables, views
-- as plain views), reviewed line by line.
--
SET pipelinedb.stream_insert_level = sync_commit;
CREATE FOREIGN TABLE evf_s (id integer, g text, val integer) SERVER pipelinedb;
CREATE VIEW evf_v WITH (action=materialize) AS SELECT id, g, count(*) AS n, sum(val) AS total, 100 / sum(val) AS q, avg(val) AS mean FROM evf_s GROUP BY id, g;
CREATE VIEW evf_w WITH (action=materialize) AS SELECT id, sum(val) + 0 AS t, 100 / sum(val) AS q FROM evf_s GROUP BY id;
INSERT INTO evf_s (id, g, val) VALUES (1, 'a', 5), (1, 'a', 5), (2, 'b', 0), (3, 'a', 20), (3, 'a', 30), (3, 'a', 50), (4, 'c', -4);
-- the failing group is filtered out: by an aggregate column, a group column, several conditions
SELECT id, q FROM evf_v WHERE n > 1 ORDER BY id;
SELECT id, q, mean FROM evf_v WHERE g = 'a' ORDER BY id;
SELECT id, q FROM evf_v WHERE id <> 2 AND total > 0 ORDER BY id;
SELECT * FROM evf_v WHERE n >= 2 ORDER BY q DESC;
-- aggregates, DISTINCT, LIMIT and ORDER BY ... LIMIT over the rows that pass
SELECT sum(q), count(*), max(mean) FROM evf_v WHERE n > 1;
SELECT g, sum(q) FROM evf_v WHERE total <> 0 GROUP BY g ORDER BY g;
SELECT DISTINCT g FROM evf_v WHERE q > 1 ORDER BY g;
SELECT id, q FROM evf_v WHERE n > 1 ORDER BY n DESC, id LIMIT 1;
SELECT count(*) FROM (SELECT id, q FROM evf_v WHERE n > 1 LIMIT 1) s;
-- conditions that read the failing column run after those that do not, for the groups that pass them
SELECT id, q FROM evf_v WHERE id <> 2 AND q > 1 ORDER BY id;
SELECT id FROM evf_v WHERE q > 1 AND n > 1 ORDER BY id;
SELECT id, mean FROM evf_v WHERE g = 'a' AND q >= 1 AND total > 0 ORDER BY id;
SELECT count(*) FROM evf_v WHERE q > 1 OR n > 1;
-- every condition reads a computed column, which cannot fail: the others are read for the rows that pass
SELECT id, q FROM evf_w WHERE t <> 0 ORDER BY id;
-- volatile conditions are pushed below the view's target list too
SELECT id, q FROM evf_v WHERE n > 1 AND random() < 2 ORDER BY id;
SELECT id, q FROM evf_v WHERE id > 0 AND clock_timestamp() < '2000-01-01';
-- the WHERE reads the failing column, or there is no WHERE: it fails as in PostgreSQL
SELECT id FROM evf_v WHERE q > 3 ORDER BY id;
SELECT id, q FROM evf_v ORDER BY id;
-- a WHERE fixing the group key reads the one group, and filters it first too
SELECT id, q FROM evf_v WHERE id = 2 AND g = 'b' AND n > 1;
SELECT id, q FROM evf_v WHERE id = 1 AND g = 'a' AND n > 1;
SELECT id, q FROM evf_v WHERE id = 2 AND g = 'b' AND total > 0 AND q > 1;
SELECT count(*), sum(q) FROM evf_v WHERE id = 2 AND g = 'b' AND n > 1;
SELECT id, q FROM evf_w WHERE id = 2 AND t > 0;
SELECT id, q FROM evf_v WHERE id = 9 AND g = 'z' AND n > 1;
SELECT id, q FROM evf_v WHERE id = 2 AND g = 'b';
-- the key fixed, the failing column not read: it is not computed, as in a scan
SELECT id, n FROM evf_v WHERE id = 2 AND g = 'b';
SELECT count(*) FROM evf_v WHERE id = 2 AND g = 'b';
SELECT id, n, total FROM evf_v WHERE g = 'b';
-- plain columns only: read as the scan goes
SELECT id, n, mean FROM evf_v WHERE n > 1 ORDER BY id;
SELECT id, total FROM evf_v ORDER BY total DESC, id LIMIT 2;
DROP VIEW evf_w;
DROP VIEW evf_v;
DROP FOREIGN TABLE evf_s;
