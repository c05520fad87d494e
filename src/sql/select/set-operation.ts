// UNION / INTERSECT / EXCEPT [ALL]: both sides are planned, each output
// column takes the common type of the two sides (unknown literals are read
// as that type), then rows are combined with set or multiset semantics.
// The sides counted their own rows (ctx.countRows); the combining loops only
// check interrupts, since they keep a subset of those rows.
import { PgError, SQLSTATE } from '../../errors.js';
import { OID } from '../../types/oids.js';
import type { EvalContext } from '../functions/catalog.js';
import type { AstNode } from '../expr/ast.js';
import { selectCommonType } from '../expr/coerce.js';
import { lookupCast } from '../expr/casts.js';
import { textIn } from '../expr/type-bridge.js';
import type { ConvertFn, TypedExpr } from '../expr/typed-expr.js';
import type { OutputColumn, SelectPlan } from './relation.js';
import { dedupe, planLimit, planOutputOrder, type PlanContext } from './plan-select.js';
import { sortRows } from './sort.js';
import { rowKeyFn } from './row-key.js';
import { INTERRUPT_MASK } from '../functions/row-meter.js';

const OP_NAMES: Record<string, string> = { SETOP_UNION: 'UNION', SETOP_INTERSECT: 'INTERSECT', SETOP_EXCEPT: 'EXCEPT' };

function converter(src: number, dst: number, label: string): ConvertFn | null {
  if (src === dst) return null;
  if (src === OID.unknown) return (v, ctx) => textIn(dst, v as string, -1, ctx.io);
  const c = lookupCast(src, dst, 'implicit');
  if (!c) {
    throw new PgError(SQLSTATE.cannot_coerce, `${label} could not convert type ${src} to ${dst}`);
  }
  return c.convert;
}

export function planSetOperation(body: AstNode, pctx: PlanContext, planLeaf: (b: AstNode) => SelectPlan): SelectPlan {
  const label = OP_NAMES[body.op as string];
  const left = planLeaf(body.larg);
  const right = planLeaf(body.rarg);
  if (left.columns.length !== right.columns.length) {
    throw new PgError(SQLSTATE.syntax_error, `each ${label} query must have the same number of columns`);
  }
  const fake = (t: number): TypedExpr => ({ kind: 'const', value: null, type: t, typmod: -1, location: -1 });
  const columns: OutputColumn[] = [];
  const convL: (ConvertFn | null)[] = [];
  const convR: (ConvertFn | null)[] = [];
  left.columns.forEach((lc, i) => {
    const rc = right.columns[i];
    const type = selectCommonType([fake(lc.typeOid), fake(rc.typeOid)], label);
    convL.push(converter(lc.typeOid, type, label));
    convR.push(converter(rc.typeOid, type, label));
    columns.push({ name: lc.name, typeOid: type, typmod: lc.typmod === rc.typmod && lc.typeOid === type ? lc.typmod : -1 });
  });
  const convert = (rows: unknown[][], conv: (ConvertFn | null)[], ctx: EvalContext) => {
    if (conv.every((c) => c === null)) return rows;
    const out: unknown[][] = new Array(rows.length);
    for (let k = 0; k < rows.length; k++) {
      if ((k & INTERRUPT_MASK) === INTERRUPT_MASK) ctx.checkInterrupts();
      out[k] = rows[k].map((v, i) => (v === null || conv[i] === null ? v : conv[i]!(v, ctx)));
    }
    return out;
  };
  const key = rowKeyFn(columns.map((c) => c.typeOid));
  const all = body.all === true;
  const op = body.op as string;
  const order = planOutputOrder(body, columns, 'SETOP');
  const limit = planLimit(body, pctx, order);
  return {
    columns,
    run(ctx) {
      // LIMIT / OFFSET are evaluated before any row is made, as PostgreSQL does.
      const { needed, cut } = limit(ctx);
      if (needed === 0) return [];
      const l = convert(left.run(ctx), convL, ctx);
      // UNION ALL without ORDER BY: the right branch is not run once the left gives enough rows.
      if (op === 'SETOP_UNION' && all && !order && needed !== null && l.length >= needed) return cut(l);
      const r = convert(right.run(ctx), convR, ctx);
      let out: unknown[][];
      if (op === 'SETOP_UNION') {
        out = all ? l.concat(r) : dedupe(l.concat(r), key, ctx);
      } else {
        let steps = 0;
        const counts = new Map<string, number>();
        for (const row of r) {
          if ((++steps & INTERRUPT_MASK) === 0) ctx.checkInterrupts();
          const k = key(row);
          counts.set(k, (counts.get(k) ?? 0) + 1);
        }
        out = [];
        if (op === 'SETOP_INTERSECT') {
          const taken = new Set<string>();
          for (const row of l) {
            if ((++steps & INTERRUPT_MASK) === 0) ctx.checkInterrupts();
            const k = key(row);
            const c = counts.get(k) ?? 0;
            if (c === 0) continue;
            if (all) {
              counts.set(k, c - 1);
              out.push(row);
            } else if (!taken.has(k)) {
              taken.add(k);
              out.push(row);
            }
          }
        } else {
          const taken = new Set<string>();
          for (const row of l) {
            if ((++steps & INTERRUPT_MASK) === 0) ctx.checkInterrupts();
            const k = key(row);
            const c = counts.get(k) ?? 0;
            if (all) {
              if (c > 0) counts.set(k, c - 1);
              else out.push(row);
            } else if (c === 0 && !taken.has(k)) {
              taken.add(k);
              out.push(row);
            }
          }
        }
      }
      if (order) sortRows(out, order, ctx);
      return cut(out);
    },
  };
}
