--
-- errors: how failures look in a script and that the script goes on
--
SELECT 1;
SELEC 2;
SELECT 3;
-- on one line: the bad statement fails, the others run
SELECT 'before' AS a; SELEC 'bad'; SELECT 'after' AS b;
-- error positions: LINE n and the caret
SELECT 1 +;
SELECT 1,
  2 FRO x;
SELECT * FROM nope;
SELECT * FROM public.nope;
SELECT no_such_function(1);
SELECT lower(1, 2);
SELECT nocolumn;
SELECT 'x' AS v WHERE 1;
SELECT 1/0;
SELECT 2147483647 + 1;
-- a VALUES row of another length: the caret at its first expression's leftmost token
VALUES (1), (2 + 3, 4);
SELECT * FROM (VALUES (1, 'a'), ('2'::int)) t;
-- the same errors with SQLSTATEs
\set VERBOSITY verbose
SELEC 2;
SELECT * FROM nope;
SELECT no_such_function(1);
SELECT 1/0;
SELECT 2147483647 + 1;
SET no_such_setting = 1;
\set VERBOSITY default
SELECT 'still working' AS status;
