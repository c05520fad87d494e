--
-- engine_expressions: continuous views with expressions everywhere: in the
-- SELECT list, WHERE, GROUP BY, aggregate arguments and over aggregates;
-- casts, CASE, COALESCE / NULLIF, IN, LIKE, IS NULL, json / jsonb operators,
-- array subscripts, date/time functions (PipelineDB's date_round and
-- year() .. second() too), string and math functions. Expected values are
-- what PostgreSQL computes with the same SELECT ... GROUP BY over the same
-- rows (scripts/regress-oracle.ts; date_round and year() .. second() as SQL
-- functions over date_trunc in the oracle), reviewed line by line.
--
SET pipelinedb.stream_insert_level = sync_commit;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, MDY';
SET IntervalStyle = 'postgres';
CREATE STREAM eexp_s (id integer, name text, price numeric(10,2), qty integer, f float8, ts timestamp, tz timestamptz, j json, jb jsonb, tags text[], nums integer[], flag boolean);
-- strings: lower / upper / length / substr / concat / ||, in GROUP BY and in aggregates
CREATE CONTINUOUS VIEW eexp_strings AS SELECT lower(name) AS lname, upper(substr(name, 1, 2)) AS prefix, length(name) AS len, count(*) AS n, max(concat(name, '/', id, '/', qty > 0)) AS key, min(upper(name) || '!') AS shout, sum(length(concat(name, tags[1]))) AS chars FROM eexp_s GROUP BY lname, prefix, len;
-- math: arithmetic inside aggregates and over them, abs / round / floor / ceil, greatest / least, casts
CREATE CONTINUOUS VIEW eexp_math AS SELECT id % 3 AS bucket, count(*) AS n, sum(price * qty) AS revenue, sum(price * qty) / sum(qty) AS unit_price, round(sum(price * qty) / count(*), 1) AS per_row, sum(abs(qty)) AS abs_qty, min(floor(f)) AS lo, max(ceil(f)) AS hi, sum(round(f)) AS rounded, sum(round(f::numeric, 1)) AS r1, max(greatest(qty, id, 0)) AS g, min(least(qty, id)) AS l, avg(qty)::numeric(10,3) AS avg_qty, sum(qty)::float8 / count(*) AS ratio, (max(qty) - min(qty)) * 2 AS spread, abs(min(price) - max(price)) AS price_range FROM eexp_s GROUP BY bucket;
-- filters: IN, NOT IN, LIKE, ILIKE, IS NULL, BETWEEN, COALESCE / NULLIF, CASE in GROUP BY and over aggregates
CREATE CONTINUOUS VIEW eexp_filter AS SELECT CASE WHEN qty IS NULL THEN 'none' WHEN qty < 0 THEN 'neg' WHEN qty BETWEEN 0 AND 9 THEN 'small' ELSE 'big' END AS size, count(*) AS n, count(NULLIF(name, 'skip')) AS named, sum(COALESCE(qty, -100)) AS q, max(COALESCE(name, '?')) AS max_name, sum(CASE WHEN flag THEN 1 WHEN NOT flag THEN 0 END) AS flagged, count(flag IS NULL OR NULL) AS unknown_flag, CASE WHEN count(*) > 1 THEN 'many' ELSE 'one' END AS how_many, COALESCE(max(tags[1]), 'no tags') AS tag FROM eexp_s WHERE (name LIKE '%a%' OR name ILIKE 'b%' OR name IS NULL OR id IN (1, 5, 9)) AND id NOT IN (7) AND COALESCE(price, 0) >= 0 GROUP BY size;
CREATE VIEW eexp_where AS SELECT count(*) AS n, sum(id) AS ids FROM eexp_s WHERE qty::text LIKE '1%' OR price::integer = 4 OR name IN ('Gamma', 'nosuch');
-- json and jsonb: -> and ->> in GROUP BY, WHERE and aggregate arguments
CREATE CONTINUOUS VIEW eexp_json AS SELECT j->>'kind' AS kind, jb->'meta'->>'src' AS src, count(*) AS n, sum((j->>'v')::integer) AS v, sum((jb->'meta'->>'w')::numeric) AS w, max(jb->>'label') AS label, count(j->'opt') AS has_opt, max(jb->'arr'->>1) AS arr1, sum((jb->'arr'->>0)::integer) AS arr0 FROM eexp_s WHERE j IS NOT NULL GROUP BY kind, src;
CREATE VIEW eexp_jsonb AS SELECT jb->'meta' AS meta, count(*) AS n FROM eexp_s WHERE jb ->> 'label' IS NOT NULL AND jb->'meta'->>'src' = 'web' GROUP BY meta;
-- arrays: subscripts (out of range is NULL) and array_length
CREATE CONTINUOUS VIEW eexp_arrays AS SELECT tags[1] AS first_tag, count(*) AS n, sum(nums[1]) AS n1, sum(nums[2]) AS n2, max(nums[3]) AS n3, sum(array_length(nums, 1)) AS total_len, max(tags[2]) AS second_tag, count(nums[4]) AS has_4th FROM eexp_s GROUP BY first_tag;
-- time: date_trunc, extract / date_part, to_char, casts, interval arithmetic
CREATE CONTINUOUS VIEW eexp_time AS SELECT date_trunc('hour', ts) AS hour, count(*) AS n, min(ts) AS first_ts, max(tz) AS last_tz, max(to_char(ts, 'YYYY-MM-DD HH24:MI:SS Dy')) AS label, sum(extract(minute FROM ts)) AS minutes, max(date_part('dow', ts)) AS dow, min(ts::date) AS d, max(tz - interval '1 day 2 hours') AS earlier, max(ts + interval '1 month') AS later, max(to_char(price, 'FM9990.00')) AS price_text FROM eexp_s GROUP BY hour;
CREATE CONTINUOUS VIEW eexp_days AS SELECT extract(year FROM ts) AS y, extract(month FROM ts) AS m, date_trunc('day', tz) AS day, count(*) AS n FROM eexp_s GROUP BY y, m, day;
-- PipelineDB's date_round and year() / month() / day() / hour() / minute() / second()
CREATE CONTINUOUS VIEW eexp_pdb AS SELECT date_round(tz, '15 minutes') AS quarter, count(*) AS n, min(year(tz)) AS y, min(month(tz)) AS m, min(day(tz)) AS d, min(hour(tz)) AS h, max(minute(tz)) AS mi, max(second(tz)) AS s FROM eexp_s GROUP BY quarter;
CREATE VIEW eexp_minutes WITH (action=materialize) AS SELECT minute(tz) AS minute, date_round(tz, '1 day') AS day, count(*) AS n FROM eexp_s WHERE tz IS NOT NULL GROUP BY minute, day;
INSERT INTO eexp_s (id, name, price, qty, f, ts, tz, j, jb, tags, nums, flag) VALUES
  (1, 'Alpha', 10.50, 3, 2.5, '2018-01-01 10:05:30', '2018-01-01 10:05:30+00', '{"kind": "a", "v": 1, "opt": true}', '{"label": "x", "meta": {"src": "web", "w": 1.5}, "arr": [1, "two"]}', '{red,green}', '{1,2,3}', true),
  (2, 'beta', 4.25, -2, -1.5, '2018-01-01 10:20:00', '2018-01-01 10:20:00+00', '{"kind": "b", "v": 2}', '{"label": "y", "meta": {"src": "app", "w": 2}}', '{blue}', '{4,5}', false),
  (3, 'Gamma', 0, 5, 0.49, '2018-01-01 10:59:59.5', '2018-01-01 10:44:59+00', '{"kind": "a", "v": 3}', '{"label": "z", "meta": {"src": "web", "w": 0.25}, "arr": [3]}', '{red,blue,green}', '{7}', NULL);
