--
-- datetime: literals, arithmetic, time zones, DateStyle, date_trunc, extract, intervals
-- (fixed literals only; nothing depends on the current time)
--
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, MDY';
SELECT date '2026-03-05' AS d, time '12:34:56.789' AS t, timestamp '2026-03-05 12:34:56.789' AS ts, timestamptz '2026-03-05 12:34:56.789+02' AS tstz;
SELECT '2024-02-29'::date AS leap, 'epoch'::timestamp AS epoch, 'infinity'::timestamp AS inf, '-infinity'::date AS neg_inf;
SELECT '20260305'::date AS compact, 'March 5, 2026'::date AS words, '2026-03-05T01:02:03Z'::timestamptz AS iso_t;
-- date arithmetic
SELECT date '2026-03-05' + 30 AS plus_days, date '2026-03-05' - 5 AS minus_days, date '2026-12-25' - date '2026-03-05' AS days_between;
SELECT date '2026-01-31' + interval '1 month' AS month_end, date '2026-03-05' + time '10:00' AS date_plus_time;
SELECT timestamp '2026-03-05 10:00' - timestamp '2026-03-01 08:30' AS ts_diff, timestamp '2026-03-05 10:00' + interval '1 day 2 hours' AS ts_plus;
SELECT timestamp '2026-03-05 23:59:59.999999' + interval '1 microsecond' AS next_day, timestamp '2000-02-28' + interval '1 day' AS leap_day;
-- time zones
SELECT timestamptz '2026-03-05 12:00:00+00' AS utc;
SET TimeZone = 'America/New_York';
SELECT timestamptz '2026-03-05 12:00:00+00' AS new_york_winter, timestamptz '2026-07-05 12:00:00+00' AS new_york_summer;
SELECT timestamptz '2026-03-08 01:30:00' + interval '1 hour' AS dst_gap, timestamp '2026-03-05 12:00' AT TIME ZONE 'UTC' AS at_utc;
SHOW TimeZone;
SET TimeZone = 'Asia/Kolkata';
SELECT timestamptz '2026-03-05 12:00:00+00' AS kolkata, timestamptz '2026-03-05 12:00:00' AS local_input;
SELECT timestamptz '2026-03-05 12:00:00+00' AT TIME ZONE 'America/New_York' AS ny_wall_clock;
SET TimeZone = 'UTC';
-- DateStyle
SET DateStyle = 'SQL, DMY';
SELECT date '2026-03-05' AS d, timestamp '2026-03-05 12:34:56' AS ts, timestamptz '2026-03-05 12:34:56+00' AS tstz;
SET DateStyle = 'SQL, MDY';
SELECT date '2026-03-05' AS d, timestamp '2026-03-05 12:34:56' AS ts;
SET DateStyle = 'Postgres, MDY';
SELECT date '2026-03-05' AS d, timestamp '2026-03-05 12:34:56.5' AS ts, timestamptz '2026-03-05 12:34:56+00' AS tstz;
SET DateStyle = 'German';
SELECT date '2026-03-05' AS d, timestamp '2026-03-05 12:34:56' AS ts, timestamptz '2026-03-05 12:34:56+00' AS tstz;
SHOW DateStyle;
SET DateStyle = 'ISO, DMY';
SELECT '05/03/2026'::date AS dmy_input;
SET DateStyle = 'ISO, MDY';
SELECT '05/03/2026'::date AS mdy_input;
-- date_trunc
SELECT date_trunc('year', timestamp '2026-03-05 12:34:56') AS y, date_trunc('month', timestamp '2026-03-05 12:34:56') AS mon,
       date_trunc('day', timestamp '2026-03-05 12:34:56') AS d, date_trunc('hour', timestamp '2026-03-05 12:34:56') AS h;
SELECT date_trunc('week', timestamp '2026-03-05 12:34:56') AS week, date_trunc('quarter', timestamp '2026-08-15') AS quarter,
       date_trunc('minute', timestamp '2026-03-05 12:34:56.789') AS minute;
SELECT date_trunc('day', timestamptz '2026-03-05 03:00:00+00') AS trunc_utc;
-- extract / date_part results that print the same in PostgreSQL 11 (double precision) and later
SELECT extract(year FROM date '2026-03-05') AS year, extract(month FROM date '2026-03-05') AS month, extract(day FROM timestamp '2026-03-05 12:00') AS day;
SELECT extract(hour FROM timestamp '2026-03-05 12:34:56') AS hour, extract(minute FROM timestamp '2026-03-05 12:34:56') AS minute,
       extract(dow FROM date '2026-03-05') AS dow, extract(doy FROM date '2026-03-05') AS doy, extract(quarter FROM date '2026-03-05') AS q;
SELECT date_part('year', timestamp '2026-03-05') AS dp_year, date_part('isodow', date '2026-03-08') AS isodow, date_part('week', date '2026-03-05') AS week;
-- intervals
SELECT interval '1 day 2 hours 3 minutes 4 seconds' AS i1, interval '90 minutes' AS i2, interval '1 year 2 months' AS i3, interval '-1 day' AS i4;
SELECT interval '1.5 hours' AS frac, interval '36 hours' AS hours, interval '2 weeks' AS weeks, interval '1 mon -1 day' AS mixed, interval '0' AS zero;
SELECT interval '1 hour' * 3 AS mul, interval '1 day' / 4 AS div, interval '1 day' - interval '1 hour' AS sub, justify_hours(interval '36 hours') AS justified;
SELECT interval 'P1Y2M3DT4H5M6S' AS iso8601, interval '00:00:01.5' AS subsec, interval '1 day' = interval '24 hours' AS day_eq_24h;
SELECT make_date(2026, 3, 5) AS made, make_interval(0, 0, 0, 10) AS made_interval, to_date('05 Mar 2026', 'DD Mon YYYY') AS to_date;
SELECT to_char(timestamp '2026-03-05 14:07:09', 'YYYY-MM-DD HH24:MI:SS') AS tc1, to_char(date '2026-03-05', 'Day, DD Month YYYY') AS tc2;
-- errors
SELECT date '2026-02-30';
SELECT timestamp '2026-03-05 25:00:00';
SELECT 'not a date'::date;
SELECT interval 'forever';
SET TimeZone = 'Mars/Olympus';
