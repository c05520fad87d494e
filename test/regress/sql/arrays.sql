--
-- arrays: literals, subscripts, slices, functions, unnest
--
SELECT ARRAY[1, 2, 3] AS ints, ARRAY['a', 'b c', NULL, ''] AS texts, '{1,2,3}'::int[] AS from_text, '{}'::text[] AS empty;
-- Multidimensional arrays are not supported yet (one-dimensional arrays are).
SELECT ARRAY[1.5, 2] AS numerics, ARRAY[true, false] AS bools, '{"a\"b", "c,d"}'::text[] AS quoted;
SELECT (ARRAY[10, 20, 30])[2] AS second, (ARRAY[10, 20, 30])[5] AS out_of_range, (ARRAY[10, 20, 30])[2:3] AS slice;
SELECT array_length(ARRAY[1, 2, 3], 1) AS len, array_length('{}'::int[], 1) AS empty_len, cardinality(ARRAY[1, 2, 3, 4]) AS card,
       array_lower(ARRAY[5, 6], 1) AS lower, array_upper(ARRAY[5, 6], 1) AS upper, array_ndims(ARRAY[1, 2]) AS ndims;
SELECT array_append(ARRAY[1, 2], 3) AS app, array_prepend(0, ARRAY[1, 2]) AS prep, ARRAY[1, 2] || ARRAY[3, 4] AS cat, ARRAY[1, 2] || 3 AS cat_elem;
SELECT array_position(ARRAY['a', 'b', 'c'], 'b') AS pos, array_remove(ARRAY[1, 2, 1, 3], 1) AS removed, array_replace(ARRAY[1, 2, 1], 1, 9) AS replaced;
SELECT 2 = ANY (ARRAY[1, 2, 3]) AS any_eq, 5 > ALL (ARRAY[1, 2, 3]) AS all_gt, ARRAY[1, 2] @> ARRAY[2] AS contains, ARRAY[1, 2] && ARRAY[3] AS overlap;
SELECT ARRAY[1, 2, 3] = ARRAY[1, 2, 3] AS eq, ARRAY[1, 2] < ARRAY[1, 3] AS lt, array_dims(ARRAY[4, 5, 6]) AS dims;
SELECT unnest(ARRAY[3, 1, 2]) AS u;
SELECT u, ord FROM unnest(ARRAY['p', 'q', 'r']) WITH ORDINALITY AS t(u, ord) ORDER BY ord DESC;
SELECT array_agg(g ORDER BY g DESC) AS agg, array_agg(g) FILTER (WHERE g % 2 = 1) AS odd FROM generate_series(1, 5) AS g;
SELECT ARRAY(SELECT g * 10 FROM generate_series(1, 3) AS g) AS from_subquery, array_to_string(ARRAY[1, 2, 3], '+') AS joined;
SELECT '[0:2]={7,8,9}'::int[] AS lower_bound_zero, ('[0:2]={7,8,9}'::int[])[0] AS elem_zero;
-- errors
SELECT ARRAY[1, true];
SELECT '{1,2'::int[];
