// A scanner over `json` values, which keep the text exactly as given: nodes
// record where each value starts and ends, so functions can return sub-values
// with their original spelling and object keys in their original order
// (duplicates included), as PostgreSQL's json functions do. The text was
// validated when it became a json value, so the scanner does not re-check it.

export type JsonKind = 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null';

export interface JsonNode {
  kind: JsonKind;
  start: number;
  end: number;
  /** object members in order */
  keys?: string[];
  children?: JsonNode[];
}

class Scanner {
  pos = 0;
  constructor(readonly text: string) {}

  skipSpace(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c === 32 || c === 9 || c === 10 || c === 13) this.pos++;
      else break;
    }
  }

  value(): JsonNode {
    this.skipSpace();
    const start = this.pos;
    const c = this.text[this.pos];
    if (c === '{') return this.object(start);
    if (c === '[') return this.array(start);
    if (c === '"') {
      this.skipString();
      return { kind: 'string', start, end: this.pos };
    }
    if (c === 't' || c === 'f' || c === 'n') {
      this.pos += c === 'f' ? 5 : 4;
      return { kind: c === 'n' ? 'null' : 'boolean', start, end: this.pos };
    }
    while (this.pos < this.text.length && /[-+0-9.eE]/.test(this.text[this.pos]!)) this.pos++;
    return { kind: 'number', start, end: this.pos };
  }

  skipString(): void {
    const t = this.text;
    this.pos++;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c === 92) this.pos += 2;
      else if (c === 34) {
        this.pos++;
        return;
      } else this.pos++;
    }
  }

  object(start: number): JsonNode {
    const keys: string[] = [];
    const children: JsonNode[] = [];
    this.pos++;
    this.skipSpace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return { kind: 'object', start, end: this.pos, keys, children };
    }
    for (;;) {
      this.skipSpace();
      const ks = this.pos;
      this.skipString();
      keys.push(unquoteJsonString(this.text.slice(ks, this.pos)));
      this.skipSpace();
      this.pos++; // ':'
      children.push(this.value());
      this.skipSpace();
      if (this.text[this.pos++] === '}') break;
    }
    return { kind: 'object', start, end: this.pos, keys, children };
  }

  array(start: number): JsonNode {
    const children: JsonNode[] = [];
    this.pos++;
    this.skipSpace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return { kind: 'array', start, end: this.pos, children };
    }
    for (;;) {
      children.push(this.value());
      this.skipSpace();
      if (this.text[this.pos++] === ']') break;
    }
    return { kind: 'array', start, end: this.pos, children };
  }
}

export function scanJson(text: string): JsonNode {
  return new Scanner(text).value();
}

/** The JSON string literal's value. */
export function unquoteJsonString(literal: string): string {
  return literal.indexOf('\\') < 0 ? literal.slice(1, -1) : (JSON.parse(literal) as string);
}

/** A node's text as it appears in the document. */
export function nodeText(text: string, n: JsonNode): string {
  return text.slice(n.start, n.end);
}

/** ->> semantics: strings unquoted, null as SQL NULL, everything else as written. */
export function nodeAsText(text: string, n: JsonNode): string | null {
  if (n.kind === 'null') return null;
  if (n.kind === 'string') return unquoteJsonString(nodeText(text, n));
  return nodeText(text, n);
}
