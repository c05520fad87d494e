--
-- SELECT DISTINCT and SELECT DISTINCT ON in continuous views: the view keeps
-- each distinct tuple once (exactly: no tuple is ever dropped), and DISTINCT
-- ON keeps the first row seen for each key. Each view is read next to the
-- same query over the same rows as VALUES.
--
SET pipelinedb.stream_insert_level = sync_commit;
CREATE STREAM vd_s (x int, y int, z text);
CREATE CONTINUOUS VIEW vd_plain AS SELECT DISTINCT x::int, y::int - z::int FROM vd_s;
CREATE VIEW vd_on WITH (action=materialize) AS SELECT DISTINCT ON (x::int, y::int - z::int) x::int, y::int, z::int FROM vd_s;
CREATE CONTINUOUS VIEW vd_text AS SELECT DISTINCT lower(z) AS z FROM vd_s WHERE x > 0;
-- DISTINCT with aggregates or GROUP BY is refused
CREATE CONTINUOUS VIEW vd_bad AS SELECT DISTINCT x, count(*) FROM vd_s GROUP BY x;
INSERT INTO vd_s (x, y, z) VALUES (1, 1, '1'), (1, 1, '1'), (4, 4, '4'), (7, 7, '7'), (0, 0, '0'), (2, 3, '1'), (NULL, NULL, NULL), (NULL, NULL, NULL);
INSERT INTO vd_s (x, y, z) VALUES (2, 5, '3'), (4, 4, '4'), (1, NULL, '1'), (NULL, 1, NULL);
SELECT * FROM vd_plain ORDER BY 1, 2;
SELECT DISTINCT x, y - z::int FROM (VALUES (1, 1, '1'), (1, 1, '1'), (4, 4, '4'), (7, 7, '7'), (0, 0, '0'), (2, 3, '1'), (NULL, NULL, NULL), (NULL, NULL, NULL), (2, 5, '3'), (4, 4, '4'), (1, NULL, '1'), (NULL, 1, NULL)) v(x, y, z) ORDER BY 1, 2;
SELECT * FROM vd_on ORDER BY 1, 2;
SELECT * FROM vd_text ORDER BY z;
-- point reads by the distinct key
SELECT * FROM vd_plain WHERE x = 1 ORDER BY 2;
SELECT count(*) FROM vd_plain;
DROP CONTINUOUS VIEW vd_plain;
DROP VIEW vd_on;
DROP CONTINUOUS VIEW vd_text;
DROP STREAM vd_s;
