--
-- Introspection of streams and continuous queries: pipelinedb.views,
-- pipelinedb.transforms, pipelinedb.stream_readers and the get_*()
-- functions behind them (PipelineDB 1.0's column names and types), and
-- what reading a stream directly does.
--
\set VERBOSITY verbose
-- empty catalog
SELECT * FROM pipelinedb.views;
SELECT * FROM pipelinedb.get_streams();
SELECT * FROM pipelinedb.stream_readers;
CREATE STREAM pin_clicks (url text, user_id integer, latency float8);
CREATE STREAM pin_idle (x integer);
CREATE VIEW pin_by_url AS SELECT url, count(*) AS hits FROM pin_clicks GROUP BY url;
CREATE CONTINUOUS VIEW pin_latency AS SELECT avg(latency), max(latency) FROM pin_clicks;
-- count(DISTINCT) in a continuous view is maintained with a HyperLogLog.
CREATE VIEW pin_users WITH (action=materialize) AS SELECT count(DISTINCT user_id) FROM pin_clicks;
CREATE VIEW pin_fwd WITH (action=transform, outputfunc=pipelinedb.insert_into_stream('pin_idle')) AS SELECT user_id AS x FROM pin_clicks WHERE latency > 1.5;
CREATE CONTINUOUS TRANSFORM pin_noop AS SELECT url FROM pin_clicks;
-- column names and types
SELECT * FROM pipelinedb.views \gdesc
SELECT * FROM pipelinedb.transforms \gdesc
SELECT * FROM pipelinedb.get_streams() \gdesc
SELECT * FROM pipelinedb.stream_readers \gdesc
-- contents
SELECT * FROM pipelinedb.views ORDER BY id;
SELECT * FROM pipelinedb.get_views() ORDER BY id;
SELECT id, name, active, tgfunc, tgargs, query FROM pipelinedb.transforms ORDER BY id;
SELECT * FROM pipelinedb.get_transforms() ORDER BY id;
SELECT * FROM pipelinedb.get_streams() ORDER BY name;
SELECT * FROM pipelinedb.get_stream_readers();
SELECT * FROM pipelinedb.stream_readers;
SELECT s.name, q FROM pipelinedb.get_streams() s, unnest(s.queries) AS q ORDER BY q;
SELECT g.name AS view_name FROM pipelinedb.get_views() AS g WHERE g.active ORDER BY 1;
SELECT * FROM pipelinedb.get_views() AS g(a, b, c) ORDER BY a;
-- ids are reused once freed
DROP VIEW pin_latency;
CREATE VIEW pin_latency2 AS SELECT min(latency) FROM pin_clicks;
SELECT id, name FROM pipelinedb.views ORDER BY id;
-- streams are only read by continuous queries
SELECT * FROM pin_clicks;
SELECT url FROM public.pin_clicks;
SELECT count(*) FROM pin_idle, generate_series(1, 2);
-- unknown names in the pipelinedb schema
SELECT * FROM pipelinedb.nosuch;
SELECT * FROM nosuchschema.pin_clicks;
DROP STREAM pin_clicks, pin_idle CASCADE;
SELECT * FROM pipelinedb.get_streams();
