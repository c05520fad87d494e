// Builds a rewritten SQL text from the original plus edits, remembering where
// every output character came from, so positions the parser reports in the
// rewritten text can be shown to the user in their own text.

export interface TextEdit {
  /** Original range [start, end) replaced by `text` (start === end: an insertion). */
  start: number;
  end: number;
  text: string;
}

interface Segment {
  outStart: number;
  origStart: number;
  /** Copied text maps one to one; inserted text maps to its insertion point. */
  copied: boolean;
}

export class PositionMap {
  private constructor(
    readonly text: string,
    private readonly segments: Segment[],
    private readonly originalLength: number,
  ) {}

  /** Applies non-overlapping edits (any order) to `original`. */
  static apply(original: string, edits: TextEdit[]): PositionMap {
    const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
    const segments: Segment[] = [];
    let out = '';
    let pos = 0;
    for (const e of sorted) {
      if (e.start > pos) {
        segments.push({ outStart: out.length, origStart: pos, copied: true });
        out += original.slice(pos, e.start);
      }
      if (e.text.length > 0) {
        segments.push({ outStart: out.length, origStart: e.start, copied: false });
        out += e.text;
      }
      pos = Math.max(pos, e.end);
    }
    if (pos < original.length) {
      segments.push({ outStart: out.length, origStart: pos, copied: true });
      out += original.slice(pos);
    }
    return new PositionMap(out, segments, original.length);
  }

  /** The original offset of rewritten offset `pos` (0-based). */
  toOriginal(pos: number): number {
    const segs = this.segments;
    if (segs.length === 0 || pos >= this.text.length) return this.originalLength;
    let lo = 0;
    let hi = segs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (segs[mid].outStart <= pos) lo = mid;
      else hi = mid - 1;
    }
    const s = segs[lo];
    return s.copied ? s.origStart + (pos - s.outStart) : s.origStart;
  }
}
