--
-- version: what the server says it is
-- PG11: this whole file describes PostgreSQL 11.22 (PipelineDB 1.0 runs on
-- PostgreSQL 11); expected/pg15/version.out holds what 15 prints instead.
--
SHOW server_version;
SHOW server_version_num;
SELECT current_setting('server_version_num')::int / 10000 AS major;
SELECT current_setting('server_version_num')::int >= 110000 AS at_least_11;
SELECT split_part(version(), ' ', 1) AS product, split_part(version(), ' ', 2) AS version_number;
-- PG11: extra_float_digits defaults to 0 (PostgreSQL 12 changed it to 1)
SHOW extra_float_digits;
-- Ours defaults to scram-sha-256 (PostgreSQL 11's default was md5): new passwords are stored as SCRAM verifiers.
SHOW password_encryption;
SELECT current_user AS user_name, current_database() AS db, session_user = current_user AS same_user;
