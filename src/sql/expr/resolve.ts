// PostgreSQL's overloaded operator/function resolution (the rules of
// "Type Conversion: Operators / Functions" in the manual): exact match, then
// candidates reachable by implicit casts, narrowed by exact-match counts,
// preferred types, and the categories of unknown-typed arguments.
import { OID } from '../../types/oids.js';
import { canCoerceAll, isPolymorphic, isPreferredType, typeCategory } from './cast-rules.js';

export interface Candidate<T> {
  def: T;
  /** Declared argument types, expanded for variadic calls. */
  args: number[];
}

export type Resolution<T> = { kind: 'ok'; cand: Candidate<T> } | { kind: 'none' } | { kind: 'ambiguous' };

export function selectCandidate<T>(cands: Candidate<T>[], inputs: number[], binaryOp = false): Resolution<T> {
  const n = inputs.length;
  const usable = cands.filter((c) => c.args.length === n);
  if (usable.length === 0) return { kind: 'none' };

  // Exact match (for binary operators, an unknown side is assumed to be the other side's type).
  let probe = inputs;
  if (binaryOp && n === 2) {
    if (inputs[0] === OID.unknown && inputs[1] !== OID.unknown) probe = [inputs[1], inputs[1]];
    else if (inputs[1] === OID.unknown && inputs[0] !== OID.unknown) probe = [inputs[0], inputs[0]];
  }
  for (const c of usable) if (sameTypes(c.args, inputs)) return { kind: 'ok', cand: c };
  if (probe !== inputs) for (const c of usable) if (sameTypes(c.args, probe)) return { kind: 'ok', cand: c };

  let list = usable.filter((c) => canCoerceAll(inputs, c.args, 'implicit'));
  if (list.length === 0) return { kind: 'none' };
  if (list.length === 1) return { kind: 'ok', cand: list[0] };

  // Most exact matches on known-type inputs.
  list = keepBest(list, (c) => {
    let m = 0;
    for (let i = 0; i < n; i++) if (inputs[i] !== OID.unknown && c.args[i] === inputs[i]) m++;
    return m;
  });
  if (list.length === 1) return { kind: 'ok', cand: list[0] };

  // Most preferred types (of the input's category) where conversion is needed.
  list = keepBest(list, (c) => {
    let m = 0;
    for (let i = 0; i < n; i++) {
      if (inputs[i] === OID.unknown) continue;
      if (c.args[i] === inputs[i] || isPreferredType(typeCategory(inputs[i]), c.args[i])) m++;
    }
    return m;
  });
  if (list.length === 1) return { kind: 'ok', cand: list[0] };

  // Unknown inputs: pick a category per position (string wins, else it must be unanimous).
  if (inputs.includes(OID.unknown)) {
    let remaining = list;
    let resolved = true;
    const slotCategory: (string | null)[] = [];
    const slotPreferred: boolean[] = [];
    for (let i = 0; i < n && resolved; i++) {
      if (inputs[i] !== OID.unknown) continue;
      let category: string | null = null;
      let preferred = false;
      let conflict = false;
      for (const c of remaining) {
        const cat = categoryOf(c.args[i]);
        const pref = isPreferredType(cat, c.args[i]);
        if (category === null) {
          category = cat;
          preferred = pref;
        } else if (cat === category) {
          preferred ||= pref;
        } else if (cat === 'S') {
          // the string category wins whenever a candidate offers it
          category = 'S';
          preferred = pref;
        } else {
          conflict = true;
        }
      }
      if (conflict && category !== 'S') {
        resolved = false;
        break;
      }
      slotCategory[i] = category;
      slotPreferred[i] = preferred;
    }
    if (resolved) {
      remaining = remaining.filter((c) => {
        for (let i = 0; i < n; i++) {
          if (inputs[i] !== OID.unknown) continue;
          const cat = categoryOf(c.args[i]);
          if (cat !== slotCategory[i]) return false;
          if (slotPreferred[i] && !isPreferredType(cat, c.args[i])) return false;
        }
        return true;
      });
      if (remaining.length === 1) return { kind: 'ok', cand: remaining[0] };
      if (remaining.length > 0) list = remaining;
    }

    // All known inputs share one type: assume the unknowns are that type too.
    let known = 0;
    let same = true;
    for (const t of inputs) {
      if (t === OID.unknown) continue;
      if (known && known !== t) same = false;
      known = t;
    }
    if (known && same) {
      // Treat every input as that type and require the whole signature to fit.
      const assumed = inputs.map(() => known);
      const fits = list.filter((c) => canCoerceAll(assumed, c.args, 'implicit'));
      if (fits.length === 1) return { kind: 'ok', cand: fits[0] };
    }
  }
  return { kind: 'ambiguous' };
}

/** Pseudo-types count as their own category for the unknown-argument rule. */
function categoryOf(t: number): string {
  return isPolymorphic(t) || t === OID.any ? 'P' : typeCategory(t);
}

function sameTypes(a: number[], b: number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function keepBest<T>(list: Candidate<T>[], score: (c: Candidate<T>) => number): Candidate<T>[] {
  let best = -1;
  let out: Candidate<T>[] = [];
  for (const c of list) {
    const s = score(c);
    if (s > best) {
      best = s;
      out = [c];
    } else if (s === best) out.push(c);
  }
  return out;
}