INSERT INTO eexp_s (id, name, price, qty, f, ts, tz, j, jb, tags, nums, flag) VALUES
  (4, NULL, 1.99, NULL, NULL, '2018-01-01 11:00:00', '2018-01-01 11:00:00+00', NULL, NULL, NULL, NULL, true),
  (5, 'skip', 2.00, 10, 3.5, '2018-01-02 00:00:00', '2018-01-02 00:00:00+00', '{"kind": "c", "v": -4, "opt": null}', '{"label": "w", "meta": {"src": "app"}}', '{}', '{}', false),
  (6, 'Banana', 3.33, 12, 10.01, '2018-01-02 00:14:59', '2018-01-02 00:14:59+00', '{"kind": "b", "v": 10}', '{"meta": {"src": "web", "w": 3}}', '{yellow,green}', '{10,20,30,40}', true);
INSERT INTO eexp_s (id, name, price, qty, f, ts, tz, j, jb, tags, nums, flag) VALUES
  (7, 'delta', 99.99, 1, -0.5, '2018-02-28 23:59:59', '2018-02-28 23:59:59+00', '{"kind": "a"}', '{"label": "q", "meta": {}}', '{red}', '{100,NULL,5}', true),
  (8, 'ALPHA', 10.50, 7, 1e-3, '2018-01-01 10:45:00', '2018-01-01 10:45:00+00', '{"kind": "a", "v": 5}', '{"label": "a", "meta": {"src": "web", "w": 1}}', '{red,green}', '{1}', false),
  (9, 'epsilon', 5.55, 0, 100.5, '2017-12-31 23:59:59', '2017-12-31 23:59:59+00', '{"v": 7}', '{"label": "e"}', '{green,red}', '{2,2}', NULL);
SELECT * FROM eexp_strings ORDER BY lname, prefix;
SELECT * FROM eexp_math ORDER BY bucket;
SELECT * FROM eexp_filter ORDER BY size;
SELECT * FROM eexp_where;
SELECT * FROM eexp_json ORDER BY kind, src;
SELECT * FROM eexp_jsonb ORDER BY n, meta::text;
SELECT * FROM eexp_arrays ORDER BY first_tag;
SELECT * FROM eexp_time ORDER BY hour;
SELECT * FROM eexp_days ORDER BY day;
SELECT * FROM eexp_pdb ORDER BY quarter;
SELECT * FROM eexp_minutes ORDER BY minute;
DROP STREAM eexp_s CASCADE;
