--
-- numeric: integer, numeric arithmetic, casts, overflow, aggregates
--
SELECT 1 + 2 AS sum, 7 - 10 AS diff, 6 * 7 AS prod, 7 / 2 AS int_div, -7 / 2 AS neg_div, 7 % 3 AS modulo, -7 % 3 AS neg_mod;
SELECT 2 ^ 10 AS pow, |/ 16 AS sqrt, @ -5 AS abs, factorial(5) AS fact;
SELECT 7.0 / 2 AS numeric_div, 1 / 3.0 AS third, 10::numeric / 4 AS n_div;
SELECT 1.5 + 2.25 AS n_add, 1.10 * 3 AS n_mul, 0.1 + 0.2 AS exact;
SELECT 123456789012345678901234567890 + 1 AS big;
SELECT 1e3 AS e3, 1.5e-3 AS small, -0.0 AS negzero, 100.000 AS scale_kept;
SELECT round(2.5) AS r1, round(-2.5) AS r2, round(1.2345, 2) AS r3, trunc(1.999, 1) AS t1, ceil(1.1) AS c, floor(-1.1) AS f;
SELECT abs(-3) AS a, mod(17, 5) AS m, div(17, 5) AS d, sign(-4.2) AS s, power(2, 8) AS p;
-- integer types
SELECT 32767::int2 AS i2, 2147483647::int4 AS i4, 9223372036854775807::int8 AS i8;
SELECT (-32768)::int2 AS min2, (-2147483648)::int4 AS min4, (-9223372036854775808)::int8 AS min8;
SELECT pg_typeof(1) AS t1, pg_typeof(2147483648) AS t2, pg_typeof(1.5) AS t3, pg_typeof(1::int2 + 1::int2) AS t4, pg_typeof(1 + 1::int8) AS t5;
-- casts
SELECT '42'::int AS from_text, 42::text AS to_text, '  17  '::int AS spaced, 3.7::int AS round_up, 3.2::int AS round_down, (-3.5)::int AS half_away;
SELECT 1.5::numeric(5,2) AS n52, 123.456::numeric(5,1) AS n51, 7::numeric(10,3) AS n103;
SELECT 10::bigint * 3 AS bigmul, 255::int::text || '!' AS concat, '1.50'::numeric::text AS ntext;
SELECT CAST(12.75 AS integer) AS cast_syntax, CAST('7' AS bigint) AS cast_bigint;
SELECT 2.5::float8::int AS even_down, 3.5::float8::int AS even_up, 1.5::float8::numeric AS f_to_n;
-- overflow and division by zero
SELECT -32768::int2;
SELECT 2147483647 + 1;
SELECT (-2147483648)::int4 - 1;
SELECT 2147483647 * 2;
SELECT 9223372036854775807 + 1;
SELECT 32767::int2 + 1::int2;
SELECT 40000::int2;
SELECT 2147483648::int4;
SELECT 1e20::int8;
SELECT 12345.6::numeric(5,1);
SELECT 1 / 0;
SELECT 1.0 / 0;
SELECT 5 % 0;
SELECT 1::bigint / 0;
-- aggregates over generate_series
SELECT count(*) AS n, sum(g) AS total, avg(g) AS mean, min(g) AS lo, max(g) AS hi FROM generate_series(1, 10) AS g;
SELECT avg(g) AS avg_int, avg(g::numeric) AS avg_numeric, sum(g::int8) AS sum_int8 FROM generate_series(1, 3) AS g;
SELECT pg_typeof(sum(1::int4)) AS sum4, pg_typeof(sum(1::int8)) AS sum8, pg_typeof(avg(1::int4)) AS avg4, pg_typeof(count(*)) AS cnt;
SELECT count(g) AS non_null, count(*) AS all_rows, sum(g) AS total FROM (VALUES (1), (NULL), (3)) AS t(g);
SELECT sum(g) AS empty_sum, count(g) AS empty_count, max(g) AS empty_max FROM generate_series(1, 0) AS g;
SELECT bool_and(g > 0) AS all_pos, bool_or(g > 9) AS any_big, string_agg(g::text, ',') AS list FROM generate_series(1, 5) AS g;
SELECT avg(x) AS avg_dec FROM (VALUES (1.5), (2.25), (3.0)) AS t(x);
