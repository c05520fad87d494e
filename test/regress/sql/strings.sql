--
-- strings: the everyday text functions and operators
--
SELECT lower('HeLLo WoRLD') AS lower, upper('straße') AS upper, initcap('hello wide world') AS initcap;
SELECT length('hello') AS len, length('héllo') AS len_utf8, octet_length('héllo') AS octets, char_length('') AS empty, length(NULL::text) AS len_null;
SELECT substr('PostgreSQL', 5) AS s1, substr('PostgreSQL', 1, 4) AS s2, substring('PostgreSQL' FROM 5 FOR 3) AS s3, substr('abc', 0, 2) AS s4, substr('abc', 10) AS s5;
SELECT position('gre' IN 'PostgreSQL') AS pos, position('x' IN 'abc') AS none, strpos('hello', 'l') AS strpos;
SELECT replace('banana', 'an', 'AN') AS r1, replace('aaa', 'a', '') AS r2, translate('hello', 'el', 'ip') AS tr;
SELECT concat('a', 1, NULL, true) AS c1, concat_ws('-', 'x', NULL, 'y', 2) AS c2, 'foo' || 'bar' AS op, 'n=' || 42 AS mixed, 'x' || NULL AS null_concat;
SELECT trim('  both  ') AS t1, ltrim('  left') AS t2, rtrim('right  ') AS t3, trim(BOTH 'x' FROM 'xxhixx') AS t4, trim(LEADING '0' FROM '000120') AS t5, btrim('--a--', '-') AS t6;
SELECT '[' || lpad('7', 3, '0') || ']' AS lp, '[' || rpad('ab', 5, '.') || ']' AS rp, lpad('toolong', 4) AS cut, '[' || lpad('x', 4) || ']' AS spaces;
SELECT split_part('a,b,c', ',', 2) AS p2, split_part('a,b,c', ',', 4) AS p4, split_part('one::two', '::', 2) AS multi;
SELECT repeat('ab', 3) AS rep, reverse('abc') AS rev, left('abcdef', 2) AS l, right('abcdef', 2) AS r, left('abcdef', -2) AS lneg;
SELECT md5('hello') AS md5, to_hex(255) AS hex, ascii('A') AS ascii, chr(66) AS chr;
SELECT format('%s is %s years', 'Ann', 30) AS f1, format('%I.%L', 'My Table', 'it''s') AS f2, quote_ident('a b') AS qi, quote_literal('x''y') AS ql, quote_nullable(NULL) AS qn;
SELECT starts_with('hello', 'he') AS sw, 'abc' < 'abd' AS cmp, 'a' = 'a ' AS text_eq, 'a'::char(3) = 'a  '::char(3) AS char_eq;
SELECT 'abc'::varchar(2) AS truncated_cast, 'ab'::char(4) || '|' AS char_pad, length('ab'::char(4)) AS char_len;
SELECT regexp_replace('a1b22c333', '[0-9]+', '#', 'g') AS rr, regexp_matches('key=val', '(\w+)=(\w+)') AS rm, string_to_array('a,b,,c', ',') AS sta;
SELECT array_to_string(ARRAY['x', NULL, 'z'], '/', '*') AS ats, to_char(1234.5, '99999.00') AS tc, E'line1\nline2' AS multiline;
SELECT 'wide' AS w, 'a much longer value in this column' AS long_col, '' AS empty_string;
