--
-- input_errors: text that does not convert to the requested type
-- PG11: integer input errors say "invalid input syntax for integer";
-- PostgreSQL 12 changed this to "invalid input syntax for type integer"
-- (expected/pg15/input_errors.out).
--
SELECT 'abc'::int;
SELECT '12abc'::int4;
SELECT ''::int2;
SELECT 'x'::int8;
SELECT 1 + 'a';
SELECT '1.5'::int;
-- PG11 and 15 agree on these
SELECT 'abc'::numeric;
SELECT '99999999999'::int4;
SELECT '99999999999999999999'::int8;
SELECT 'maybe'::boolean;
SELECT 'xyz'::float8;
SELECT ARRAY[1, 'x'];
PREPARE add_one(int) AS SELECT $1 + 1;
EXECUTE add_one('x');
