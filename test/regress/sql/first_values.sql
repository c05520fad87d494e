--
-- first_values(n, x [, o1 [, o2]]): the n first rows in sort order. With one
-- argument the result is x's array sorted by x; with more, records of all the
-- arguments sorted by each in turn. NULLs sort last and are kept, duplicates
-- are kept, no rows give NULL. first_values(n) WITHIN GROUP (ORDER BY ...) is
-- the documented 0.9 spelling of the same aggregate.
--
SET pipelinedb.stream_insert_level = sync_commit;
-- ad hoc, one column
SELECT first_values(3, x) FROM (VALUES (5), (NULL), (2), (9), (2)) AS t(x);
SELECT first_values(3, x) FROM (VALUES (7), (NULL), (NULL)) AS t(x);
SELECT first_values(10, x) FROM generate_series(6, 1, -1) AS x;
SELECT first_values(2, x) FROM generate_series(1, 3) AS x WHERE x > 5;
SELECT g, first_values(2, s) FROM (VALUES (1, 'pear'), (1, 'apple'), (2, 'fig'), (1, 'banana'), (2, NULL), (2, 'date')) AS t(g, s) GROUP BY g ORDER BY g;
SELECT first_values(2, f) FROM (VALUES (2.5::float8), ('-Infinity'), ('NaN'), (-0.5)) AS t(f);
SELECT first_values(2, ts) FROM (VALUES (timestamp '2021-03-04 05:06:07'), (timestamp '2020-12-31 23:59:59.5'), (timestamp '2021-01-01')) AS t(ts);
-- several columns: records, ordered by x, then o1, then o2
SELECT first_values(4, x % 3, -x) FROM generate_series(1, 10) AS x;
SELECT first_values(3, k, v, w) FROM (VALUES ('b', 1, 0.5), ('a', 2, NULL), ('a', 2, 1.5), ('a', NULL, 0.0), ('a', 1, 9.0)) AS t(k, v, w);
SELECT pg_typeof(first_values(1, x)) AS one, pg_typeof(first_values(1, x, x)) AS two FROM generate_series(1, 3) AS x;
-- WITHIN GROUP, with the ORDER BY directions
SELECT first_values(2) WITHIN GROUP (ORDER BY x DESC) FROM generate_series(1, 10) AS x;
SELECT first_values(3) WITHIN GROUP (ORDER BY x % 2, x DESC) FROM generate_series(1, 10) AS x;
SELECT first_values(2) WITHIN GROUP (ORDER BY x NULLS FIRST) FROM (VALUES (3), (NULL), (1)) AS t(x);
-- errors
SELECT first_values(0, x) FROM generate_series(1, 3) AS x;
SELECT first_values(-1, x) FROM generate_series(1, 3) AS x;
SELECT first_values(NULL, x) FROM generate_series(1, 3) AS x;
SELECT first_values(x, x) FROM generate_series(1, 3) AS x;
SELECT first_values(2, x::text::json) FROM generate_series(1, 3) AS x;
SELECT first_values(2, x, x, x, x) FROM generate_series(1, 3) AS x;
SELECT first_values(2, 1) WITHIN GROUP (ORDER BY x) FROM generate_series(1, 3) AS x;
SELECT first_values(2) FROM generate_series(1, 3) AS x;
-- 0.9 syntax: a stream and continuous views
CREATE STREAM fv_s (x int, y int, t text);
CREATE CONTINUOUS VIEW fv_v0 AS SELECT x::int % 10 AS g, first_values(2, x::int, y::int) FROM fv_s GROUP BY g;
CREATE CONTINUOUS VIEW fv_v1 AS SELECT x::int % 3 AS g, first_values(3, y::int), first_values(2, t::text) AS words FROM fv_s GROUP BY g;
INSERT INTO fv_s (x, y, t) SELECT x, 1000 - x, 'w' || x FROM generate_series(400, 700) AS x;
INSERT INTO fv_s (x, y, t) SELECT x, x % 7, 'w' || (x * 3) FROM generate_series(100, 130) AS x;
INSERT INTO fv_s (x, y, t) VALUES (3, NULL, NULL), (3, NULL, 'a'), (13, -5, 'zz'), (23, -5, 'b');
SELECT * FROM fv_v0 ORDER BY g;
SELECT * FROM fv_v1 ORDER BY g;
-- combine(first_values) merges the groups' states: the first rows over every group
SELECT combine(first_values) FROM fv_v0;
SELECT combine(first_values) AS ys, combine(words) AS words FROM fv_v1;
SELECT combine(first_values) FROM fv_v0 WHERE g IN (4, 5, 6);
SELECT g % 2 AS odd, combine(first_values) AS ys FROM fv_v1 GROUP BY g % 2 ORDER BY 1;
SELECT combine(first_values) FROM fv_v0 WHERE g > 100;
DROP CONTINUOUS VIEW fv_v0;
DROP CONTINUOUS VIEW fv_v1;
DROP STREAM fv_s;
-- 1.0 syntax: a foreign table stream and a materialized view
CREATE FOREIGN TABLE fv_f (k text, v int, w float8, ts timestamp) SERVER pipelinedb;
CREATE VIEW fv_m WITH (action=materialize) AS SELECT k, first_values(2, v, w) AS vw, first_values(2) WITHIN GROUP (ORDER BY v DESC) AS top, first_values(1, ts) AS earliest FROM fv_f GROUP BY k;
INSERT INTO fv_f (k, v, w, ts) VALUES ('a', 5, 0.25, '2022-05-01 10:00'), ('a', 5, -1, '2022-04-30 09:00'), ('b', 2, 8, '2022-06-01');
INSERT INTO fv_f (k, v, w, ts) VALUES ('a', 9, 0, '2022-07-01'), ('b', 1, NULL, NULL), ('b', 7, 3, '2021-01-01');
INSERT INTO fv_f (k, v, w, ts) VALUES ('a', 4, 100, '2023-01-01'), ('b', NULL, 1, '2022-01-01');
SELECT * FROM fv_m ORDER BY k;
SELECT combine(vw) AS vw, combine(top) AS top, combine(earliest) AS earliest FROM fv_m;
DROP VIEW fv_m;
DROP FOREIGN TABLE fv_f;
