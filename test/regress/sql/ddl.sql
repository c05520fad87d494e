--
-- DDL and session commands: CREATE/DROP DATABASE, CREATE/ALTER/DROP ROLE,
-- DISCARD, LISTEN/UNLISTEN, PipelineDB settings, current_setting/set_config
--
\set VERBOSITY verbose
-- databases
CREATE DATABASE regress_ddl_db;
CREATE DATABASE regress_ddl_db;
CREATE DATABASE template1;
CREATE DATABASE regress_ddl_db2 TEMPLATE template0 ENCODING 'UTF8';
\c regress_ddl_db2
SELECT current_database();
\c postgres
SELECT current_database();
DROP DATABASE regress_ddl_db2;
DROP DATABASE regress_ddl_nosuch;
DROP DATABASE IF EXISTS regress_ddl_nosuch;
DROP DATABASE postgres;
DROP DATABASE template1;
DROP DATABASE template0;
CREATE DATABASE regress_ddl_x OWNER regress_ddl_nosuch;
BEGIN;
CREATE DATABASE regress_ddl_intx;
ROLLBACK;
BEGIN;
DROP DATABASE regress_ddl_db;
ROLLBACK;
BEGIN;
DROP DATABASE IF EXISTS regress_ddl_nosuch;
ROLLBACK;
DROP DATABASE regress_ddl_db;
DROP DATABASE IF EXISTS regress_ddl_db;
-- roles
CREATE ROLE regress_ddl_r1;
CREATE ROLE regress_ddl_r1;
CREATE USER regress_ddl_r1;
CREATE ROLE pg_regress_ddl;
CREATE USER pg_regress_ddl;
CREATE ROLE regress_ddl_r2 LOGIN LOGIN;
DROP ROLE regress_ddl_nosuch;
DROP ROLE IF EXISTS regress_ddl_nosuch;
DROP ROLE IF EXISTS regress_ddl_nosuch, regress_ddl_r1;
DROP ROLE regress_ddl_r1;
DROP ROLE postgres;
ALTER ROLE regress_ddl_nosuch NOLOGIN;
-- renaming a role with an MD5 password clears the password (the name is its salt)
SET password_encryption = 'md5';
CREATE ROLE regress_ddl_md5 LOGIN PASSWORD 'secret';
ALTER ROLE regress_ddl_md5 RENAME TO regress_ddl_renamed;
ALTER ROLE regress_ddl_renamed PASSWORD 'secret2';
SET password_encryption = 'scram-sha-256';
CREATE ROLE regress_ddl_scram LOGIN PASSWORD 'secret';
ALTER ROLE regress_ddl_scram RENAME TO regress_ddl_scram2;
-- failed renames change nothing and say nothing about the password
ALTER ROLE regress_ddl_renamed RENAME TO regress_ddl_scram2;
ALTER ROLE regress_ddl_renamed RENAME TO regress_ddl_renamed;
ALTER ROLE regress_ddl_renamed RENAME TO pg_regress_ddl;
ALTER ROLE regress_ddl_nosuch RENAME TO regress_ddl_other;
ALTER ROLE postgres RENAME TO regress_ddl_other;
ALTER ROLE regress_ddl_renamed NOLOGIN CREATEDB;
-- a role owning a database cannot be dropped
CREATE ROLE regress_ddl_owner;
CREATE DATABASE regress_ddl_owned OWNER regress_ddl_owner;
DROP ROLE regress_ddl_owner;
DROP DATABASE regress_ddl_owned;
DROP ROLE regress_ddl_owner, regress_ddl_renamed, regress_ddl_scram2;
RESET password_encryption;
-- DISCARD ALL resets settings and drops prepared statements
SET work_mem = '1MB';
PREPARE regress_ddl_p AS SELECT 1 AS one;
EXECUTE regress_ddl_p;
DISCARD ALL;
SHOW work_mem;
EXECUTE regress_ddl_p;
BEGIN;
DISCARD ALL;
ROLLBACK;
DISCARD PLANS;
DISCARD SEQUENCES;
DISCARD TEMP;
-- LISTEN / UNLISTEN
LISTEN regress_ddl_chan;
LISTEN regress_ddl_chan;
UNLISTEN regress_ddl_chan;
UNLISTEN regress_ddl_never_listened;
UNLISTEN *;
NOTIFY regress_ddl_chan;
NOTIFY regress_ddl_chan, 'payload';
-- statements this server does not have yet
-- not PostgreSQL: PostgreSQL creates the table
CREATE TABLE regress_ddl_t (a int);
-- PipelineDB settings (PostgreSQL 15 has none of them: expected/pg15/ddl.out differs from here on)
SHOW pipelinedb.num_workers;
SHOW continuous_query_num_workers;
SET pipelinedb.num_workers = 4;
SHOW pipelinedb.stream_insert_level;
SET pipelinedb.stream_insert_level = sync_commit;
SHOW pipelinedb.stream_insert_level;
SHOW stream_insert_level;
SET pipelinedb.stream_insert_level = 'bogus';
SHOW pipelinedb.stream_insert_level;
RESET pipelinedb.stream_insert_level;
SHOW pipelinedb.stream_insert_level;
-- a PostgreSQL enum setting with a bad value
SET default_transaction_isolation = 'bogus';
SET max_connections = 10;
-- current_setting / set_config
SELECT current_setting('pipelinedb.stream_insert_level') AS level;
SELECT set_config('pipelinedb.stream_insert_level', 'async', false) AS set_config;
SHOW pipelinedb.stream_insert_level;
SELECT set_config('pipelinedb.num_workers', '4', false);
SELECT set_config('statement_timeout', '42s', false) AS set_config;
SELECT current_setting('statement_timeout') AS statement_timeout;
BEGIN;
SELECT set_config('work_mem', '2MB', true) AS local_work_mem;
SHOW work_mem;
COMMIT;
SHOW work_mem;
SELECT set_config('regress_ddl.custom', 'yes', false) AS custom;
SELECT current_setting('regress_ddl.custom') AS custom;
SELECT current_setting('regress_ddl.nosuch', true) IS NULL AS missing_is_null;
SELECT current_setting('regress_ddl_nosuch');
RESET ALL;
SHOW pipelinedb.stream_insert_level;
SHOW statement_timeout;
\set VERBOSITY default
