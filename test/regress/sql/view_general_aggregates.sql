--
-- General and statistical aggregates in continuous views (0.9 and 1.0
-- spellings), each view read next to the same aggregates over the same rows
-- in the same order as VALUES. PostgreSQL 15 answers those VALUES queries
-- identically when it aggregates in input order (SET enable_sort = off; with
-- a sort first, row order within a group, and so collected lists and the last
-- digit of some floats, differ).
-- Rows arrive in one INSERT per statement under sync_commit, so collecting
-- aggregates (array_agg, string_agg, json*_agg) see them in insertion order.
--
SET pipelinedb.stream_insert_level = sync_commit;
SET extra_float_digits = 0;
CREATE STREAM vga_s (g text, x int, y float8, n numeric, t text, b bool);
CREATE CONTINUOUS VIEW vga_collect AS SELECT g, array_agg(x) AS xs, string_agg(t, '|') AS ts, json_agg(t) AS j, jsonb_agg(x) AS jb, json_object_agg(coalesce(t, '?'), x) AS jo, jsonb_object_agg(coalesce(t, '?'), n) AS jbo,
    bit_and(x) AS band, bit_or(x) AS bor, bool_and(b) AS ball, bool_or(b) AS bany, every(b) AS bevery FROM vga_s GROUP BY g;
CREATE VIEW vga_stats WITH (action=materialize) AS SELECT g, stddev(x) AS sd, stddev_pop(y) AS sdp, stddev_samp(n) AS sds, variance(x) AS var, var_pop(n) AS vp, var_samp(y) AS vs,
    corr(y, x) AS corr, covar_pop(y, x) AS cp, covar_samp(y, x) AS cs, regr_avgx(y, x) AS ax, regr_avgy(y, x) AS ay, regr_count(y, x) AS rc, regr_intercept(y, x) AS ri,
    regr_r2(y, x) AS r2, regr_slope(y, x) AS rs, regr_sxx(y, x) AS sxx, regr_sxy(y, x) AS sxy, regr_syy(y, x) AS syy FROM vga_s GROUP BY g;
INSERT INTO vga_s (g, x, y, n, t, b) VALUES ('a', 12, 1.5, 10.25, 'p', true), ('a', 10, 2.25, 3.5, 'q', true), ('b', 7, -4, 0.01, 'r', false);
INSERT INTO vga_s (g, x, y, n, t, b) VALUES ('a', 14, 8.125, 2, 's', NULL), ('b', 3, 100, 99.99, NULL, true), ('b', NULL, 3, NULL, 'u', false);
INSERT INTO vga_s (g, x, y, n, t, b) VALUES ('a', 3, 0.5, -1.75, 'v', true), ('c', 5, NULL, 1, 'w', NULL);
SELECT * FROM vga_collect ORDER BY g;
SELECT g, array_agg(x) AS xs, string_agg(t, '|') AS ts, json_agg(t) AS j, jsonb_agg(x) AS jb, json_object_agg(coalesce(t, '?'), x) AS jo, jsonb_object_agg(coalesce(t, '?'), n) AS jbo,
    bit_and(x) AS band, bit_or(x) AS bor, bool_and(b) AS ball, bool_or(b) AS bany, every(b) AS bevery
  FROM (VALUES ('a', 12, 1.5::float8, 10.25, 'p', true), ('a', 10, 2.25, 3.5, 'q', true), ('b', 7, -4, 0.01, 'r', false), ('a', 14, 8.125, 2, 's', NULL), ('b', 3, 100, 99.99, NULL, true), ('b', NULL, 3, NULL, 'u', false),
               ('a', 3, 0.5, -1.75, 'v', true), ('c', 5, NULL, 1, 'w', NULL)) v(g, x, y, n, t, b)
  GROUP BY g ORDER BY g;
SELECT * FROM vga_stats ORDER BY g;
SELECT g, stddev(x) AS sd, stddev_pop(y) AS sdp, stddev_samp(n) AS sds, variance(x) AS var, var_pop(n) AS vp, var_samp(y) AS vs,
    corr(y, x) AS corr, covar_pop(y, x) AS cp, covar_samp(y, x) AS cs, regr_avgx(y, x) AS ax, regr_avgy(y, x) AS ay, regr_count(y, x) AS rc, regr_intercept(y, x) AS ri,
    regr_r2(y, x) AS r2, regr_slope(y, x) AS rs, regr_sxx(y, x) AS sxx, regr_sxy(y, x) AS sxy, regr_syy(y, x) AS syy
  FROM (VALUES ('a', 12, 1.5::float8, 10.25, 'p', true), ('a', 10, 2.25, 3.5, 'q', true), ('b', 7, -4, 0.01, 'r', false), ('a', 14, 8.125, 2, 's', NULL), ('b', 3, 100, 99.99, NULL, true), ('b', NULL, 3, NULL, 'u', false),
               ('a', 3, 0.5, -1.75, 'v', true), ('c', 5, NULL, 1, 'w', NULL)) v(g, x, y, n, t, b)
  GROUP BY g ORDER BY g;
DROP CONTINUOUS VIEW vga_collect;
DROP VIEW vga_stats;
DROP STREAM vga_s;
