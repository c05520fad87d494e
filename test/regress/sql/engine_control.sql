--
-- engine_control: what a session controls around streams and continuous
-- views, checked through the views' contents: stream_insert_level,
-- stream_targets, activation, truncation, DROP ... CASCADE and re-creation,
-- ALTER STREAM ... ADD COLUMN, INSERT errors (nothing is written), INSERT ...
-- SELECT, COPY FROM STDIN, plain SELECTs over views (filters, sorting,
-- aggregates, joins, COPY TO STDOUT), introspection and stream_stats.
--
-- stream_targets is PipelineDB 1.0's plain string setting: one value (a
-- list of names inside one string), split as identifiers when a stream
-- with active readers is written; unknown names fail at that moment.
--
\set VERBOSITY verbose
-- stream_insert_level: 1.0 and 0.9 names
SHOW pipelinedb.stream_insert_level;
SET stream_insert_level = async;
SHOW stream_insert_level;
SET stream_insert_level = nosuch;
SET pipelinedb.stream_insert_level = sync_commit;
SHOW pipelinedb.stream_insert_level;
-- stream_targets
CREATE FOREIGN TABLE ectl_s (x integer, y text) SERVER pipelinedb;
CREATE STREAM ectl_idle (z integer);
CREATE VIEW ectl_v0 AS SELECT count(*) FROM ectl_s;
CREATE CONTINUOUS VIEW ectl_v1 AS SELECT count(*), sum(x) FROM ectl_s;
CREATE VIEW "Ectl_V2" WITH (action=materialize) AS SELECT count(*), max(y) FROM ectl_s;
INSERT INTO ectl_s (x, y) VALUES (1, 'a');
SET pipelinedb.stream_targets TO ectl_v0;
SHOW pipelinedb.stream_targets;
INSERT INTO ectl_s (x, y) VALUES (2, 'b');
-- a list is one string; the 0.9 name works too
SET stream_targets = 'ectl_v1, ectl_v0';
SHOW stream_targets;
INSERT INTO ectl_s (x, y) VALUES (4, 'c');
SET pipelinedb.stream_targets TO "ectl_v1, ectl_v0";
SHOW pipelinedb.stream_targets;
INSERT INTO ectl_s (x, y) VALUES (8, 'd');
-- a quoted identifier inside the value keeps its case
SET pipelinedb.stream_targets = '"Ectl_V2", ectl_v1';
SHOW pipelinedb.stream_targets;
INSERT INTO ectl_s (x, y) VALUES (16, 'e');
SELECT (SELECT count FROM ectl_v0) AS v0, (SELECT count FROM ectl_v1) AS v1, (SELECT count FROM "Ectl_V2") AS v2;
-- not a list setting; unknown or case-folded names fail at INSERT, writing nothing
SET pipelinedb.stream_targets = ectl_v0, ectl_v1;
SET pipelinedb.stream_targets = "Ectl_V2";
SHOW pipelinedb.stream_targets;
INSERT INTO ectl_s (x, y) VALUES (32, 'f');
SET pipelinedb.stream_targets = ectl_nosuch;
INSERT INTO ectl_s (x, y) VALUES (32, 'f');
-- a stream nothing reads is not checked
INSERT INTO ectl_idle (z) VALUES (1);
RESET pipelinedb.stream_targets;
SHOW pipelinedb.stream_targets;
-- SET LOCAL ends with its transaction
BEGIN;
SET LOCAL pipelinedb.stream_targets = ectl_v1;
SHOW pipelinedb.stream_targets;
INSERT INTO ectl_s (x, y) VALUES (64, 'g');
COMMIT;
SHOW pipelinedb.stream_targets;
BEGIN;
SET LOCAL stream_targets = '"Ectl_V2"';
INSERT INTO ectl_s (x, y) VALUES (128, 'h');
COMMIT;
SET pipelinedb.stream_targets TO ectl_v0;
SET pipelinedb.stream_targets TO DEFAULT;
INSERT INTO ectl_s (x, y) VALUES (256, 'i');
SELECT * FROM ectl_v0;
SELECT * FROM ectl_v1;
SELECT * FROM "Ectl_V2";
-- activation: 1.0 functions
SELECT pipelinedb.deactivate('ectl_v0');
SELECT pipelinedb.deactivate('"Ectl_V2"');
SELECT name, active FROM pipelinedb.views WHERE name LIKE '%ctl%' ORDER BY name;
SELECT * FROM pipelinedb.get_stream_readers() WHERE stream LIKE 'ectl%';
INSERT INTO ectl_s (x, y) VALUES (1, 'j'), (2, 'k');
-- targets that are all inactive: nothing is written
SET pipelinedb.stream_targets = ectl_v0;
INSERT INTO ectl_s (x, y) VALUES (1000, 'z');
RESET pipelinedb.stream_targets;
SELECT pipelinedb.activate('ectl_v0');
SELECT pipelinedb.activate('ectl_v0');
INSERT INTO ectl_s (x, y) VALUES (3, 'l');
SELECT (SELECT count FROM ectl_v0) AS v0, (SELECT count FROM ectl_v1) AS v1, (SELECT count FROM "Ectl_V2") AS v2;
-- activation: 0.9 statements (no names: every continuous query)
DEACTIVATE ectl_v0, ectl_v1;
SELECT name, active FROM pipelinedb.views WHERE name LIKE '%ctl%' ORDER BY name;
SELECT * FROM pipelinedb.get_streams() WHERE name LIKE 'ectl%' ORDER BY name;
INSERT INTO ectl_s (x, y) VALUES (4, 'm');
ACTIVATE;
INSERT INTO ectl_s (x, y) VALUES (5, 'n');
ACTIVATE "Ectl_V2";
SELECT name, active FROM pipelinedb.views WHERE name LIKE '%ctl%' ORDER BY name;
SELECT * FROM pipelinedb.get_streams() WHERE name LIKE 'ectl%' ORDER BY name;
SELECT (SELECT count FROM ectl_v0) AS v0, (SELECT count FROM ectl_v1) AS v1, (SELECT count FROM "Ectl_V2") AS v2;
-- truncation: 1.0 function, 0.9 function name, TRUNCATE CONTINUOUS VIEW
SELECT pipelinedb.truncate_continuous_view('ectl_v0');
SELECT * FROM ectl_v0;
SELECT truncate_continuous_view('ectl_v1');
TRUNCATE CONTINUOUS VIEW "Ectl_V2";
SELECT count(*) AS rows FROM ectl_v1;
SELECT count(*) AS rows FROM "Ectl_V2";
INSERT INTO ectl_s (x, y) VALUES (7, 'o');
SELECT (SELECT count FROM ectl_v0) AS v0, (SELECT sum FROM ectl_v1) AS v1, (SELECT max FROM "Ectl_V2") AS v2;
-- INSERT errors write nothing (not even the valid rows of the same statement)
INSERT INTO ectl_s (x, y) VALUES ('abc', 'p');
INSERT INTO ectl_s (x, y) VALUES (1, 'p'), ('2x', 'q');
INSERT INTO ectl_s (x, nosuch) VALUES (1, 'p');
INSERT INTO ectl_s (x, y) VALUES (now(), 'p');
INSERT INTO ectl_s (x, y) VALUES (2147483648, 'p');
INSERT INTO ectl_s (x, y) VALUES (1, 'p', 3);
-- rows are checked in order, as PostgreSQL's analysis does: a row's expressions,
-- its length against the first row's, then against the columns
INSERT INTO ectl_s (x, y) VALUES (1, 'p'), (2), (3, 'r', 4);
INSERT INTO ectl_s (x) VALUES (1), (nosuch, 2);
INSERT INTO ectl_s (x) VALUES (1, 2), (3);
-- casts run after every row is analyzed; errors point at an expression's leftmost token
INSERT INTO ectl_s (x) VALUES (2147483648), (1, 2);
INSERT INTO ectl_s (x) VALUES (1), (2 + 3, 4);
-- one parameter in columns of two types
PREPARE ectl_p AS INSERT INTO ectl_s (x, y) VALUES ($1, $1);
SELECT * FROM ectl_v1;
-- INSERT ... SELECT
INSERT INTO ectl_s (x, y) SELECT g, 'g' || g FROM generate_series(1, 100) AS g;
INSERT INTO ectl_s (y, x) SELECT 'h', g * 2 FROM generate_series(1, 10) AS g WHERE g % 2 = 0;
SELECT * FROM ectl_v1;
SELECT * FROM "Ectl_V2";
-- COPY FROM STDIN (text format, NULLs, then csv)
COPY ectl_s (x, y) FROM STDIN;
1	copy1
2	\N
\N	copy3
\.
COPY ectl_s (y, x) FROM STDIN WITH (FORMAT csv);
"csv, quoted",10
plain,20
\.
COPY ectl_s (x, y) FROM STDIN;
5	ok
bad	row
\.
SELECT * FROM ectl_v0;
SELECT * FROM ectl_v1;
SELECT * FROM "Ectl_V2";
-- DROP STREAM ... CASCADE, then the same names start empty
DROP STREAM ectl_s CASCADE;
SELECT * FROM pipelinedb.get_streams() WHERE name LIKE 'ectl%' ORDER BY name;
SELECT * FROM ectl_v0;
CREATE STREAM ectl_s (x integer, y text);
CREATE VIEW ectl_v0 AS SELECT count(*), sum(x) FROM ectl_s;
SELECT * FROM ectl_v0;
INSERT INTO ectl_s (x, y) VALUES (5, 'again');
SELECT * FROM ectl_v0;
-- ALTER STREAM ... ADD COLUMN, and a view reading the new column
ALTER STREAM ectl_s ADD COLUMN z numeric;
ALTER FOREIGN TABLE ectl_s ADD COLUMN tag text;
CREATE VIEW ectl_by_tag AS SELECT tag, count(*), sum(z) AS total, sum(x) AS xs FROM ectl_s GROUP BY tag;
INSERT INTO ectl_s (x, z, tag) VALUES (1, 1.5, 'a'), (2, 2.25, 'b'), (3, NULL, 'a'), (4, 10, NULL);
INSERT INTO ectl_s (x) VALUES (100);
SELECT * FROM ectl_v0;
SELECT * FROM ectl_by_tag ORDER BY tag;
-- SELECT over views: WHERE, ORDER BY, LIMIT, DISTINCT, aggregates, joins
CREATE STREAM ectl_clicks (url text, uid integer, ms integer);
CREATE VIEW ectl_hits AS SELECT url, count(*) AS hits, sum(ms) AS ms FROM ectl_clicks GROUP BY url;
CREATE VIEW ectl_users AS SELECT url, uid, count(*) AS n FROM ectl_clicks GROUP BY url, uid;
INSERT INTO ectl_clicks (url, uid, ms) VALUES ('/a', 1, 10), ('/a', 2, 20), ('/b', 1, 5), ('/c', 3, 7), ('/a', 1, 30);
INSERT INTO ectl_clicks (url, uid, ms) VALUES ('/b', 2, 15), ('/d', NULL, 1), ('/c', 3, 3), ('/a', 3, 40), ('/e', 4, NULL);
SELECT * FROM ectl_hits ORDER BY url;
SELECT url, hits FROM ectl_hits WHERE hits > 1 ORDER BY hits DESC, url;
SELECT url FROM ectl_hits ORDER BY ms DESC NULLS LAST LIMIT 2;
SELECT url FROM ectl_hits ORDER BY url LIMIT 2 OFFSET 1;
SELECT DISTINCT uid FROM ectl_users ORDER BY uid;
SELECT count(DISTINCT url) AS urls, count(uid) AS known FROM ectl_users;
SELECT sum(hits) AS hits, max(ms), min(url), avg(hits) FROM ectl_hits;
SELECT uid, sum(n) AS clicks FROM ectl_users GROUP BY uid HAVING sum(n) > 1 ORDER BY uid;
SELECT h.url, u.uid, u.n, h.hits FROM ectl_hits h JOIN ectl_users u ON u.url = h.url WHERE u.n > 1 OR h.hits = 1 ORDER BY h.url, u.uid;
SELECT h.url, count(u.uid) AS users FROM ectl_hits h LEFT JOIN ectl_users u ON u.url = h.url AND u.uid > 1 GROUP BY h.url ORDER BY h.url;
COPY (SELECT url, hits, ms FROM ectl_hits ORDER BY url) TO STDOUT;
COPY (SELECT url, uid, n FROM ectl_users WHERE url = '/a' ORDER BY uid) TO STDOUT WITH (FORMAT csv, HEADER);
-- introspection after the changes above
SELECT name, active, query FROM pipelinedb.views WHERE name LIKE '%ctl%' ORDER BY name;
SELECT name, active FROM pipelinedb.get_views() WHERE name LIKE '%ctl%' ORDER BY name;
SELECT * FROM pipelinedb.get_streams() WHERE name LIKE 'ectl%' ORDER BY name;
SELECT * FROM pipelinedb.get_stream_readers() WHERE stream LIKE 'ectl%' ORDER BY stream;
-- stream_stats: rows that reached a stream's readers since it was created
SELECT namespace, stream, input_rows FROM pipelinedb.stream_stats WHERE stream LIKE 'ectl%' ORDER BY stream;
DROP STREAM ectl_s, ectl_idle, ectl_clicks CASCADE;
SELECT count(*) FROM pipelinedb.stream_stats WHERE stream LIKE 'ectl%';
SELECT count(*) FROM pipelinedb.views WHERE name LIKE '%ctl%';
