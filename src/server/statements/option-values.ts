// Reads the constant values of statement options (DefElem arguments and
// A_Const nodes) the way PostgreSQL's defGetString does: numbers, strings,
// booleans and identifiers all become their text.

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
export function optionText(defElem: any): string | null {
  return constantText(defElem.arg);
}
