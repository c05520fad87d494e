// After the parser has read a rewritten text: puts each statement back in
// the user's terms. Offsets (the statement's range, every `location` in its
// tree) are mapped to the user's text, and placeholders become the custom
// statements they stand for.
import { PgError, SQLSTATE } from '../../errors.js';
import { PLACEHOLDER_KIND, type PipelineRewrite } from './rewrite.js';

export interface RestoredStatement {
  node: Record<string, any>;
  kind: string;
  /** Range in the user's text. */
  start: number;
  end: number;
}

/** `ordinal` counts the non-empty statements from 0; start/end are offsets in rewrite.text. */
export function restoreStatement(
  rewrite: PipelineRewrite,
  ordinal: number,
  node: Record<string, any>,
  kind: string,
  start: number,
  end: number,
): RestoredStatement {
  const range = { start: rewrite.toOriginal(start), end: rewrite.toOriginal(end) };
  const custom = rewrite.custom.get(ordinal);
  if (custom) {
    // The splitter and the parser must agree on statement boundaries.
    if (kind !== PLACEHOLDER_KIND) throw new PgError(SQLSTATE.internal_error, 'could not match PipelineDB statement boundaries');
    return { node: custom.node, kind: custom.kind, ...range };
  }
  remapLocations(node, rewrite.toOriginal);
  return { node, kind, ...range };
}

/** Replaces every non-negative `location` in a parse tree with its offset in the user's text. */
function remapLocations(node: unknown, toOriginal: (p: number) => number): void {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const item of node) remapLocations(item, toOriginal);
    return;
  }
  const obj = node as Record<string, unknown>;
  for (const key in obj) {
    const v = obj[key];
    if (key === 'location' && typeof v === 'number') {
      if (v >= 0) obj[key] = toOriginal(v);
    } else if (v !== null && typeof v === 'object') remapLocations(v, toOriginal);
  }
}
