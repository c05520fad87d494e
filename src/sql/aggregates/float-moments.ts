// Mergeable float8 moment states for the float variance and regression
// aggregates. They keep PostgreSQL's (PG 12+) Youngs–Cramer representation:
// N, the sums Sx (and Sy) and the sums of squared deviations from the mean
// Sxx (Syy, Sxy), updated per row and combined with the parallel formula, so
// results match PostgreSQL's float8 accumulators bit for bit.
import { PgError, SQLSTATE } from '../../errors.js';

/** One-variable state: [N, Sx, Sxx]. */
export interface FloatMoments {
  n: number;
  sx: number;
  sxx: number;
}

/** Two-variable state for regr_*(Y, X), corr and covar_*. */
export interface FloatCoMoments {
  n: number;
  sx: number;
  sxx: number;
  sy: number;
  syy: number;
  sxy: number;
}

function overflow(): PgError {
  return new PgError(SQLSTATE.numeric_value_out_of_range, 'value out of range: overflow');
}

const nonFinite = (x: number) => x !== x || x === Infinity || x === -Infinity;

export function momentsStep(s: FloatMoments, x: number): FloatMoments {
  const oldN = s.n;
  const oldSx = s.sx;
  const n = oldN + 1;
  const sx = oldSx + x;
  let sxx = s.sxx;
  if (oldN > 0) {
    const d = x * n - sx;
    sxx += (d * d) / (n * oldN);
    if (sx === Infinity || sx === -Infinity || sxx === Infinity || sxx === -Infinity) {
      // finite inputs that overflow are an error; an infinite input makes the spread undefined
      if (!nonFinite(oldSx) && !nonFinite(x)) throw overflow();
      sxx = NaN;
    }
  } else if (nonFinite(x)) {
    sxx = NaN;
  }
  s.n = n;
  s.sx = sx;
  s.sxx = sxx;
  return s;
}

export function momentsMerge(a: FloatMoments, b: FloatMoments): FloatMoments {
  if (a.n === 0) return b;
  if (b.n === 0) return a;
  const n = a.n + b.n;
  const sx = a.sx + b.sx;
  const d = a.sx / a.n - b.sx / b.n;
  const sxx = a.sxx + b.sxx + (a.n * b.n * d * d) / n;
  if (!nonFinite(a.sx) && !nonFinite(b.sx) && (sx === Infinity || sx === -Infinity)) throw overflow();
  if (!nonFinite(a.sxx) && !nonFinite(b.sxx) && (sxx === Infinity || sxx === -Infinity)) throw overflow();
  return { n, sx, sxx };
}

export function coMomentsStep(s: FloatCoMoments, y: number, x: number): FloatCoMoments {
  const oldN = s.n;
  const n = oldN + 1;
  const sx = s.sx + x;
  const sy = s.sy + y;
  let { sxx, syy, sxy } = s;
  if (oldN > 0) {
    const dx = x * n - sx;
    const dy = y * n - sy;
    const scale = 1 / (n * oldN);
    sxx += dx * dx * scale;
    syy += dy * dy * scale;
    sxy += dx * dy * scale;
    if (nonFinite(sx) || nonFinite(sxx) || nonFinite(sy) || nonFinite(syy) || nonFinite(sxy)) {
      if (
        ((sx === Infinity || sx === -Infinity || sxx === Infinity) && !nonFinite(s.sx) && !nonFinite(x)) ||
        ((sy === Infinity || sy === -Infinity || syy === Infinity) && !nonFinite(s.sy) && !nonFinite(y)) ||
        ((sxy === Infinity || sxy === -Infinity) && !nonFinite(s.sx) && !nonFinite(x) && !nonFinite(s.sy) && !nonFinite(y))
      ) {
        throw overflow();
      }
      if (sxx === Infinity) sxx = NaN;
      if (syy === Infinity) syy = NaN;
      if (sxy === Infinity || sxy === -Infinity) sxy = NaN;
    }
  } else {
    if (nonFinite(x)) sxx = sxy = NaN;
    if (nonFinite(y)) syy = sxy = NaN;
  }
  s.n = n;
  s.sx = sx;
  s.sy = sy;
  s.sxx = sxx;
  s.syy = syy;
  s.sxy = sxy;
  return s;
}

export function coMomentsMerge(a: FloatCoMoments, b: FloatCoMoments): FloatCoMoments {
  if (a.n === 0) return b;
  if (b.n === 0) return a;
  const n = a.n + b.n;
  const dx = a.sx / a.n - b.sx / b.n;
  const dy = a.sy / a.n - b.sy / b.n;
  const f = a.n * b.n;
  return {
    n,
    sx: a.sx + b.sx,
    sy: a.sy + b.sy,
    sxx: a.sxx + b.sxx + (f * dx * dx) / n,
    syy: a.syy + b.syy + (f * dy * dy) / n,
    sxy: a.sxy + b.sxy + (f * dx * dy) / n,
  };
}
