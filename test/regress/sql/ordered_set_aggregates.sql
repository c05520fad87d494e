-- Ordered-set and hypothetical-set aggregates (WITHIN GROUP).
-- PG11: float8 results print with 15 significant digits (percent_rank) and the 22P02 text is "invalid input syntax for integer"; PostgreSQL 15 differs.
-- The data as a psql variable holding a VALUES list (no tables needed).
\set osa '(VALUES (1, 1::float8, interval ''1 day'', ''a''), (1, 2, ''2 days'', ''b''), (1, 2, ''3 hours'', ''b''), (1, 10, NULL, ''c''), (1, NULL, ''1 month'', NULL), (2, 5, ''5 minutes'', ''z''), (2, 7, ''1 year'', ''y''), (2, 7, ''2 years'', ''y''), (3, NULL, NULL, NULL)) osa(g, x, i, t)'
SELECT g, percentile_cont(0.5) WITHIN GROUP (ORDER BY x), percentile_cont(0.25) WITHIN GROUP (ORDER BY x DESC),
       percentile_disc(0.5) WITHIN GROUP (ORDER BY x), mode() WITHIN GROUP (ORDER BY t)
  FROM :osa GROUP BY g ORDER BY g;
SELECT g, percentile_cont(0.4) WITHIN GROUP (ORDER BY i), percentile_disc(0.9) WITHIN GROUP (ORDER BY i)
  FROM :osa GROUP BY g ORDER BY g;
SELECT percentile_cont(ARRAY[0, 0.1, NULL, 0.75, 1]) WITHIN GROUP (ORDER BY x) FROM :osa;
SELECT percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY i) FROM :osa;
SELECT percentile_disc(ARRAY[0, 0.5, 1]) WITHIN GROUP (ORDER BY t) FROM :osa;
SELECT percentile_disc(0) WITHIN GROUP (ORDER BY g), percentile_disc(1) WITHIN GROUP (ORDER BY g) FROM :osa;
SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY g) FILTER (WHERE g > 1) FROM :osa;
SELECT mode() WITHIN GROUP (ORDER BY x), mode() WITHIN GROUP (ORDER BY x DESC), mode() WITHIN GROUP (ORDER BY g) FROM :osa;
SELECT pg_typeof(percentile_cont(0.5) WITHIN GROUP (ORDER BY g)), pg_typeof(percentile_disc(0.5) WITHIN GROUP (ORDER BY g)),
       pg_typeof(percentile_disc(ARRAY[0.5]) WITHIN GROUP (ORDER BY t)), pg_typeof(mode() WITHIN GROUP (ORDER BY i)) FROM :osa;
-- empty input and NULL fractions give NULL
SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x), percentile_cont(1.5) WITHIN GROUP (ORDER BY x),
       percentile_disc(ARRAY[0.5]) WITHIN GROUP (ORDER BY x), mode() WITHIN GROUP (ORDER BY x) FROM :osa WHERE false;
SELECT percentile_cont(NULL) WITHIN GROUP (ORDER BY x) FROM :osa;
-- hypothetical-set aggregates
SELECT rank(2) WITHIN GROUP (ORDER BY x), dense_rank(2) WITHIN GROUP (ORDER BY x),
       percent_rank(2) WITHIN GROUP (ORDER BY x), cume_dist(2) WITHIN GROUP (ORDER BY x) FROM :osa;
SELECT rank(7) WITHIN GROUP (ORDER BY x DESC), dense_rank(7) WITHIN GROUP (ORDER BY x DESC NULLS LAST),
       percent_rank(NULL) WITHIN GROUP (ORDER BY x), cume_dist(NULL) WITHIN GROUP (ORDER BY x NULLS FIRST) FROM :osa;
SELECT g, rank(2, 'b') WITHIN GROUP (ORDER BY x, t), dense_rank(2, 'b') WITHIN GROUP (ORDER BY x, t DESC)
  FROM :osa GROUP BY g ORDER BY g;
SELECT rank(1) WITHIN GROUP (ORDER BY x), dense_rank(1) WITHIN GROUP (ORDER BY x),
       percent_rank(1) WITHIN GROUP (ORDER BY x), cume_dist(1) WITHIN GROUP (ORDER BY x) FROM :osa WHERE false;
SELECT rank(1.5) WITHIN GROUP (ORDER BY g), pg_typeof(rank(1) WITHIN GROUP (ORDER BY g)), pg_typeof(cume_dist(1) WITHIN GROUP (ORDER BY g)) FROM :osa;
-- errors
\set VERBOSITY verbose
SELECT percentile_cont(1.5) WITHIN GROUP (ORDER BY x) FROM :osa;
SELECT percentile_cont(-0.00001234567) WITHIN GROUP (ORDER BY x) FROM :osa;
SELECT percentile_disc(ARRAY[0.5, 2]) WITHIN GROUP (ORDER BY x) FROM :osa;
SELECT percentile_cont('NaN') WITHIN GROUP (ORDER BY x) FROM :osa;
SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY t) FROM :osa;
SELECT percentile_cont(0.5) FROM :osa;
SELECT mode(x) WITHIN GROUP (ORDER BY x) FROM :osa;
SELECT count(*) WITHIN GROUP (ORDER BY x) FROM :osa;
SELECT rank(1, 2) WITHIN GROUP (ORDER BY x) FROM :osa;
SELECT rank(1) FROM :osa;
SELECT rank('a') WITHIN GROUP (ORDER BY g) FROM :osa;
SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY j) FROM (VALUES ('{}'::json)) v(j);
\set VERBOSITY default
