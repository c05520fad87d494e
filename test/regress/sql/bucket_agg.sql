--
-- bucket_agg(x, bucket int2 [, ts timestamptz]): the bucket each distinct x
-- was last seen in (a later row moves x out of its old bucket), read with
-- bucket_ids / bucket_cardinalities (ascending bucket id) and
-- bucket_cardinality. Expected counts are worked out in the comments.
--
SET pipelinedb.stream_insert_level = sync_commit;
-- ad hoc: x % 3 over 1..10 puts {3,6,9} in 0, {1,4,7,10} in 1, {2,5,8} in 2
SELECT bucket_ids(b), bucket_cardinalities(b), pg_typeof(b) FROM (SELECT bucket_agg(x, (x % 3)::int2) AS b FROM generate_series(1, 10) AS x) s;
SELECT pg_typeof(bucket_ids(b)) AS ids, pg_typeof(bucket_cardinalities(b)) AS cards, pg_typeof(bucket_cardinality(b, 0::int2)) AS card FROM (SELECT bucket_agg(1, 0::int2) AS b) s;
-- a moves 1 -> 2 -> 1, b moves 1 -> 2, c stays: bucket 1 holds a and c, bucket 2 holds b
SELECT bucket_ids(b), bucket_cardinalities(b), bucket_cardinality(b, 1::int2) AS one, bucket_cardinality(b, 2::int2) AS two, bucket_cardinality(b, 5::int2) AS missing
FROM (SELECT bucket_agg(s, n::int2) AS b FROM (VALUES ('a', 1), ('b', 1), ('c', 1), ('a', 2), ('b', 2), ('a', 1)) v(s, n)) s;
-- per group: even x are 2,4,6,8,10 (x % 3: 2,1,0,2,1), odd x are 1,3,5,7,9 (1,0,2,1,0)
SELECT x % 2 AS p, bucket_ids(bucket_agg(x, (x % 3)::int2)), bucket_cardinalities(bucket_agg(x, (x % 3)::int2)) FROM generate_series(1, 10) AS x GROUP BY p ORDER BY p;
-- unnest pairs ids and cardinalities; negative ids sort first: x % 4 - 2 over 1..9
-- puts {4,8} in -2, {1,5,9} in -1, {2,6} in 0, {3,7} in 1
SELECT unnest(bucket_ids(b)) AS bucket_id, unnest(bucket_cardinalities(b)) AS card FROM (SELECT bucket_agg(x, (x % 4 - 2)::int2) AS b FROM generate_series(1, 9) AS x) s;
-- equal values of one type are one value: 1.0 and 1.00
SELECT bucket_cardinalities(bucket_agg(x, 1::int2)) FROM (VALUES (1.0), (1.00), (2.5)) v(x);
-- NULL is one value of its own (as in PipelineDB); it moves like any other
SELECT bucket_ids(b), bucket_cardinalities(b) FROM (SELECT bucket_agg(x, n::int2) AS b FROM (VALUES (NULL, 1), (1, 1), (NULL, 2), (2, 1)) v(x, n)) s;
-- a NULL bucket id or timestamp is an error
SELECT bucket_agg(x, NULL::int2) FROM generate_series(1, 2) AS x;
SELECT bucket_agg(x, 1::int2, NULL::timestamptz) FROM generate_series(1, 2) AS x;
-- no rows give NULL; the functions are strict
SELECT bucket_agg(x, 1::int2) IS NULL AS no_rows FROM generate_series(1, 0) AS x;
SELECT bucket_ids(NULL) IS NULL AS ids, bucket_cardinalities(NULL) IS NULL AS cards, bucket_cardinality(NULL, 1::int2) IS NULL AS card;
-- the bucket id is an int2: an int4 does not resolve
SELECT bucket_agg(x, 1) FROM generate_series(1, 2) AS x;
-- not a bucket_agg state
SELECT bucket_ids('\x0102'::bytea);
-- with timestamps: a is moved to 2 at 11:00, then 3 at 09:00 is older and loses;
-- b ties at 10:00 between 1 and 0, and the larger id wins whatever the order
SELECT bucket_ids(b), bucket_cardinalities(b), bucket_cardinality(b, 3::int2) AS three FROM (SELECT bucket_agg(s, n::int2, t::timestamptz) AS b FROM (VALUES
  ('a', 1, '2024-05-01 10:00+00'), ('b', 1, '2024-05-01 10:00+00'), ('a', 2, '2024-05-01 11:00+00'),
  ('a', 3, '2024-05-01 09:00+00'), ('b', 0, '2024-05-01 10:00+00')) v(s, n, t)) s;
