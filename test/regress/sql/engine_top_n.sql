--
-- engine_top_n: ORDER BY ... LIMIT over continuous views, which choose their
-- rows reading only the columns the sort keys and WHERE read and finalize
-- the other columns of the rows kept (src/sql/select/late-top-n.ts), and the
-- queries that take the plain path (expressions in the target list, LIMIT
-- past the heap, no LIMIT). Expected values are PostgreSQL 15's over the
-- same rows (scripts/regress-oracle.ts: streams as tables, views as plain
-- views), reviewed line by line. Every ORDER BY ends in the group key, so
-- ties have one order.
--
SET pipelinedb.stream_insert_level = sync_commit;
CREATE FOREIGN TABLE etop_s (id integer, g text, val integer) SERVER pipelinedb;
CREATE VIEW etop_v WITH (action=materialize) AS SELECT id, count(*), avg(val), min(val), max(val), sum(val) FROM etop_s GROUP BY id;
CREATE VIEW etop_g WITH (action=materialize) AS SELECT g, count(*) AS n, sum(val) AS total, avg(val) AS mean FROM etop_s GROUP BY g;
CREATE VIEW etop_all WITH (action=materialize) AS SELECT count(*), max(val) FROM etop_s;
-- a column computed by an expression, which fails for the group whose sum is 0
CREATE VIEW etop_q WITH (action=materialize) AS SELECT id, count(*) AS n, 100 / sum(val) AS q FROM etop_s GROUP BY id;
INSERT INTO etop_s (id, g, val) SELECT (x * x) % 101, 'g' || (x % 7), (x * 7919) % 1000 - 200 FROM generate_series(1, 3000) x;
INSERT INTO etop_s (id, g, val) VALUES (200, 'g0', 0), (200, 'g0', 0), (201, 'g0', 5);
SELECT * FROM etop_v ORDER BY count DESC, id LIMIT 5;
SELECT * FROM etop_v ORDER BY count, id DESC LIMIT 4;
SELECT * FROM etop_v ORDER BY avg DESC, id LIMIT 3;
SELECT * FROM etop_v ORDER BY min, id LIMIT 3 OFFSET 2;
SELECT id, avg FROM etop_v ORDER BY sum DESC, id LIMIT 3;
SELECT avg, id FROM etop_v ORDER BY max - min DESC, id LIMIT 3;
SELECT * FROM etop_v WHERE avg > 300 ORDER BY count DESC, id LIMIT 4;
SELECT * FROM etop_v WHERE id % 2 = 0 ORDER BY sum, id LIMIT 2;
SELECT id, sum / count AS mean FROM etop_v ORDER BY count DESC, id LIMIT 3;
SELECT * FROM etop_v AS v (k, c) ORDER BY c DESC, k LIMIT 2;
SELECT * FROM etop_v ORDER BY count DESC, id LIMIT 0;
SELECT count(*) FROM (SELECT * FROM etop_v ORDER BY count DESC, id LIMIT 70000) s;
SELECT * FROM etop_g ORDER BY g DESC LIMIT 2;
SELECT g, mean FROM etop_g ORDER BY total, g LIMIT 3;
SELECT * FROM etop_all ORDER BY count LIMIT 1;
SELECT id, n FROM etop_q ORDER BY n LIMIT 2;
SELECT * FROM etop_q ORDER BY n DESC, id LIMIT 1;
SELECT id, n FROM etop_q ORDER BY n DESC, id LIMIT 1;
PREPARE etop_p(int) AS SELECT * FROM etop_v ORDER BY count DESC, id LIMIT $1;
EXECUTE etop_p(2);
INSERT INTO etop_s (id, g, val) SELECT 6, 'g1', 5000 FROM generate_series(1, 40) x;
EXECUTE etop_p(2);
SELECT * FROM etop_v ORDER BY max DESC, id LIMIT 2;
DEALLOCATE etop_p;
DROP VIEW etop_q;
DROP VIEW etop_all;
DROP VIEW etop_g;
DROP VIEW etop_v;
DROP FOREIGN TABLE etop_s;
