--
-- PipelineDB's exact aggregates and the 0.9 names of the sketch functions
--
-- set_agg / exact_count_distinct: first-seen order, NULL kept once
SELECT set_agg(x) FROM (VALUES (3), (1), (3), (NULL), (2), (1)) v(x);
SELECT exact_count_distinct(x), pg_typeof(exact_count_distinct(x)) FROM (VALUES (3), (1), (3), (NULL), (2), (1)) v(x);
SELECT exact_count_distinct(x % 7) FROM generate_series(1, 100) AS x;
SELECT set_agg(x) IS NULL AS no_rows_null, exact_count_distinct(x) AS no_rows_zero FROM generate_series(1, 0) AS x;
SELECT g, set_agg(s) FROM (VALUES (1, 'a'), (2, 'b'), (1, 'a'), (1, 'c')) v(g, s) GROUP BY g ORDER BY g;
SELECT set_cardinality(set_agg(x % 5)) FROM generate_series(1, 20) AS x;
-- keyed_max / keyed_min: the value at the greatest / least key; later rows win ties
SELECT keyed_max(k, v), keyed_min(k, v) FROM (VALUES (5, 'a'), (9, 'b'), (NULL, 'n'), (9, 'c'), (1, 'd'), (1, 'e')) t(k, v);
SELECT keyed_max(k, v) IS NULL AS null_value FROM (VALUES (3, NULL::int), (2, 7)) t(k, v);
SELECT keyed_max(t, x), keyed_min(t, x) FROM (VALUES ('2018-01-02'::date, 2.5), ('2018-01-01', 1.5), ('2018-01-03', 3.5)) t(t, x);
-- 0.9 names
SELECT cmsketch_frequency(cmsketch_agg(x % 10), 3) AS freq3, cmsketch_total(cmsketch_agg(x)) AS total FROM generate_series(1, 100) AS x;
SELECT cmsketch_frequency(cmsketch_agg(x, 0.01, 0.99), 5) FROM generate_series(1, 10) AS x;
SELECT cmsketch_norm_frequency(cmsketch_merge_agg(c), 1) FROM (SELECT cmsketch_agg(1) AS c UNION ALL SELECT cmsketch_agg(x) FROM generate_series(1, 3) AS x) s;
SELECT fss_topk_values(fss_agg(s, 2)), fss_topk_freqs(fss_agg(s, 2)) FROM (VALUES ('a'), ('b'), ('a'), ('c'), ('b'), ('a')) v(s);
SELECT fss_topk_freqs(fss_agg_weighted(x, 2, 10)) FROM generate_series(1, 3) AS x;
SELECT tdigest_quantile(tdigest_agg(x), 0.5) AS median, tdigest_cdf(tdigest_agg(x), 50) AS cdf FROM generate_series(1, 99) AS x;
SELECT tdigest_quantile(tdigest_merge_agg(t), 1) FROM (SELECT tdigest_agg(x) AS t FROM generate_series(1, 10) AS x UNION ALL SELECT tdigest_agg(20)) s;
SELECT g, unnest(array_agg(x ORDER BY x)) AS x, count(*) FROM (VALUES (1, 10), (1, 11), (2, 20)) v(g, x) GROUP BY g ORDER BY g, x;
SELECT generate_series(1, max(x)) AS n, sum(x) FROM (VALUES (2), (1)) v(x);
SELECT unnest(ARRAY[count(*), sum(x)]) FROM (VALUES (2), (1)) v(x) HAVING count(*) > 5;
SELECT g, generate_series(1, count(*)::int) FROM (VALUES ('a'), ('a'), ('b')) v(g) GROUP BY g ORDER BY 1, 2 DESC;
