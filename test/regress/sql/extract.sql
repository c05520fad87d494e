--
-- extract: PG11 returns double precision from EXTRACT and date_part; 14 and
-- later return numeric from EXTRACT, which prints trailing fraction digits.
-- expected/extract.out follows PG11; expected/pg15/extract.out is 15's.
--
SET TimeZone = 'UTC';
SELECT extract(epoch FROM timestamptz '2026-03-05 12:00:00+00') AS epoch, extract(epoch FROM interval '1 day 1.5 seconds') AS interval_epoch;
SELECT extract(second FROM timestamp '2026-03-05 12:34:56.5') AS second, extract(milliseconds FROM time '00:00:01.25') AS ms;
SELECT pg_typeof(extract(year FROM date '2026-03-05')) AS extract_type, pg_typeof(date_part('year', date '2026-03-05')) AS date_part_type;
SELECT extract(julian FROM date '2026-03-05') AS julian, extract(century FROM date '2026-03-05') AS century;
