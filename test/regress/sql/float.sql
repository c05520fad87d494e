--
-- float: float4/float8 text output
-- PG11: output is sprintf("%.*g", DBL_DIG + extra_float_digits) for float8
-- (FLT_DIG + extra_float_digits for float4): 15 significant digits at the
-- default extra_float_digits = 0, 18 (float4: 9) at 3. PostgreSQL 12 and
-- later print the shortest exact form whenever extra_float_digits > 0, so
-- expected/float.out was written by hand from the PG11 rule and
-- expected/pg15/float.out is what 15 prints.
--
SET extra_float_digits = 0;
-- PG11: 15 significant digits
SELECT 0.1::float8 AS tenth, (1::float8 / 3) AS third, (2::float8 / 3) AS two_thirds, (0.1::float8 + 0.2::float8) AS sum;
SELECT 1.5::float8 AS exact, 100::float8 AS hundred, 1e100::float8 AS big, 1e-7::float8 AS tiny, -0.0::float8 AS negzero;
SELECT 'NaN'::float8 AS nan, 'Infinity'::float8 AS inf, '-Infinity'::float8 AS ninf, 3.14159::float8 AS pi_ish;
-- PG11: float4 with 6 significant digits
SELECT 0.1::float4 AS f4_tenth, (1::float4 / 3::float4) AS f4_third, 1.5::float4 AS f4_exact, 123456789::float4 AS f4_big;
SELECT 1e15::float8 AS e15, 1e16::float8 AS e16, 123456789012345678::float8 AS long_int;
SET extra_float_digits = 3;
-- PG11: 18 significant digits (%.18g)
SELECT 0.1::float8 AS tenth, (1::float8 / 3) AS third, (2::float8 / 3) AS two_thirds, (0.1::float8 + 0.2::float8) AS sum;
SELECT 1.5::float8 AS exact, 100::float8 AS hundred, 1e100::float8 AS big, 1e-7::float8 AS tiny, 3.14159::float8 AS pi_ish;
-- PG11: float4 with 9 significant digits
SELECT 0.1::float4 AS f4_tenth, (1::float4 / 3::float4) AS f4_third, 1.5::float4 AS f4_exact;
SET extra_float_digits = -3;
-- PG11 and 15 agree below zero: DBL_DIG + extra_float_digits = 12 digits
SELECT (1::float8 / 3) AS third_12_digits, 0.1::float8 AS tenth;
RESET extra_float_digits;
-- float arithmetic and functions (values exact at 15 digits)
SELECT 2::float8 ^ 0.5 AS sqrt2, sqrt(16::float8) AS sqrt16, cbrt(27::float8) AS cbrt27, ln(1::float8) AS ln1, exp(0::float8) AS exp0;
SELECT 7::float8 / 2 AS div, round(2.5::float8) AS round_even, round(3.5::float8) AS round_up, trunc(-2.7::float8) AS trunc, floor(-2.5::float8) AS floor;
SELECT pg_typeof(1.5::float4 + 1) AS f4_plus_int, pg_typeof(1.5::float4 * 1.5::float8) AS mixed, pg_typeof(1.5 + 1.5::float8) AS num_plus_f8;
SELECT 1e308::float8 * 10;
SELECT 1::float8 / 0;
SELECT 'abc'::float8;
SELECT sum(g::float8) / 10 AS tenths FROM generate_series(1, 3) AS g;
