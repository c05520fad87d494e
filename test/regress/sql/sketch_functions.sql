--
-- PipelineDB sketch types, aggregates and functions in ad-hoc queries
--
-- HyperLogLog: small sets are sparse and exact
SELECT hll_cardinality(hll_agg(x)) FROM generate_series(1, 100) AS x;
SELECT hll_cardinality(hll_agg(x % 10)) FROM generate_series(1, 100) AS x;
SELECT hll_cardinality(hll_agg(x::text, 10)) FROM generate_series(1, 50) AS x;
SELECT hll_cardinality(hll_union_agg(h)) FROM (SELECT hll_agg(x) AS h FROM generate_series(1, 60) AS x UNION ALL SELECT hll_agg(x) FROM generate_series(41, 100) AS x) s;
SELECT hll_cardinality(hll_union(hll_agg(x), NULL, hll_add(hll_empty(), 1000))) FROM generate_series(1, 10) AS x;
SELECT hll_cardinality(hll_add(hll_add(hll_empty(), 'a'), 'a')) AS one, hll_cardinality(NULL) AS null_is_zero;
SELECT hll_agg(x) IS NULL AS no_rows_null FROM generate_series(1, 0) AS x;
SELECT hll_cardinality(hll_agg(x)) FROM (VALUES (1.0), (1.00), (2), (NULL)) v(x);
SELECT hll_print(hll_agg(x)) FROM generate_series(1, 3) AS x;
SELECT hll_empty(15);
SELECT hll_agg(x, 0) FROM generate_series(1, 3) AS x;
SELECT hll_union(hll_empty(10), hll_empty(12));
SELECT hll_union(hll_empty(), 1);
SELECT hll_empty(4);
SELECT pg_typeof(hll_empty()), hll_cardinality('\x01010400'::hyperloglog);
SELECT 'junk'::hyperloglog;
SELECT pg_typeof(bloom_empty()) AS b, pg_typeof(cmsketch_empty()) AS c, pg_typeof(tdigest_empty()) AS t, pg_typeof(topk_agg(1, 1)) AS k;
-- Bloom filters
SELECT bloom_contains(bloom_agg(x), 7) AS has7, bloom_contains(bloom_agg(x), 77) AS has77, bloom_cardinality(bloom_agg(x)) FROM generate_series(1, 20) AS x;
SELECT bloom_contains(bloom_agg(s), 'b'::text) AS has_b, bloom_contains(bloom_agg(s), 'z'::text) AS has_z FROM (VALUES ('a'), ('b'), ('c')) v(s);
-- bloom_contains(bloom, anyelement) has no text overload: an untyped literal is ambiguous
SELECT bloom_contains(bloom_empty(), 'b');
SELECT bloom_print(bloom_agg(x, 0.01, 100)) FROM generate_series(1, 10) AS x;
SELECT bloom_contains(bloom_union(bloom_add(bloom_empty(), 1), bloom_add(bloom_empty(), 2)), 2) AS union_has2,
       bloom_contains(bloom_intersection(bloom_add(bloom_empty(), 1), bloom_add(bloom_empty(), 2)), 2) AS inter_has2;
SELECT bloom_contains(bloom_union_agg(b), 5), bloom_contains(bloom_intersection_agg(b), 5), bloom_contains(bloom_intersection_agg(b), 15)
  FROM (SELECT bloom_agg(x) AS b FROM generate_series(1, 10) AS x UNION ALL SELECT bloom_agg(x) FROM generate_series(5, 20) AS x) s;
SELECT bloom_cardinality(NULL), bloom_contains(NULL, 1);
SELECT bloom_empty(1.5, 10);
SELECT bloom_empty(0.5, 0);
SELECT bloom_union(bloom_empty(0.1, 10), bloom_empty());
-- Count-min sketches never underestimate
SELECT freq(c, 1) AS f1, freq(c, 2) AS f2, freq(c, 3) AS f3, freq(c, 99) AS f99, freq_total(c) AS total
  FROM (SELECT freq_agg(x) AS c FROM (VALUES (1), (1), (1), (2), (2), (3)) v(x)) s;
