--
-- json, jsonb, uuid and bytea
--
SELECT '{"b": 2, "a": [1, 2, {"c": null}]}'::json AS json_kept, '{"b": 2, "a": [1, 2, {"c": null}]}'::jsonb AS jsonb_normalized;
SELECT '{"a":1,  "a":2}'::json AS json_dupes, '{"a":1,  "a":2}'::jsonb AS jsonb_last_wins, '[1,  2.50, "x", true, null]'::jsonb AS jsonb_array;
SELECT '{"a": {"b": [10, 20]}}'::jsonb -> 'a' AS arrow, '{"a": {"b": [10, 20]}}'::jsonb -> 'a' -> 'b' -> 1 AS deep, '{"a": "text"}'::jsonb ->> 'a' AS as_text;
SELECT '{"a": {"b": [10, 20]}}'::json #> '{a,b}' AS path, '{"a": {"b": [10, 20]}}'::jsonb #>> '{a,b,0}' AS path_text, '{"x": 1}'::jsonb -> 'missing' AS missing;
SELECT '[1, 2, 3]'::jsonb -> 0 AS first, '[1, 2, 3]'::jsonb -> -1 AS last, '{"n": 1.0}'::jsonb -> 'n' AS num_scale;
SELECT '{"a": 1, "b": 2}'::jsonb @> '{"a": 1}' AS contains, '{"a": 1}'::jsonb ? 'a' AS has_key, '{"a": 1}'::jsonb || '{"b": 2}' AS merged, '{"a": 1, "b": 2}'::jsonb - 'a' AS minus;
SELECT jsonb_typeof('[1]') AS t1, json_typeof('"s"') AS t2, jsonb_array_length('[1, 2, 3]') AS len, jsonb_pretty('{"a": [1, 2]}') AS pretty;
SELECT json_build_object('k', 1, 'l', ARRAY[1, 2]) AS built, jsonb_build_array(1, 'two', NULL) AS arr, to_json('quote"d'::text) AS to_json;
SELECT '{"a": "\u00e9"}'::jsonb AS unicode_escape, '"\\n"'::json AS escaped;
SELECT '{bad json}'::json;
SELECT '{"a": 1'::jsonb;
-- uuid
SELECT 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'::uuid AS upper_in, '{a0eebc99-9c0b4ef8-bb6d6bb9-bd380a11}'::uuid AS braces, 'a0eebc999c0b4ef8bb6d6bb9bd380a11'::uuid AS plain;
SELECT 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid = 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'::uuid AS eq, '00000000-0000-0000-0000-000000000001'::uuid < 'ffffffff-0000-0000-0000-000000000000'::uuid AS lt;
SELECT 'not-a-uuid'::uuid;
-- bytea
SELECT 'abc'::bytea AS from_text, '\x00ff10'::bytea AS hex_in, E'\\001\\377'::bytea AS escape_in, ''::bytea AS empty;
SELECT length('\x0001ff'::bytea) AS len, octet_length('héllo'::bytea) AS octets, '\x01'::bytea || '\x02'::bytea AS cat, md5('\x00'::bytea) AS md5;
SELECT get_byte('\x0a0b'::bytea, 1) AS byte1, substr('\x0102030405'::bytea, 2, 3) AS sub, encode('hello'::bytea, 'base64') AS b64, decode('aGVsbG8=', 'base64') AS unb64;
SELECT encode('\x00ff'::bytea, 'hex') AS enc_hex, convert_to('é', 'UTF8') AS utf8_bytes, convert_from('\x68c3a9'::bytea, 'UTF8') AS from_bytes;
SET bytea_output = 'escape';
SELECT 'abc'::bytea AS esc_text, '\x00ff0a'::bytea AS esc_bin;
RESET bytea_output;
SELECT '\xzz'::bytea;
