// Small helpers for reading libpg-query's JSON AST: every node is an object
// with one key naming its type ({A_Const: {...}}).

export type AstNode = Record<string, any>;

/** The node type name and its body: ['A_Const', {...}]. */
export function nodeKind(node: unknown): [string, any] {
  if (node === null || typeof node !== 'object') throw new Error('not an AST node');
  for (const k in node as object) return [k, (node as AstNode)[k]];
  throw new Error('empty AST node');
}

/** The string values of a list of {String:{sval}} nodes. */
export function nameList(list: unknown[] | undefined): string[] {
  if (!list) return [];
  return list.map((n) => {
    const s = (n as AstNode).String;
    return s ? (s.sval as string) ?? '' : '*';
  });
}

/**
 * The leftmost location (0-based) in a raw expression, -1 when none: where
 * PostgreSQL's exprLocation points for an analyzed expression (`2 + 3` at
 * the 2, `'2'::int` at the quote), as its errors about a whole expression
 * or row do. Every token of an expression lies within its text, so this is
 * the smallest location anywhere in the tree.
 */
export function leftmostLocation(node: unknown): number {
  let best = -1;
  const visit = (n: unknown): void => {
    if (n === null || typeof n !== 'object') return;
    if (Array.isArray(n)) {
      for (const x of n) visit(x);
      return;
    }
    for (const [k, v] of Object.entries(n)) {
      if (k === 'location') {
        if (typeof v === 'number' && v >= 0 && (best < 0 || v < best)) best = v;
      } else {
        visit(v);
      }
    }
  };
  visit(node);
  return best;
}

/** Best-effort location (0-based) of a node, -1 when none. */
export function locationOf(node: unknown): number {
  if (node === null || typeof node !== 'object') return -1;
  const [, body] = nodeKind(node);
  if (body && typeof body.location === 'number') return body.location;
  if (body && body.lexpr) return locationOf(body.lexpr);
  if (body && body.arg) return locationOf(body.arg);
  return -1;
}
