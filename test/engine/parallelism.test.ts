// The same deterministic input through 1 worker / 1 combiner and through
// 4 workers / 4 combiners must give identical view contents, text for text.
// Only order-independent aggregates appear (integers, numeric, text, dates,
// and sketches whose merge is order-independent: HLL and Bloom unions,
// Count-Min sums, the hypothetical-set counters), so any difference is a
// lost, duplicated or mis-merged partial.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from '../harness/server.js';
import { withClient } from '../harness/pg-client.js';
import { haveBinary } from '../harness/psql.js';
import { GroupTotals, SYNC_COMMIT, engineSkip, insertStatements, psqlOk, seededInts, textRows } from './engine-helpers.js';

const INSERT_ROWS = 40_000;
const COPY_ROWS = 20_000;
const skip = engineSkip || (haveBinary('psql') ? false : 'psql is not installed');

const DDL = [
  'CREATE STREAM par_s (id int, val int, name text, ts timestamp, big bigint)',
  'CREATE CONTINUOUS VIEW par_cv1 AS SELECT id,count(*),avg(val),min(val),max(val),sum(val) FROM par_s GROUP BY id',
  'CREATE CONTINUOUS VIEW par_multi AS SELECT id % 7 AS bucket, name, count(*), sum(val::numeric) AS total, avg(big) AS avg_big, min(name || id) AS first_tag, max(ts) AS last_ts FROM par_s GROUP BY bucket, name',
  'CREATE CONTINUOUS VIEW par_global AS SELECT count(*), sum(val), avg(val), min(ts), max(ts), sum(big) AS sum_big FROM par_s',
  "CREATE VIEW par_hourly WITH (action=materialize) AS SELECT date_trunc('hour', ts) AS hour, count(*), sum(big) FROM par_s WHERE val % 3 <> 0 GROUP BY hour",
  'CREATE CONTINUOUS VIEW par_more AS SELECT id % 13 AS k, var_pop(val) AS vp, stddev_samp(big) AS sd, bit_and(val) AS band, bit_or(val) AS bor, ' +
    'bool_or(val > 4990000) AS any_big, every(val > 0) AS all_pos, count(DISTINCT name) AS names, hll_agg(val) AS h, exact_count_distinct(id) AS ids, ' +
    'keyed_max(big, name) AS name_of_max, rank(2500000) WITHIN GROUP (ORDER BY val) AS r, dense_rank(2500000) WITHIN GROUP (ORDER BY val) AS dr, ' +
    "cume_dist(2500000) WITHIN GROUP (ORDER BY val DESC) AS cd, freq_agg(name) AS f, bloom_agg(id) AS b, set_agg(name) AS names_seen FROM par_s GROUP BY k",
];

const READS = [
  'SELECT id, count, avg, min, max, sum FROM par_cv1 ORDER BY id',
  'SELECT * FROM par_multi ORDER BY bucket, name',
  'SELECT * FROM par_global',
  'SELECT * FROM par_hourly ORDER BY hour',
  'SELECT k, vp, sd, band, bor, any_big, all_pos, names, h, hll_cardinality(h), ids, name_of_max, r, dr, cd, f, freq(f, \'cat\'), b, bloom_cardinality(b), ' +
    'set_cardinality(names_seen) FROM par_more ORDER BY k',
  "SELECT combine(vp), combine(names), hll_cardinality(combine(h)), combine(ids), combine(r), combine(dr), combine(cd), freq(combine(f), 'fox'), bloom_contains(combine(b), 300) FROM par_more",
];

interface Input {
  insertSql: string;
  copyText: string;
  cv1: GroupTotals;
}

function buildInput(): Input {
  const rand = seededInts(4_4_4);
  const cv1 = new GroupTotals();
  const names = ['ant', 'bee', 'cat', 'dog', 'eel', 'fox'];
  const row = () => {
    const id = rand(1, 300);
    const val = rand(1, 5_000_000);
    cv1.add(id, val);
    const name = names[rand(0, names.length - 1)];
    const ts = `2018-06-${String(rand(1, 3)).padStart(2, '0')} ${String(rand(0, 23)).padStart(2, '0')}:${String(rand(0, 59)).padStart(2, '0')}:00`;
    const big = BigInt(rand(0, 2_000_000_000)) * 4_000_000_000n + BigInt(rand(0, 1000));
    return { id, val, name, ts, big };
  };
  const values: string[] = [];
  for (let i = 0; i < INSERT_ROWS; i++) {
    const r = row();
    values.push(`(${r.id},${r.val},'${r.name}','${r.ts}',${r.big})`);
  }
  const lines: string[] = [];
  for (let i = 0; i < COPY_ROWS; i++) {
    const r = row();
    lines.push(`${r.id}\t${r.val}\t${r.name}\t${r.ts}\t${r.big}`);
  }
  return { insertSql: insertStatements('par_s', 'id, val, name, ts, big', values, 1000), copyText: lines.join('\n') + '\n', cv1 };
}

async function runWorkload(parallelism: number, input: Input): Promise<(string | null)[][][]> {
  const server = await startTestServer({
    settings: { ...SYNC_COMMIT, 'pipelinedb.num_workers': String(parallelism), 'pipelinedb.num_combiners': String(parallelism) },
  });
  try {
    await withClient(server, async (c) => {
      assert.deepEqual(await textRows(c, 'SHOW pipelinedb.num_workers'), [[String(parallelism)]]);
      assert.deepEqual(await textRows(c, 'SHOW pipelinedb.num_combiners'), [[String(parallelism)]]);
      for (const ddl of DDL) await c.query(ddl);
    });
    // Two concurrent writers: the INSERT script and a COPY.
    await Promise.all([
      psqlOk(server, ['-q', '-f', '-'], { stdin: input.insertSql }),
      psqlOk(server, ['-c', 'COPY par_s (id, val, name, ts, big) FROM STDIN'], { stdin: input.copyText }),
    ]);
    return await withClient(server, async (c) => {
      const out: (string | null)[][][] = [];
      for (const q of READS) out.push(await textRows(c, q));
      return out;
    });
  } finally {
    await server.stop();
  }
}

test('4 workers and 4 combiners give the same text as 1 and 1', { skip, timeout: 300_000 }, async () => {
  const input = buildInput();
  const single = await runWorkload(1, input);
  assert.deepEqual(single[0], input.cv1.cv1Rows(), 'par_cv1 with 1 worker / 1 combiner');
  assert.equal(single[2][0][0], String(INSERT_ROWS + COPY_ROWS));
  const combined = single[READS.length - 1][0];
  assert.equal(combined[1], '6', 'count(DISTINCT name) over all groups');
  assert.equal(combined[3], '300', 'exact_count_distinct(id) over all groups');
  assert.equal(combined[8], 't', 'bloom_contains');
  const parallel = await runWorkload(4, input);
  for (let i = 0; i < READS.length; i++) assert.deepEqual(parallel[i], single[i], READS[i]);
});
