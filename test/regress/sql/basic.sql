--
-- basic: the statements a user types in a first psql session
--
SELECT 1;
SELECT 1 AS one, 'two' AS two, 3.0 AS three;
SELECT NULL AS nothing, NULL::text IS NULL AS is_null;
-- several statements on one line
SELECT 1; SELECT 2;
SELECT 'a' AS x; SELECT 'b' AS y; SELECT 'c' AS z;
-- statements spanning lines
SELECT
  1 + 2
  AS three;
-- empty statements are fine
;
SELECT 42 AS answer;;
-- quoting
SELECT 'it''s' AS quoted, E'tab\there' AS escaped, $$dollar 'quoted'$$ AS dollar;
SELECT "column with spaces".x AS "Mixed Case" FROM (SELECT 1 AS x) AS "column with spaces";
-- VALUES lists
VALUES (1, 'one'), (2, 'two'), (3, 'three');
SELECT * FROM (VALUES (3, 'c'), (1, 'a'), (2, 'b')) AS t(n, s) ORDER BY n;
SELECT * FROM (VALUES (3, 'c'), (1, 'a'), (2, 'b')) AS t(n, s) ORDER BY s DESC LIMIT 2;
-- generate_series with ORDER BY / LIMIT / OFFSET
SELECT * FROM generate_series(1, 5);
SELECT g FROM generate_series(1, 10) AS g ORDER BY g DESC LIMIT 3;
SELECT g FROM generate_series(1, 10) AS g ORDER BY g LIMIT 3 OFFSET 4;
SELECT generate_series(10, 1, -3) AS down;
SELECT g, g * g AS square FROM generate_series(1, 4) AS g WHERE g % 2 = 0;
-- booleans
SELECT true AS t, false AS f, NULL::boolean AS n;
SELECT true AND false AS "and", true OR false AS "or", NOT true AS "not";
SELECT NULL::boolean AND false AS null_and_false, NULL::boolean OR true AS null_or_true;
SELECT 'yes'::boolean, 'off'::boolean, 't'::boolean, '0'::boolean;
SELECT 1 < 2 AS lt, 2 <= 2 AS le, 3 <> 3 AS ne, 'a' < 'b' AS text_lt;
SELECT 5 BETWEEN 1 AND 10 AS between_, NULL IS DISTINCT FROM 1 AS distinct_;
-- CASE / COALESCE / NULLIF / GREATEST / LEAST
SELECT g, CASE WHEN g < 2 THEN 'small' WHEN g < 4 THEN 'medium' ELSE 'large' END AS size
  FROM generate_series(1, 5) AS g;
SELECT CASE 2 WHEN 1 THEN 'one' WHEN 2 THEN 'two' END AS simple_case,
       CASE 3 WHEN 1 THEN 'one' END AS no_match;
SELECT COALESCE(NULL, NULL, 'third') AS c1, COALESCE(NULL::int, 7) AS c2;
SELECT NULLIF(1, 1) AS n1, NULLIF(1, 2) AS n2;
SELECT GREATEST(3, 9, 1) AS g, LEAST(3, 9, 1) AS l, GREATEST('apple', 'pear') AS gs, LEAST(1, NULL, 0) AS ln;
-- IN / LIKE / ILIKE
SELECT 3 IN (1, 2, 3) AS in_list, 4 NOT IN (1, 2, 3) AS not_in, NULL::int IN (1, 2) AS null_in;
SELECT 'hello' LIKE 'h%' AS l1, 'hello' LIKE '_ello' AS l2, 'hello' LIKE 'H%' AS l3, 'hello' ILIKE 'H%' AS i1;
SELECT 'hello' NOT LIKE '%z%' AS nl, 'a_b' LIKE 'a\_b' AS escaped_underscore, 'HeLLo' NOT ILIKE 'hello' AS nil;
SELECT 'abc' ~ '^a.c$' AS re, 'abc' ~* 'B' AS re_ci;
-- subqueries
SELECT (SELECT max(g) FROM generate_series(1, 7) AS g) AS scalar_sub;
SELECT EXISTS (SELECT 1 WHERE false) AS ex;
SELECT g FROM generate_series(1, 6) AS g WHERE g IN (SELECT h * 2 FROM generate_series(1, 3) AS h);
-- DISTINCT and GROUP BY
SELECT DISTINCT g % 3 AS r FROM generate_series(1, 10) AS g ORDER BY r;
SELECT g % 3 AS r, count(*) FROM generate_series(1, 10) AS g GROUP BY g % 3 ORDER BY r;
SELECT g % 3 AS r, sum(g) FROM generate_series(1, 10) AS g GROUP BY 1 HAVING sum(g) > 15 ORDER BY 1;