SELECT freq_norm(freq_agg(x), 1) FROM (VALUES (1), (1), (2), (3)) v(x);
SELECT freq(freq_add(freq_add(cmsketch_empty(), 'x'), 'x'), 'x') AS two, freq(freq_add(cmsketch_empty(), 7, 5), 7) AS five;
SELECT freq(freq_merge_agg(c), 'k') FROM (SELECT freq_agg(s) AS c FROM (VALUES ('k'), ('k')) v(s) UNION ALL SELECT freq_agg('k'::text)) s;
SELECT freq_total(NULL), freq(NULL, 1);
SELECT cmsketch_empty(0, 0.5);
-- Top-K
SELECT topk_values(topk_agg(x, 2)), topk_freqs(topk_agg(x, 2)) FROM (VALUES (1), (2), (2), (3), (3), (3)) v(x);
SELECT topk_values(topk_agg(x, 3), NULL::int[]) FROM (VALUES (5), (5), (6)) v(x);
SELECT topk_values(topk_agg(s, 2, w)), topk_freqs(topk_agg(s, 2, w)) FROM (VALUES ('a', 1::int8), ('b', 10), ('c', 5)) v(s, w);
SELECT topk_freqs(topk_increment(topk_increment(topk_agg(x, 2), 4), 4, 10::int8)) FROM (VALUES (4), (9)) v(x);
SELECT topk_values(topk_agg(x, 2), NULL::text[]) FROM (VALUES (1)) v(x);
SELECT topk_values(topk_agg(x, 0)) FROM (VALUES (1)) v(x);
-- t-digest: exact while small
SELECT dist_quantile(dist_agg(x), 0.5) AS median, dist_quantile(dist_agg(x), 0.9) AS p90, dist_quantile(dist_agg(x), 0) AS min, dist_quantile(dist_agg(x), 1) AS max FROM generate_series(1, 100) AS x;
SELECT dist_cdf(dist_agg(x), 0) AS below, dist_cdf(dist_agg(x), 50.5) AS mid, dist_cdf(dist_agg(x), 1000) AS above FROM generate_series(1, 100) AS x;
SELECT dist_quantile(dist_add(dist_add(tdigest_empty(), 10), 20, 3), 0.5);
SELECT dist_quantile(dist_agg(x, 100), 0.25) FROM generate_series(1, 9) AS x;
SELECT dist_agg(x) IS NULL AS no_rows_null FROM generate_series(1, 0) AS x;
SELECT dist_quantile(dist_agg(x), 1.5) FROM generate_series(1, 3) AS x;
SELECT dist_quantile(NULL, 0.5);
-- topk(): one (value, frequency) record per element, most frequent first
SELECT topk(topk_agg(x % 4, 3)) FROM generate_series(1, 10) AS x;
SELECT t FROM (SELECT topk(topk_agg(s, 2)) AS t FROM (VALUES ('a b'), ('a b'), (''), (NULL), ('x"y'), ('x"y'), ('x"y')) v(s)) q;
SELECT topk(topk_agg(x, 2, 10::int8)) FROM (VALUES (1.5::float8), (2.5), (1.5)) v(x);
SELECT topk(topk_empty('int4', 3));
-- topk_empty and the print functions
SELECT topk_values(topk_increment(topk_increment(topk_empty('text', 2), 'b'::text), 'a'::text)) AS v, topk_freqs(topk_increment(topk_empty('text'::regtype, 2, 4, 20), 'a'::text)) AS f;
SELECT topk_print(topk_agg(x % 7, 5)) FROM generate_series(1, 100) AS x;
SELECT topk_print(topk_empty('int8', 2, 3, 10));
SELECT topk_empty('int4', 0);
SELECT topk_empty('int4', 3, 2, 10);
SELECT cmsketch_print(freq_agg(x % 10)) FROM generate_series(1, 1000) AS x;
SELECT cmsketch_print(cmsketch_empty(0.01, 0.9));
