// The DateStyle setting: "ISO, MDY" style output format plus field order,
// validated and canonicalised as PostgreSQL's check_datestyle does.
import type { DateStyle } from '../types/io-context.js';
import { CheckFailure } from './check-failure.js';
import { splitIdentifierList } from './identifiers.js';

export const DEFAULT_DATESTYLE = 'ISO, MDY';

const STYLE_NAMES: Record<DateStyle['style'], string> = { ISO: 'ISO', SQL: 'SQL', Postgres: 'Postgres', German: 'German' };

/** Parses a canonical "Style, ORDER" string (as stored) into its parts. */
export function parseCanonicalDateStyle(value: string): DateStyle {
  const comma = value.indexOf(',');
  const style = value.slice(0, comma) as DateStyle['style'];
  const order = value.slice(comma + 1).trim() as DateStyle['order'];
  return { style, order };
}

export function formatDateStyle(ds: DateStyle): string {
  return `${STYLE_NAMES[ds.style]}, ${ds.order}`;
}

/**
 * Validates a DateStyle value such as "iso, dmy", "SQL" or "euro". Keywords
 * not given keep their part of `current` (so "SQL" after "ISO, DMY" is
 * "SQL, DMY"); "German" implies DMY unless an order is given; "default" takes
 * the parts of DEFAULT_DATESTYLE. Returns the canonical "Style, ORDER".
 */
export function checkDateStyle(value: string, current: string): string {
  const tokens = splitIdentifierList(value);
  if (tokens === null) throw new CheckFailure({ detail: 'List syntax is invalid.' });
  const cur = parseCanonicalDateStyle(current);
  let style = cur.style;
  let order = cur.order;
  let haveStyle = false;
  let haveOrder = false;
  let conflict = false;
  const setStyle = (s: DateStyle['style']) => {
    if (haveStyle && style !== s) conflict = true;
    style = s;
    haveStyle = true;
  };
  const setOrder = (o: DateStyle['order']) => {
    if (haveOrder && order !== o) conflict = true;
    order = o;
    haveOrder = true;
  };
  for (const tok of tokens) {
    switch (tok.toLowerCase()) {
      case 'iso': setStyle('ISO'); break;
      case 'sql': setStyle('SQL'); break;
      case 'postgres': setStyle('Postgres'); break;
      case 'german':
        setStyle('German');
        if (!haveOrder) order = 'DMY';
        break;
      case 'ymd': setOrder('YMD'); break;
      case 'dmy': case 'euro': case 'european': setOrder('DMY'); break;
      case 'mdy': case 'us': case 'noneuro': case 'noneuropean': setOrder('MDY'); break;
      case 'default': {
        const def = parseCanonicalDateStyle(DEFAULT_DATESTYLE);
        if (!haveStyle) style = def.style;
        if (!haveOrder) order = def.order;
        break;
      }
      default:
        throw new CheckFailure({ detail: `Unrecognized key word: "${tok}".` });
    }
    if (conflict) throw new CheckFailure({ detail: 'Conflicting "datestyle" specifications.' });
  }
  return formatDateStyle({ style, order });
}
