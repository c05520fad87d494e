--
-- PipelineDB's sketch aggregates in continuous views, in the 0.9 spelling
-- (CREATE STREAM / CREATE CONTINUOUS VIEW, cmsketch_agg, fss_agg,
-- tdigest_agg and their functions) and the 1.0 one (CREATE FOREIGN TABLE
-- ... SERVER pipelinedb, CREATE VIEW, freq_agg, topk_agg, dist_agg), read
-- through the sketch functions per group, after combine() over groups, and
-- through the union aggregates. Inputs are small, so every sketch is exact
-- here (HLL in sparse form, Count-Min without collisions among 8 values,
-- top-K monitoring every value, t-digest keeping every point).
--
SET pipelinedb.stream_insert_level = sync_commit;
-- 0.9
CREATE STREAM vsk_s09 (g text, x int, t text);
CREATE CONTINUOUS VIEW vsk_v09 AS SELECT g, cmsketch_agg(x) AS c, fss_agg(t, 3) AS f, tdigest_agg(x) AS d, hll_agg(t) AS h, bloom_agg(x) AS b, count(DISTINCT t) AS uniq, percentile_cont(0.5) WITHIN GROUP (ORDER BY x) AS median FROM vsk_s09 GROUP BY g;
INSERT INTO vsk_s09 (g, x, t) VALUES ('a', 1, 'red'), ('a', 2, 'red'), ('a', 2, 'blue'), ('b', 3, 'green'), ('b', 3, 'red'), ('b', 4, 'green');
INSERT INTO vsk_s09 (g, x, t) VALUES ('a', 2, 'red'), ('b', 5, 'green'), ('a', 7, 'white'), ('c', NULL, NULL);
SELECT g, cmsketch_frequency(c, 2) AS f2, cmsketch_frequency(c, 3) AS f3, cmsketch_total(c) AS total, fss_topk_values(f) AS top, fss_topk_freqs(f) AS freqs,
       tdigest_quantile(d, 0.5) AS q50, tdigest_cdf(d, 2) AS cdf2, hll_cardinality(h) AS card, bloom_contains(b, 3) AS has3, uniq, median
  FROM vsk_v09 ORDER BY g;
SELECT cmsketch_frequency(combine(c), 2) AS f2, cmsketch_total(combine(c)) AS total, fss_topk_values(combine(f)) AS top, fss_topk_freqs(combine(f)) AS freqs,
       tdigest_quantile(combine(d), 0.5) AS q50, hll_cardinality(combine(h)) AS card, bloom_contains(combine(b), 7) AS has7, combine(uniq) AS uniq, combine(median) AS median
  FROM vsk_v09;
SELECT cmsketch_total(cmsketch_merge_agg(c)) AS total, tdigest_quantile(tdigest_merge_agg(d), 0.9) AS q90, hll_cardinality(hll_union_agg(h)) AS card, bloom_cardinality(bloom_union_agg(b)) AS bcard, bloom_contains(bloom_intersection_agg(b), 2) AS all_have_2
  FROM vsk_v09 WHERE g IN ('a', 'b');
-- 1.0
CREATE FOREIGN TABLE vsk_s10 (g text, x int, t text) SERVER pipelinedb;
CREATE VIEW vsk_v10 WITH (action=materialize) AS SELECT g, freq_agg(x) AS c, topk_agg(t, 3) AS f, dist_agg(x) AS d, hll_agg(t, 12) AS h, bloom_agg(x, 0.01, 1000) AS b FROM vsk_s10 GROUP BY g;
INSERT INTO vsk_s10 (g, x, t) VALUES ('a', 1, 'red'), ('a', 2, 'red'), ('a', 2, 'blue'), ('b', 3, 'green'), ('b', 3, 'red'), ('b', 4, 'green');
INSERT INTO vsk_s10 (g, x, t) VALUES ('a', 2, 'red'), ('b', 5, 'green'), ('a', 7, 'white'), ('c', NULL, NULL);
SELECT g, freq(c, 2) AS f2, freq_norm(c, 2) AS n2, freq_total(c) AS total, topk_values(f) AS top, topk_freqs(f) AS freqs,
       dist_quantile(d, 0.5) AS q50, dist_cdf(d, 2) AS cdf2, hll_cardinality(h) AS card, bloom_contains(b, 3) AS has3
  FROM vsk_v10 ORDER BY g;
SELECT g, topk(f) FROM vsk_v10 WHERE g = 'a';
SELECT freq(combine(c), 2) AS f2, topk_values(combine(f)) AS top, topk_freqs(combine(f)) AS freqs, dist_quantile(combine(d), 0.5) AS q50,
       hll_cardinality(combine(h)) AS card, bloom_contains(combine(b), 5) AS has5, bloom_contains(combine(b), 6) AS has6
  FROM vsk_v10;
SELECT freq_total(freq_merge_agg(c)) AS total, hll_cardinality(hll_union_agg(h)) AS card FROM vsk_v10;
-- the sketch functions that add to a stored sketch
SELECT g, freq(freq_add(c, 2), 2) AS f2_plus_one, hll_cardinality(hll_add(h, 'black'::text)) AS card_plus_one, dist_quantile(dist_add(d, 100), 1) AS max_after_add,
       topk_freqs(topk_increment(f, 'red'::text)) AS freqs_after FROM vsk_v10 WHERE g = 'a';
DROP CONTINUOUS VIEW vsk_v09;
DROP STREAM vsk_s09;
DROP VIEW vsk_v10;
DROP FOREIGN TABLE vsk_s10;
