// Shell-like word splitting and quoting for option strings (`pipeline-ctl -o "..."`,
// postmaster.opts). Only the quoting rules of sh are reproduced; there is no
// variable or glob expansion, as the string is never handed to a shell.

/**
 * Splits `text` into words as sh would: blanks separate words, single quotes
 * keep everything literally, double quotes keep everything except that a
 * backslash escapes `\ " $ \``, and a backslash outside quotes escapes the next
 * character. Throws on an unterminated quote.
 */
export function splitShellWords(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text[i]!;
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      if (inWord) {
        words.push(word);
        word = '';
        inWord = false;
      }
      i++;
      continue;
    }
    inWord = true;
    if (ch === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unterminated quoted string in "${text}"`);
      word += text.slice(i + 1, end);
      i = end + 1;
    } else if (ch === '"') {
      i++;
      for (;;) {
        if (i >= n) throw new Error(`unterminated quoted string in "${text}"`);
        const c = text[i]!;
        if (c === '"') {
          i++;
          break;
        }
        if (c === '\\' && i + 1 < n) {
          const next = text[i + 1]!;
          if (next === '\\' || next === '"' || next === '$' || next === '`') {
            word += next;
            i += 2;
            continue;
          }
          if (next === '\n') {
            i += 2;
            continue;
          }
        }
        word += c;
        i++;
      }
    } else if (ch === '\\') {
      if (i + 1 < n) {
        // A backslash-newline is a line continuation and produces nothing.
        if (text[i + 1] !== '\n') word += text[i + 1];
        i += 2;
      } else {
        word += ch;
        i++;
      }
    } else {
      word += ch;
      i++;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** Wraps `arg` in double quotes, escaping what sh would interpret inside them. */
export function doubleQuote(arg: string): string {
  let out = '"';
  for (let i = 0; i < arg.length; i++) {
    const ch = arg[i]!;
    if (ch === '\\' || ch === '"' || ch === '$' || ch === '`') out += '\\';
    out += ch;
  }
  return out + '"';
}

function isShellSafe(ch: string): boolean {
  return (
    (ch >= 'a' && ch <= 'z') ||
    (ch >= 'A' && ch <= 'Z') ||
    (ch >= '0' && ch <= '9') ||
    ch === '-' || ch === '_' || ch === '.' || ch === '/' || ch === ':'
  );
}

/**
 * Quotes `arg` for pasting into a shell, leaving it bare when it holds only
 * characters that need no quoting (the way initdb prints its suggested command).
 */
export function shellQuote(arg: string): string {
  let safe = arg.length > 0;
  for (let i = 0; safe && i < arg.length; i++) safe = isShellSafe(arg[i]!);
  if (safe) return arg;
  return "'" + arg.split("'").join(`'"'"'`) + "'";
}
