--
-- PipelineDB's set aggregates and the hypothetical-set aggregates in
-- continuous views. Each view is read next to the same aggregate computed
-- ad hoc over the same rows (a VALUES list), which gives PostgreSQL's answer
-- for the hypothetical-set aggregates (checked against PostgreSQL 15).
--
SET pipelinedb.stream_insert_level = sync_commit;
CREATE STREAM vsr_s (g text, x int, t text);
-- array_agg(DISTINCT x) is set_agg(x) in a continuous view, as in PipelineDB
CREATE CONTINUOUS VIEW vsr_sets AS SELECT g, array_agg(DISTINCT x), set_agg(x) AS s, exact_count_distinct(x) AS n, set_cardinality(set_agg(x)) AS card, keyed_max(x, t), keyed_min(x, t) FROM vsr_s GROUP BY g;
-- hypothetical-set aggregates (rank, dense_rank, percent_rank, cume_dist), 0.9 syntax
CREATE CONTINUOUS VIEW vsr_rank AS SELECT g, rank(5) WITHIN GROUP (ORDER BY x), dense_rank(5) WITHIN GROUP (ORDER BY x), percent_rank(5) WITHIN GROUP (ORDER BY x), cume_dist(5) WITHIN GROUP (ORDER BY x) FROM vsr_s GROUP BY g;
-- 1.0 syntax, descending order and NULLS FIRST, text ordering
CREATE VIEW vsr_rank_desc WITH (action=materialize) AS SELECT rank(5) WITHIN GROUP (ORDER BY x DESC) AS r_desc, rank(5) WITHIN GROUP (ORDER BY x NULLS FIRST) AS r_nulls_first, dense_rank('m') WITHIN GROUP (ORDER BY t) AS dr_text, cume_dist(5) WITHIN GROUP (ORDER BY x DESC) AS cd_desc FROM vsr_s;
INSERT INTO vsr_s (g, x, t) VALUES ('a', 1, 'z'), ('a', 5, 'e'), ('a', 5, 'f'), ('a', 9, 'n'), ('a', NULL, 'k');
INSERT INTO vsr_s (g, x, t) VALUES ('b', 3, 'a'), ('b', 3, 'b'), ('b', 7, 'm'), ('a', 2, 'p'), ('a', 1, 'q'), ('c', NULL, NULL);
INSERT INTO vsr_s (g, x, t) VALUES ('b', 4, 'c'), ('b', 10, 'd'), ('b', 3, 'x');
SELECT * FROM vsr_sets ORDER BY g;
SELECT * FROM vsr_rank ORDER BY g;
SELECT g, rank(5) WITHIN GROUP (ORDER BY x), dense_rank(5) WITHIN GROUP (ORDER BY x), percent_rank(5) WITHIN GROUP (ORDER BY x), cume_dist(5) WITHIN GROUP (ORDER BY x)
  FROM (VALUES ('a', 1, 'z'), ('a', 5, 'e'), ('a', 5, 'f'), ('a', 9, 'n'), ('a', NULL, 'k'), ('b', 3, 'a'), ('b', 3, 'b'), ('b', 7, 'm'), ('a', 2, 'p'), ('a', 1, 'q'), ('c', NULL, NULL), ('b', 4, 'c'), ('b', 10, 'd'), ('b', 3, 'x')) v(g, x, t)
  GROUP BY g ORDER BY g;
SELECT * FROM vsr_rank_desc;
SELECT rank(5) WITHIN GROUP (ORDER BY x DESC) AS r_desc, rank(5) WITHIN GROUP (ORDER BY x NULLS FIRST) AS r_nulls_first, dense_rank('m') WITHIN GROUP (ORDER BY t) AS dr_text, cume_dist(5) WITHIN GROUP (ORDER BY x DESC) AS cd_desc
  FROM (VALUES ('a', 1, 'z'), ('a', 5, 'e'), ('a', 5, 'f'), ('a', 9, 'n'), ('a', NULL, 'k'), ('b', 3, 'a'), ('b', 3, 'b'), ('b', 7, 'm'), ('a', 2, 'p'), ('a', 1, 'q'), ('c', NULL, NULL), ('b', 4, 'c'), ('b', 10, 'd'), ('b', 3, 'x')) v(g, x, t);
-- combine() merges the counters: the rank over every group's rows
SELECT combine(rank) AS rank, combine(dense_rank) AS dense_rank, combine(percent_rank) AS percent_rank, combine(cume_dist) AS cume_dist FROM vsr_rank;
SELECT rank(5) WITHIN GROUP (ORDER BY x), dense_rank(5) WITHIN GROUP (ORDER BY x), percent_rank(5) WITHIN GROUP (ORDER BY x), cume_dist(5) WITHIN GROUP (ORDER BY x)
  FROM (VALUES (1), (5), (5), (9), (NULL), (3), (3), (7), (2), (1), (NULL), (4), (10), (3)) v(x);
SELECT exact_count_distinct(n) AS groups_n, combine(n) AS n, array_length(combine(s), 1) AS s_len FROM vsr_sets;
-- aggregates that continuous views cannot keep: PipelineDB's errors
CREATE CONTINUOUS VIEW vsr_bad AS SELECT mode() WITHIN GROUP (ORDER BY x) FROM vsr_s;
CREATE CONTINUOUS VIEW vsr_bad AS SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY x) FROM vsr_s;
CREATE CONTINUOUS VIEW vsr_bad AS SELECT percentile_disc(ARRAY[0.5]) WITHIN GROUP (ORDER BY x) FROM vsr_s;
CREATE CONTINUOUS VIEW vsr_bad AS SELECT sum(DISTINCT x) FROM vsr_s;
CREATE CONTINUOUS VIEW vsr_bad AS SELECT string_agg(DISTINCT t, ',') FROM vsr_s;
DROP CONTINUOUS VIEW vsr_sets;
DROP CONTINUOUS VIEW vsr_rank;
DROP VIEW vsr_rank_desc;
DROP STREAM vsr_s;
