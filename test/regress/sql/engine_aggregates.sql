--
-- engine_aggregates: every aggregate and input type of the streaming engine
-- in continuous views fed by INSERT ... VALUES, read back right after the
-- inserts (sync_commit). Expected values are what PostgreSQL computes with
-- the same SELECT ... GROUP BY over the same rows: expected/engine_aggregates.out
-- comes from scripts/regress-oracle.ts (PostgreSQL 15, streams as tables,
-- continuous views as plain views, extra_float_digits = 0 so that floats print
-- as PostgreSQL 11 prints them by default), reviewed line by line.
--
SET pipelinedb.stream_insert_level = sync_commit;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, MDY';
SET IntervalStyle = 'postgres';
-- integers: int2 / int4 / int8, NULLs, values whose sums overflow the input type
CREATE STREAM eagg_ints (g text, a int2, b int4, c int8);
CREATE CONTINUOUS VIEW eagg_ints_v AS SELECT g, count(*) AS n, count(a) AS na, count(c) AS nc, sum(a) AS sum_a, sum(b) AS sum_b, sum(c) AS sum_c, avg(a) AS avg_a, avg(b) AS avg_b, avg(c) AS avg_c, min(a) AS min_a, max(a) AS max_a, min(b) AS min_b, max(b) AS max_b, min(c) AS min_c, max(c) AS max_c FROM eagg_ints GROUP BY g;
CREATE VIEW eagg_ints_all WITH (action=materialize) AS SELECT count(*), count(b) AS count_b, sum(b), avg(b), sum(c) AS sum_c, avg(c) AS avg_c, min(c), max(c) FROM eagg_ints;
INSERT INTO eagg_ints (g, a, b, c) VALUES ('x', 1, 10, 100), ('x', 2, 20, 200), ('y', 32767, 2147483647, 9223372036854775807);
INSERT INTO eagg_ints (g, a, b, c) VALUES ('y', 32767, 2147483647, 9223372036854775807), ('y', -32768, -2147483648, -9223372036854775808), ('x', 4, 7, -3);
INSERT INTO eagg_ints (g, a, b, c) VALUES ('x', NULL, 5, NULL), ('z', NULL, NULL, NULL), (NULL, 7, 7, 7);
INSERT INTO eagg_ints (g, a, b, c) VALUES ('y', 32767, 2147483647, 9223372036854775807);
SELECT * FROM eagg_ints_v ORDER BY g;
SELECT * FROM eagg_ints_all;
-- floating point: float4 / float8 (values whose sums are exact in any order)
CREATE FOREIGN TABLE eagg_floats (g text, r real, d double precision) SERVER pipelinedb;
CREATE VIEW eagg_floats_v AS SELECT g, count(r) AS nr, sum(r) AS sum_r, sum(d) AS sum_d, avg(r) AS avg_r, avg(d) AS avg_d, min(r) AS min_r, max(r) AS max_r, min(d) AS min_d, max(d) AS max_d FROM eagg_floats GROUP BY g;
INSERT INTO eagg_floats (g, r, d) VALUES ('a', 1, 1), ('a', 1, 1), ('b', 0.5, 10000000000.5), ('b', -3.75, -0.125);
INSERT INTO eagg_floats (g, r, d) VALUES ('a', 2, 2), ('b', 100.125, 1024.0625), ('c', 1e-3, 1e300), ('c', NULL, 'Infinity');
INSERT INTO eagg_floats (g, r, d) VALUES ('d', 'Infinity', 1), ('d', 2.5, 'NaN'), ('e', 123456.7, 0.1), ('e', 1, 2), ('e', 1, 2);
SELECT * FROM eagg_floats_v ORDER BY g;
-- numeric: scales, typmod rounding at the stream, avg's display scale
CREATE STREAM eagg_num (g text, n numeric, m numeric(10,2));
CREATE CONTINUOUS VIEW eagg_num_v AS SELECT g, count(n) AS cnt, sum(n) AS sum_n, avg(n) AS avg_n, min(n) AS min_n, max(n) AS max_n, sum(m) AS sum_m, avg(m) AS avg_m, min(m) AS min_m, max(m) AS max_m FROM eagg_num GROUP BY g;
INSERT INTO eagg_num (g, n, m) VALUES ('a', 1.5, 1.005), ('a', 2.25, 2.994), ('a', -0.125, 3), ('b', 100, 99999999.99);
INSERT INTO eagg_num (g, n, m) VALUES ('b', 1e20, 0.01), ('b', 0.000000001, -5.5), ('c', 1, 1), ('c', 2, 2), ('c', 2, 2), ('d', NULL, NULL);
INSERT INTO eagg_num (g, n, m) VALUES ('a', 3.14159265358979323846, 0), ('e', 10, 10), ('e', 20, 20), ('e', 30, 30);
SELECT * FROM eagg_num_v ORDER BY g;
-- text and varchar: min / max, count of non-NULL values
CREATE STREAM eagg_text (k integer, t text, v varchar(10));
CREATE CONTINUOUS VIEW eagg_text_v AS SELECT k, count(*) AS n, count(t) AS nt, min(t) AS min_t, max(t) AS max_t, min(v) AS min_v, max(v) AS max_v FROM eagg_text GROUP BY k;
INSERT INTO eagg_text (k, t, v) VALUES (1, 'pear', 'kiwi'), (1, 'apple', 'zucchini'), (1, 'banana', 'apricot'), (2, '', 'a');
INSERT INTO eagg_text (k, t, v) VALUES (2, 'zz', 'b'), (2, NULL, NULL), (3, NULL, NULL), (1, 'applesauce', 'abc'), (2, 'z', 'aa');
SELECT * FROM eagg_text_v ORDER BY k;
-- date, timestamp, timestamptz, interval
CREATE STREAM eagg_time (g text, d date, ts timestamp, tz timestamptz, iv interval);
CREATE CONTINUOUS VIEW eagg_time_v AS SELECT g, count(d) AS nd, min(d) AS min_d, max(d) AS max_d, min(ts) AS min_ts, max(ts) AS max_ts, min(tz) AS min_tz, max(tz) AS max_tz, min(iv) AS min_iv, max(iv) AS max_iv, sum(iv) AS sum_iv, avg(iv) AS avg_iv FROM eagg_time GROUP BY g;
INSERT INTO eagg_time (g, d, ts, tz, iv) VALUES ('a', '2018-01-01', '2018-01-01 10:00:00', '2018-01-01 10:00:00+02', '1 day'), ('a', '2017-12-31', '2018-01-01 10:00:00.5', '2018-01-01 07:59:59+00', '1 hour 30 minutes');
INSERT INTO eagg_time (g, d, ts, tz, iv) VALUES ('a', '2018-03-01', '2017-06-30 23:59:59.999999', '2018-01-02 00:00:00-05', '-2 days 3 hours'), ('b', '2000-02-29', '2000-02-29 12:00', '2000-02-29 12:00+05:30', '1 mon');
INSERT INTO eagg_time (g, d, ts, tz, iv) VALUES ('b', '1999-12-31', '1999-12-31 23:59:59', '1999-12-31 23:59:59+00', '1 year 2 mons 3 days 04:05:06.789'), ('b', NULL, NULL, NULL, NULL), ('c', '2018-05-05', '2018-05-05 05:05:05', '2018-05-05 05:05:05+00', '10 seconds');
INSERT INTO eagg_time (g, d, ts, tz, iv) VALUES ('c', '2018-05-06', '2018-05-06 06:06:06', '2018-05-06 06:06:06+00', '20 seconds'), ('c', '2018-05-07', '2018-05-07 07:07:07', '2018-05-07 07:07:07+00', '1 second');
SELECT * FROM eagg_time_v ORDER BY g;
-- expressions in SELECT, WHERE and GROUP BY: CASE, COALESCE, date_trunc,
-- casts, operators over aggregates (sum(x) / count(*))
CREATE STREAM eagg_orders (region text, qty integer, amount numeric, ts timestamp, note text);
CREATE CONTINUOUS VIEW eagg_orders_v AS SELECT date_trunc('day', ts) AS day, CASE WHEN qty >= 10 THEN 'bulk' ELSE 'single' END AS kind, count(*) AS n, sum(qty) / count(*) AS int_mean, sum(amount) / count(*) AS mean_amount, sum(COALESCE(amount, 0)) AS total, max(COALESCE(note, '-')) AS max_note, avg(qty::float8) AS avg_qty, min(amount::integer) AS min_int_amount, sum(qty) + count(*) AS qty_plus_n FROM eagg_orders WHERE region <> 'test' GROUP BY day, kind;
CREATE CONTINUOUS VIEW eagg_orders_r AS SELECT upper(region) AS r, ts::date AS d, count(*) AS n, sum(qty * 2) AS double_qty, max(length(note)) AS longest FROM eagg_orders WHERE qty IS NOT NULL AND ts >= '2018-01-02' GROUP BY upper(region), ts::date;
INSERT INTO eagg_orders (region, qty, amount, ts, note) VALUES ('east', 1, 10.50, '2018-01-01 08:00', 'first'), ('east', 12, 99.99, '2018-01-01 09:30', NULL), ('west', 3, NULL, '2018-01-01 23:59:59', 'late');
INSERT INTO eagg_orders (region, qty, amount, ts, note) VALUES ('west', 20, 1000, '2018-01-02 00:00', 'bulk order'), ('test', 5, 5, '2018-01-02 01:00', 'ignored'), ('east', 2, 2.49, '2018-01-02 12:00', 'x');
INSERT INTO eagg_orders (region, qty, amount, ts, note) VALUES ('east', NULL, 7.5, '2018-01-02 13:00', NULL), ('north', 11, 0.5, '2018-01-02 14:00', 'yy'), ('west', 2, 2.5, '2018-01-03 00:00:01', 'zzz');
SELECT * FROM eagg_orders_v ORDER BY day, kind;
SELECT * FROM eagg_orders_r ORDER BY r, d;
-- aggregates over the view's columns after more rows arrive
INSERT INTO eagg_orders (region, qty, amount, ts, note) VALUES ('east', 10, 1, '2018-01-01 10:00', 'again'), ('west', 1, 1, '2018-01-03 10:00', NULL);
SELECT kind, sum(n) AS rows, sum(total) AS total FROM eagg_orders_v GROUP BY kind ORDER BY kind;
SELECT * FROM eagg_orders_r ORDER BY r, d;
DROP CONTINUOUS VIEW eagg_ints_v;
DROP VIEW eagg_ints_all;
DROP VIEW eagg_floats_v;
DROP CONTINUOUS VIEW eagg_num_v;
DROP CONTINUOUS VIEW eagg_text_v;
DROP CONTINUOUS VIEW eagg_time_v;
DROP CONTINUOUS VIEW eagg_orders_v;
DROP CONTINUOUS VIEW eagg_orders_r;
DROP STREAM eagg_ints;
DROP FOREIGN TABLE eagg_floats;
DROP STREAM eagg_num;
DROP STREAM eagg_text;
DROP STREAM eagg_time;
DROP STREAM eagg_orders;
