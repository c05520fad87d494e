// The benchmark's data and the SQL each side runs. The classic PipelineDB
// view cv1 (count, avg, min, max, sum of val per id) over ids uniform in
// [1, 1,000,000] and values uniform in [1, 5,000,000]; PostgreSQL keeps the
// same aggregates in an upsert roll-up table (its best equivalent of a
// continuous view), and bare INSERTs into an unlogged table give the ceiling.
import { mulberry32 } from '../../src/testing/prng.js';

export const IDS = 1_000_000;
export const VALUES = 5_000_000;

export const OURS_DDL = [
  'CREATE FOREIGN TABLE cv1_stream (id integer, val integer) SERVER pipelinedb',
  'CREATE VIEW cv1 WITH (action=materialize) AS SELECT id, count(*), avg(val), min(val), max(val), sum(val) FROM cv1_stream GROUP BY id',
];

/** A second view on the same stream, to show the cost of sketches. */
export const OURS_SKETCH_VIEW =
  'CREATE VIEW cv1_sketch WITH (action=materialize) AS SELECT id % 1000 AS bucket, count(DISTINCT val) AS uniques, ' +
  'percentile_cont(0.99) WITHIN GROUP (ORDER BY val) AS p99 FROM cv1_stream GROUP BY bucket';

export const PG_DDL = [
  'CREATE TABLE cv1 (id integer PRIMARY KEY, count bigint NOT NULL, sum bigint NOT NULL, min integer NOT NULL, max integer NOT NULL)',
  'CREATE UNLOGGED TABLE cv1_raw (id integer, val integer)',
  'CREATE UNLOGGED TABLE cv1_staging (id integer, val integer)',
];

/** PostgreSQL's roll-up of one row: the same aggregates as cv1 (avg is sum / count at read time). */
export const PG_UPSERT =
  'INSERT INTO cv1 (id, count, sum, min, max) VALUES (:id, 1, :val, :val, :val) ' +
  'ON CONFLICT (id) DO UPDATE SET count = cv1.count + 1, sum = cv1.sum + excluded.sum, ' +
  'min = least(cv1.min, excluded.min), max = greatest(cv1.max, excluded.max)';

/** PostgreSQL's roll-up of a staged batch (COPY into cv1_staging, then this). */
export const PG_ROLLUP_STAGING =
  'INSERT INTO cv1 (id, count, sum, min, max) SELECT id, count(*), sum(val), min(val), max(val) FROM cv1_staging GROUP BY id ' +
  'ON CONFLICT (id) DO UPDATE SET count = cv1.count + excluded.count, sum = cv1.sum + excluded.sum, ' +
  'min = least(cv1.min, excluded.min), max = greatest(cv1.max, excluded.max)';

const RANDOM_ROW = `\\set id random(1, ${IDS})\n\\set val random(1, ${VALUES})\n`;

export const SCRIPTS = {
  oursInsert: `${RANDOM_ROW}INSERT INTO cv1_stream (id, val) VALUES (:id, :val);\n`,
  pgUpsert: `${RANDOM_ROW}${PG_UPSERT};\n`,
  pgBareInsert: `${RANDOM_ROW}INSERT INTO cv1_raw (id, val) VALUES (:id, :val);\n`,
  pointRead: `\\set id random(1, ${IDS})\nSELECT * FROM cv1 WHERE id = :id;\n`,
  pgPointRead: `\\set id random(1, ${IDS})\nSELECT id, count, sum::numeric / count AS avg, min, max, sum FROM cv1 WHERE id = :id;\n`,
  fullAggregate: 'SELECT sum(count) FROM cv1;\n',
  topGroups: 'SELECT * FROM cv1 ORDER BY count DESC, id LIMIT 10;\n',
  pgTopGroups: 'SELECT id, count, sum::numeric / count AS avg, min, max, sum FROM cv1 ORDER BY count DESC, id LIMIT 10;\n',
  wholeView: 'SELECT * FROM cv1;\n',
  pgWholeView: 'SELECT id, count, sum::numeric / count AS avg, min, max, sum FROM cv1;\n',
};

/** A deterministic generator of (id, val) rows, the same for both servers. */
export function rowSource(seed: number): () => [number, number] {
  const next = mulberry32(seed);
  return () => [1 + Math.floor(next() * IDS), 1 + Math.floor(next() * VALUES)];
}

/** Tab-separated COPY text of `n` rows. */
export function copyText(n: number, seed: number): string {
  const row = rowSource(seed);
  const parts: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const [id, val] = row();
    parts[i] = `${id}\t${val}\n`;
  }
  return parts.join('');
}
