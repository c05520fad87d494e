--
-- PREPARE / EXECUTE / DEALLOCATE / DISCARD ALL
--
PREPARE add_one(int) AS SELECT $1 + 1 AS result;
EXECUTE add_one(41);
EXECUTE add_one('9');
PREPARE greet(text, int) AS SELECT repeat($1, $2) AS greeting;
EXECUTE greet('ab', 3);
PREPARE no_params AS SELECT 'static' AS s;
EXECUTE no_params;
PREPARE inferred AS SELECT $1::numeric * 2 AS doubled, pg_typeof($1) AS t;
EXECUTE inferred(1.25);
PREPARE series(int) AS SELECT g FROM generate_series(1, $1) AS g ORDER BY g DESC;
EXECUTE series(3);
-- errors
PREPARE add_one(int) AS SELECT $1;
EXECUTE add_one(1, 2);
EXECUTE nonexistent;
PREPARE bad AS SELEC 1;
DEALLOCATE nonexistent;
-- DEALLOCATE
DEALLOCATE add_one;
EXECUTE add_one(1);
DEALLOCATE PREPARE greet;
EXECUTE greet('x', 1);
EXECUTE no_params;
DEALLOCATE ALL;
EXECUTE no_params;
-- DISCARD ALL drops prepared statements and resets settings
PREPARE p AS SELECT 1 AS one;
SET work_mem = '1MB';
DISCARD ALL;
EXECUTE p;
SHOW work_mem;
BEGIN;
DISCARD ALL;
ROLLBACK;
PREPARE p AS SELECT 2 AS two;
EXECUTE p;
