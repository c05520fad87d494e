--
-- transactions: BEGIN/COMMIT/ROLLBACK, savepoints, the failed-transaction state
--
BEGIN;
SELECT 1 AS in_tx;
COMMIT;
START TRANSACTION;
SELECT 2 AS in_tx;
ROLLBACK;
BEGIN ISOLATION LEVEL REPEATABLE READ;
SHOW transaction_isolation;
COMMIT;
-- transaction control outside a transaction only warns
COMMIT;
ROLLBACK;
END;
-- nested BEGIN warns
BEGIN;
BEGIN;
COMMIT;
-- an error aborts the transaction until its end
BEGIN;
SELECT 1 AS before_error;
SELECT 1/0;
SELECT 2 AS ignored;
SHOW TimeZone;
COMMIT;
SELECT 3 AS after_commit_of_failed;
BEGIN;
SELEC 1;
SELECT 1;
ROLLBACK;
-- savepoints
BEGIN;
SET LOCAL application_name = 'outer';
SAVEPOINT a;
SET LOCAL application_name = 'inner';
SHOW application_name;
ROLLBACK TO SAVEPOINT a;
SHOW application_name;
SAVEPOINT b;
SELECT 1/0;
SELECT 'ignored' AS x;
ROLLBACK TO b;
SELECT 'recovered' AS x;
RELEASE SAVEPOINT b;
ROLLBACK TO a;
SELECT 'back at a' AS x;
RELEASE a;
COMMIT;
-- savepoint errors
SAVEPOINT outside;
ROLLBACK TO SAVEPOINT outside;
RELEASE SAVEPOINT outside;
BEGIN;
ROLLBACK TO SAVEPOINT nonexistent;
ROLLBACK;
BEGIN;
RELEASE SAVEPOINT nonexistent;
COMMIT;
-- the same savepoint name twice: the newer one wins
BEGIN;
SAVEPOINT s;
SET LOCAL work_mem = '1MB';
SAVEPOINT s;
SET LOCAL work_mem = '2MB';
ROLLBACK TO s;
SHOW work_mem;
RELEASE s;
ROLLBACK TO s;
SHOW work_mem;
ROLLBACK;
-- transaction-scoped commands outside a block
SET TRANSACTION ISOLATION LEVEL SERIALIZABLE;
SET LOCAL work_mem = '1MB';
SHOW work_mem;
SELECT 'done' AS status;
