--
-- combine(col): merges a continuous view's stored aggregate states across
-- the rows a query reads, so the result is the aggregate over all of their
-- input rows (not an aggregate of per-group results). Expected values are
-- those of the same aggregate computed over the raw rows (checked in the
-- comments against PostgreSQL 15 on a table holding the same rows).
--
SET pipelinedb.stream_insert_level = sync_commit;
CREATE STREAM comb_s (k text, x int, y int, s text);
-- validation (PipelineDB's errors, SQLSTATE 42P10)
CREATE CONTINUOUS VIEW comb_valid AS SELECT k::text, avg(x::integer), count(*) + 1 AS c1 FROM comb_s GROUP BY k;
\set VERBOSITY verbose
SELECT combine(avg + 1) FROM comb_valid;
SELECT combine(avg, avg) FROM comb_valid;
SELECT combine(k) FROM comb_valid;
SELECT combine(c1) FROM comb_valid;
SELECT combine(nothere) FROM comb_valid;
SELECT combine(n) FROM (SELECT 1 AS n) AS sub;
SELECT combine(active) FROM pipelinedb.views;
SELECT 1 FROM comb_valid WHERE combine(avg) > 0;
SELECT combine(combine(avg)) FROM comb_valid;
\set VERBOSITY default
DROP CONTINUOUS VIEW comb_valid;
-- one view with exact aggregates of several kinds
CREATE CONTINUOUS VIEW comb0 AS SELECT s, avg(x::numeric), sum(y), max(x), min(y), count(*), array_agg(x), string_agg(s, ','), json_object_agg(x, y), bool_and(x > 3) AS all_big, stddev_samp(y::float8) AS sd, var_pop(x::int8) AS vp FROM comb_s GROUP BY s;
CREATE VIEW comb1 WITH (action=materialize) AS SELECT s, regr_slope(y, x) AS slope, count(DISTINCT y) AS uniq, percentile_cont(0.5) WITHIN GROUP (ORDER BY y) AS median, hll_agg(x) AS h, count(*) FROM comb_s GROUP BY s;
INSERT INTO comb_s (x, y, s) VALUES (0, 0, 'a'), (1, 100, 'b'), (2, 200, 'c'), (3, 300, 'a'), (4, 400, 'b');
INSERT INTO comb_s (x, y, s) VALUES (5, 500, 'c'), (6, 600, 'a'), (7, 700, 'b'), (8, 800, 'c'), (9, 900, 'a');
INSERT INTO comb_s (x, y, s) VALUES (10, 10, 'a'), (11, 11, 'b'), (12, 12, 'd'), (13, 13, NULL), (14, NULL, 'd');
-- y = 100 again, in another group: distinct counts per group overlap
INSERT INTO comb_s (x, y, s) VALUES (15, 100, 'c');
SELECT s, avg, sum, count FROM comb0 ORDER BY s;
-- over all rows: avg(x) of 0..15 is 7.5, not the average of the group averages
SELECT combine(avg) AS avg, avg(avg) AS avg_of_avgs, combine(sum) AS sum, combine(max) AS max, combine(min) AS min, combine(count) AS count FROM comb0;
SELECT array_length(combine(array_agg), 1) AS n, length(combine(string_agg)) AS len, combine(all_big) AS all_big, combine(sd) AS sd, combine(vp) AS vp FROM comb0;
SELECT k FROM json_object_keys((SELECT combine(json_object_agg) FROM comb0)) AS k ORDER BY k::int;
SELECT x FROM unnest((SELECT combine(array_agg) FROM comb0)) AS x ORDER BY x;
-- subsets and groups of rows
SELECT combine(avg) AS avg, combine(count) AS count FROM comb0 WHERE s IN ('a', 'b');
SELECT s IS NULL AS no_s, combine(avg) AS avg, combine(sum) AS sum, combine(count) AS count FROM comb0 GROUP BY s IS NULL ORDER BY 1;
SELECT combine(sum) FILTER (WHERE s <> 'a') AS sum_not_a, combine(count) AS count FROM comb0;
-- no rows
SELECT combine(count) AS count, combine(sum) AS sum, combine(avg) AS avg FROM comb0 WHERE s = 'zzz';
-- sketch-backed and statistical columns
SELECT combine(slope) AS slope, combine(uniq) AS uniq, combine(median) AS median, hll_cardinality(combine(h)) AS h, combine(count) AS count FROM comb1;
SELECT combine(uniq) AS uniq, sum(uniq) AS sum_uniq FROM comb1 WHERE s IN ('a', 'b', 'c');
-- joins of views, aliases, qualified names
SELECT combine(v0.count) AS c0, combine(v1.count) AS c1, combine(v0.avg) AS avg, combine(slope) AS slope FROM comb0 v0 JOIN comb1 v1 ON v0.s = v1.s;
SELECT v0.s, combine(v0.sum) AS sum, combine(v1.uniq) AS uniq FROM comb0 v0 JOIN comb1 v1 ON v0.s = v1.s WHERE v0.s < 'c' GROUP BY v0.s ORDER BY v0.s;
SELECT combine(a) AS sum FROM comb0 AS t(s, avg, a);
SELECT pipelinedb.combine(sum) FROM comb0;
-- the hidden states column is not part of the view
SELECT * FROM comb0 WHERE s = 'd';
SELECT count(*) FROM comb0 AS t(a, b, c, d, e, f, g, h, i, j, k, l, m);
-- prepared, with a parameter
PREPARE comb_p(text) AS SELECT combine(avg), combine(count) FROM comb0 WHERE s >= $1;
EXECUTE comb_p('b');
DEALLOCATE comb_p;
-- topk() over top-K summaries, per group and combined
CREATE VIEW comb_topk WITH (action=materialize) AS SELECT s, topk_agg(y % 3, 2) AS t FROM comb_s GROUP BY s;
INSERT INTO comb_s (y, s) VALUES (1, 'a'), (1, 'a'), (2, 'a'), (2, 'b'), (5, 'b'), (8, 'b'), (0, 'b');
SELECT s, topk(t) FROM comb_topk ORDER BY s;
SELECT topk(combine(t)) FROM comb_topk;
DROP VIEW comb_topk;
DROP VIEW comb1;
DROP CONTINUOUS VIEW comb0;
DROP STREAM comb_s;