-- the same rows in reverse order give the same bytes
SELECT (SELECT bucket_agg(s, n::int2, t::timestamptz) FROM (VALUES ('a', 1, '2024-05-01 10:00+00'), ('b', 1, '2024-05-01 10:00+00'), ('a', 2, '2024-05-01 11:00+00')) v(s, n, t))
     = (SELECT bucket_agg(s, n::int2, t::timestamptz) FROM (VALUES ('a', 2, '2024-05-01 11:00+00'), ('b', 1, '2024-05-01 10:00+00'), ('a', 1, '2024-05-01 10:00+00')) v(s, n, t)) AS same;
-- continuous views
CREATE STREAM bkt_s (x int, y int, z text, t timestamptz);
-- 0.9 syntax, no GROUP BY
CREATE CONTINUOUS VIEW bkt_v0 AS SELECT bucket_agg(x, y::smallint) FROM bkt_s;
INSERT INTO bkt_s (x, y) VALUES (1, 0), (2, 0), (3, 0);
SELECT bucket_ids(bucket_agg), bucket_cardinalities(bucket_agg) FROM bkt_v0;
-- 1 moves to bucket 5; NULL joins bucket 5 as a fourth value
INSERT INTO bkt_s (x, y) VALUES (1, 5);
INSERT INTO bkt_s (x, y) VALUES (NULL, 5);
SELECT bucket_ids(bucket_agg), bucket_cardinalities(bucket_agg), octet_length(bucket_agg) AS bytes FROM bkt_v0;
-- 2 and 3 move to 5, 1 moves back to 0
INSERT INTO bkt_s (x, y) VALUES (2, 5), (3, 5), (1, 0);
SELECT bucket_ids(bucket_agg), bucket_cardinalities(bucket_agg) FROM bkt_v0;
SELECT bucket_cardinality(bucket_agg, 5::smallint) AS five, bucket_cardinality(bucket_agg, 9::smallint) AS nine FROM bkt_v0;
DROP CONTINUOUS VIEW bkt_v0;
-- 1.0 syntax: 1..1000 by x % 4 (250 each), then x = 1 + 3k (k = 0..333) move to 9:
-- k % 4 = 0, 1, 2, 3 take x % 4 = 1, 0, 3, 2, i.e. 84, 84, 83, 83 values
CREATE VIEW bkt_v1 WITH (action=materialize) AS SELECT bucket_agg(x, y::int2) FROM bkt_s;
INSERT INTO bkt_s (x, y) SELECT x, x % 4 FROM generate_series(1, 1000) AS x;
INSERT INTO bkt_s (x, y) SELECT x, 9 FROM generate_series(1, 1000, 3) AS x;
SELECT unnest(bucket_ids(bucket_agg)) AS bucket_id, unnest(bucket_cardinalities(bucket_agg)) AS card FROM bkt_v1;
DROP VIEW bkt_v1;
-- groups g = x % 3 of the values 'u1'..'u30', bucket x % 4:
--   g = 0: b0 {12,24} b1 {9,21} b2 {6,18,30} b3 {3,15,27}
--   g = 1: b0 {4,16,28} b1 {1,13,25} b2 {10,22} b3 {7,19}
--   g = 2: b0 {8,20} b1 {5,17,29} b2 {2,14,26} b3 {11,23}
CREATE VIEW bkt_v2 WITH (action=materialize) AS SELECT x % 3 AS g, bucket_agg(z, y::smallint) FROM bkt_s GROUP BY g;
INSERT INTO bkt_s (x, y, z) SELECT x, x % 4, 'u' || x FROM generate_series(1, 30) AS x;
SELECT g, unnest(bucket_ids(bucket_agg)) AS bucket_id, unnest(bucket_cardinalities(bucket_agg)) AS card FROM bkt_v2 ORDER BY g, bucket_id;
-- then to bucket 9: u1 in group 0 (new there; group 1 keeps it in 1), u4 in group 1 (leaves 0), u5 in group 2 (leaves 1)
INSERT INTO bkt_s (x, y, z) VALUES (3, 9, 'u1'), (1, 9, 'u4'), (2, 9, 'u5');
SELECT g, bucket_ids(bucket_agg), bucket_cardinalities(bucket_agg) FROM bkt_v2 ORDER BY g;
-- combine: over all groups u1's later assignment wins, so of 30 values
-- b0 {4..28 by 4} less u4 = 6, b1 {1..29 by 4} less u1, u5 = 6, b2 8, b3 7, b9 3
SELECT bucket_ids(combine(bucket_agg)), bucket_cardinalities(combine(bucket_agg)) FROM bkt_v2;
SELECT bucket_cardinality(combine(bucket_agg), 1::smallint) AS one, bucket_cardinality(combine(bucket_agg), 9::smallint) AS nine, bucket_cardinality(combine(bucket_agg), 4::smallint) AS missing FROM bkt_v2;
-- groups 0 and 2 together: b0 2+2, b1 2+2, b2 3+3, b3 3+2, b9 u1 and u5
SELECT g % 2 AS h, bucket_ids(combine(bucket_agg)), bucket_cardinalities(combine(bucket_agg)) FROM bkt_v2 GROUP BY h ORDER BY h;
SELECT bucket_cardinalities(combine(bucket_agg)) FROM bkt_v2 WHERE g = 1;
DROP VIEW bkt_v2;
-- explicit timestamps in a view: an older assignment does not move a value back
CREATE VIEW bkt_v3 WITH (action=materialize) AS SELECT bucket_agg(z, y::int2, t) FROM bkt_s;
INSERT INTO bkt_s (z, y, t) VALUES ('a', 1, '2024-05-01 10:00+00'), ('b', 1, '2024-05-01 10:00+00');
SELECT bucket_ids(bucket_agg), bucket_cardinalities(bucket_agg) FROM bkt_v3;
INSERT INTO bkt_s (z, y, t) VALUES ('a', 2, '2024-05-01 09:00+00');
SELECT bucket_ids(bucket_agg), bucket_cardinalities(bucket_agg) FROM bkt_v3;
INSERT INTO bkt_s (z, y, t) VALUES ('a', 2, '2024-05-01 11:00+00');
SELECT bucket_ids(bucket_agg), bucket_cardinalities(bucket_agg) FROM bkt_v3;
INSERT INTO bkt_s (z, y, t) VALUES ('b', 0, '2024-05-01 10:00+00'), ('c', 0, '2024-05-01 08:00+00');
SELECT bucket_ids(bucket_agg), bucket_cardinalities(bucket_agg) FROM bkt_v3;
-- the stored state is the same bytes as the ad-hoc aggregate over those rows
SELECT bucket_agg = (SELECT bucket_agg(z, y::int2, t::timestamptz) FROM (VALUES ('a', 1, '2024-05-01 10:00+00'), ('b', 1, '2024-05-01 10:00+00'),
  ('a', 2, '2024-05-01 09:00+00'), ('a', 2, '2024-05-01 11:00+00'), ('b', 0, '2024-05-01 10:00+00'), ('c', 0, '2024-05-01 08:00+00')) v(z, y, t)) AS same FROM bkt_v3;
DROP VIEW bkt_v3;
DROP STREAM bkt_s;
