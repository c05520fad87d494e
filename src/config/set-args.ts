// Building a setting's text from the argument list of `SET name = a, b, ...`
// the way PostgreSQL's flatten_set_variable_args does.
import { PgError, SQLSTATE } from '../errors.js';
import { downcaseIdentifier, quoteIdentifier } from './identifiers.js';
import type { SettingDef } from './settings-definitions.js';

/**
 * One argument of SET. 'string': a quoted literal or an identifier the parser
 * already case-folded (libpg-query gives both as string constants), used as
 * is; 'ident': a bare identifier, lower-cased here; 'number': a numeric
 * literal's text ("3", "-5", "5.5").
 */
export interface SetArg {
  kind: 'string' | 'number' | 'ident';
  value: string;
}

/**
 * Joins SET arguments into the setting's text: list settings join elements
 * with ", " (quoting names of GUC_LIST_QUOTE settings such as search_path);
 * any other setting takes exactly one argument. `def` is undefined for
 * placeholder (custom "a.b") settings.
 */
export function flattenSetArgs(name: string, def: SettingDef | undefined, args: readonly SetArg[]): string {
  if (args.length !== 1 && !def?.listInput) {
    throw new PgError(SQLSTATE.invalid_parameter_value, `SET ${name} takes only one argument`);
  }
  let out = '';
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (i > 0) out += ', ';
    if (a.kind === 'number') {
      out += a.value;
      continue;
    }
    const text = a.kind === 'ident' ? downcaseIdentifier(a.value) : a.value;
    out += def?.listQuote ? quoteIdentifier(text) : text;
  }
  return out;
}
