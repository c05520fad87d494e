// Reads the values of statement options (DefElem arguments and A_Const
// nodes) the way PostgreSQL's defGetString / defGetBoolean / defGetInt32 do,
// with their errors. constantText is the lenient form for SET-style values:
// numbers, strings, booleans and identifiers all become their text.
import { PgError, SQLSTATE } from '../../errors.js';

/** A DefElem node's body as libpg-query gives it (`{ DefElem: {...} }` unwrapped). */
export interface DefElemNode {
  defname: string;
  /** Absent when the option was given without a value (or as DEFAULT). */
  arg?: any;
  location?: number;
}

/** The text of a constant node; null for a missing argument or SQL NULL. */
export function constantText(node: any): string | null {
  if (node === undefined || node === null) return null;
  if (node.A_Const) {
    const c = node.A_Const;
    if (c.isnull) return null;
    if (c.sval) return String(c.sval.sval ?? '');
    if (c.ival) return String(c.ival.ival ?? 0); // { ival: {} } is the integer 0
    if (c.fval) return String(c.fval.fval);
    if (c.boolval) return c.boolval.boolval ? 'true' : 'false';
    return null;
  }
  if (node.String) return String(node.String.sval ?? '');
  if (node.Integer) return String(node.Integer.ival ?? 0);
  if (node.Float) return String(node.Float.fval);
  if (node.Boolean) return node.Boolean.boolval ? 'true' : 'false';
  if (node.A_Star) return '*';
  if (node.TypeName) return (node.TypeName.names ?? []).map((n: any) => n.String?.sval).join('.');
  if (node.List) return (node.List.items ?? []).map((x: any) => constantText(x)).join(',');
  return null;
}

/** A DefElem's argument as text (null when the option was given without a value). */
export function optionText(defElem: DefElemNode): string | null {
  return constantText(defElem.arg);
}

/** The error position of an option (1-based), for PgError fields. */
export function optionPosition(defElem: DefElemNode): number | undefined {
  return typeof defElem.location === 'number' && defElem.location >= 0 ? defElem.location + 1 : undefined;
}

/**
 * defGetString: numbers, strings, names (a dotted list) and * as text.
 * 42601 "<option> requires a parameter" when no value was given.
 */
export function optionString(defElem: DefElemNode): string {
  const arg = defElem.arg;
  if (arg === undefined || arg === null) {
    throw new PgError(SQLSTATE.syntax_error, `${defElem.defname} requires a parameter`);
  }
  if (arg.List) return (arg.List.items ?? []).map((x: any) => constantText(x) ?? '').join('.');
  const text = constantText(arg);
  if (text === null) throw new PgError(SQLSTATE.internal_error, `unrecognized node type in option "${defElem.defname}"`);
  return text;
}

/**
 * defGetBoolean: no value means true; otherwise 0 or 1, a boolean constant,
 * or true / false / on / off in any case. Anything else is
 * 42601 "<option> requires a Boolean value".
 */
export function optionBoolean(defElem: DefElemNode): boolean {
  const arg = defElem.arg;
  if (arg === undefined || arg === null) return true;
  if (arg.Boolean) return arg.Boolean.boolval === true;
  if (arg.Integer) {
    const v = arg.Integer.ival ?? 0;
    if (v === 0 || v === 1) return v === 1;
  } else {
    switch (optionString(defElem).toLowerCase()) {
      case 'true':
      case 'on':
        return true;
      case 'false':
      case 'off':
        return false;
    }
  }
  throw new PgError(SQLSTATE.syntax_error, `${defElem.defname} requires a Boolean value`);
}

/** defGetInt32: an integer constant, else 42601 "<option> requires an integer value". */
export function optionInteger(defElem: DefElemNode): number {
  const arg = defElem.arg;
  if (arg?.Integer) return Number(arg.Integer.ival ?? 0);
  throw new PgError(SQLSTATE.syntax_error, `${defElem.defname} requires an integer value`);
}
