// The example configuration file: every setting that may appear in
// pipelinedb.conf, commented out with its default, grouped by category.
// pipelinedb.conf.example at the repository root is this text; `init` writes
// it into new data directories as pipelinedb.conf.
import { fileURLToPath } from 'node:url';
import { formatSettingValue } from './setting-values.js';
import { SETTING_DEFINITIONS, type SettingDef } from './settings-definitions.js';

/** Absolute path of pipelinedb.conf.example (from dist/src/config/ up to the repository root). */
export const EXAMPLE_CONF_PATH = fileURLToPath(new URL('../../../pipelinedb.conf.example', import.meta.url));

const HEADER = `# -----------------------------
# PipelineDB configuration file
# -----------------------------
#
# Read at server start and again on reload (SIGHUP, or pipeline-ctl reload).
# One setting per line:
#
#   name = value          (the "=" is optional)
#
# Names are case-insensitive; PipelineDB 0.9 names (continuous_query_*,
# stream_insert_level, ...) are accepted as aliases of the pipelinedb.* names.
# Values: booleans on/off, true/false, yes/no, 1/0; numbers, with units where
# the setting has one (time: ms, s, min, h, d; memory: B, kB, MB, GB, TB);
# strings in single quotes ('' or \\' for a quote inside). "#" starts a comment.
#
# include 'file', include_if_exists 'file' and include_dir 'directory' read
# more settings; relative paths are relative to the including file.
#
# Every setting below is commented out and shows its default. Settings marked
# "(change requires restart)" are read only at server start. Command-line
# options (-c name=value) override this file. At start an invalid file stops
# the server; at reload an invalid file is ignored and logged.
`;

function quoteConfString(s: string): string {
  return `'${s.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
}

const BARE_WORD = /^[A-Za-z_][A-Za-z0-9_\-.:/]*$/;

/** A value written the way the configuration file reads it back. */
export function confValueText(def: SettingDef, value = def.default): string {
  switch (def.type) {
    case 'string':
      return quoteConfString(value as string);
    case 'enum':
      return BARE_WORD.test(value as string) ? (value as string) : quoteConfString(value as string);
    default:
      return formatSettingValue(def, value);
  }
}

function notes(def: SettingDef): string {
  const parts: string[] = [];
  if (def.type === 'enum') parts.push(`values: ${def.values!.join(', ')}`);
  if ((def.type === 'int' || def.type === 'real') && def.min !== undefined) {
    const fmt = (v: number) => formatSettingValue(def, v);
    parts.push(`range ${fmt(def.min)} .. ${fmt(def.max!)}${def.unit ? `, unit ${def.unit}` : ''}`);
  }
  if (def.aliases?.length) parts.push(`0.9 name: ${def.aliases.join(', ')}`);
  if (def.context === 'postmaster') parts.push('change requires restart');
  if (def.context === 'superuser') parts.push('sessions: superuser only');
  return parts.length ? ` (${parts.join('; ')})` : '';
}

/** Text of the example configuration file. */
export function renderExampleConf(): string {
  const byCategory = new Map<string, SettingDef[]>();
  for (const def of SETTING_DEFINITIONS) {
    if (def.notInFile) continue;
    let list = byCategory.get(def.category);
    if (list === undefined) byCategory.set(def.category, (list = []));
    list.push(def);
  }
  const out: string[] = [HEADER];
  let lastGroup = '';
  for (const [category, defs] of byCategory) {
    const [group, sub] = category.split(' / ') as [string, string | undefined];
    if (group !== lastGroup) {
      out.push('', '#' + '-'.repeat(78), `# ${group.toUpperCase()}`, '#' + '-'.repeat(78));
      lastGroup = group;
    }
    if (sub !== undefined) out.push('', `# - ${sub} -`);
    for (const def of defs) {
      out.push('', `# ${def.description}${notes(def)}`, `#${def.name} = ${confValueText(def)}`);
    }
  }
  return out.join('\n') + '\n';
}
