import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXAMPLE_CONF_PATH, renderExampleConf } from './example-conf.js';
import { formatSettingValue } from './setting-values.js';
import { SETTING_DEFINITIONS } from './settings-definitions.js';
import { ServerSettings } from './server-settings.js';
import { parseConfText } from './conf-file.js';

const text = readFileSync(EXAMPLE_CONF_PATH, 'utf8');

test('pipelinedb.conf.example is the rendered example (regenerate it when settings change)', () => {
  assert.equal(text, renderExampleConf());
});

test('the example lists every file-settable setting, commented out, and nothing else', () => {
  const listed = [...text.matchAll(/^#([A-Za-z_][\w.]*) = /gm)].map((m) => m[1]);
  const expected = SETTING_DEFINITIONS.filter((d) => !d.notInFile).map((d) => d.name);
  assert.deepEqual([...listed].sort(), [...expected].sort());
  assert.equal(new Set(listed).size, listed.length);
  assert.equal(parseConfText(text).items.length, 0, 'everything is commented out');
});

test('uncommented, the example parses and yields every default', () => {
  const uncommented = text.replace(/^#([A-Za-z_][\w.]*) = /gm, '$1 = ');
  const dir = mkdtempSync(join(tmpdir(), 'example-'));
  writeFileSync(join(dir, 'pipelinedb.conf'), uncommented);
  const s = new ServerSettings({ configFile: join(dir, 'pipelinedb.conf'), env: {} });
  for (const def of SETTING_DEFINITIONS) {
    if (def.notInFile) continue;
    assert.equal(s.source(def.name), 'file', def.name);
    assert.equal(s.show(def.name), formatSettingValue(def, def.default), def.name);
  }
});
