// Small adapters between getopt-style command lines (as PostgreSQL's programs
// accept them) and what yargs parses.

/**
 * Rewrites getopt-style value options into the `-X=value` form yargs reads
 * unambiguously: `-Xvalue` and `-X value` (also `--name value` for the given
 * long names). getopt takes the next argument as the value even when it starts
 * with a dash (`-o "-p 5433"`), which yargs would otherwise read as options.
 * Arguments after `--` are left alone.
 */
export function normalizeValueOptions(
  args: readonly string[],
  shortLetters: string,
  longNames: readonly string[] = [],
): string[] {
  const out: string[] = [];
  const push = (option: string, value: string): void => {
    // yargs reads "-X=" as something else; an empty value stays a separate argument.
    if (value === '') out.push(option, '');
    else out.push(`${option}=${value}`);
  };
  let i = 0;
  for (; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') break;
    const isShort = arg.length >= 2 && arg[0] === '-' && arg[1] !== '-' && shortLetters.includes(arg[1]!);
    if (isShort && arg.length > 2) {
      push(arg.slice(0, 2), arg[2] === '=' ? arg.slice(3) : arg.slice(2));
    } else if ((isShort || (arg.startsWith('--') && longNames.includes(arg.slice(2)))) && i + 1 < args.length) {
      push(arg, args[++i]!);
    } else {
      out.push(arg);
    }
  }
  for (; i < args.length; i++) out.push(args[i]!);
  return out;
}

/** yargs gives an array when an option is repeated; the last occurrence wins, as with getopt. */
export function lastString(value: unknown): string | undefined {
  if (Array.isArray(value)) return value.length > 0 ? lastString(value[value.length - 1]) : undefined;
  if (value === undefined || value === null) return undefined;
  return String(value);
}

/** Every occurrence of a repeatable string option, in order. */
export function allStrings(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.map((v) => String(v));
  return [String(value)];
}

/** strerror() texts by errno name, for messages like "could not send stop signal (PID: 1): No such process". */
const ERRNO_TEXT: Record<string, string> = {
  ESRCH: 'No such process',
  EPERM: 'Operation not permitted',
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  ENOTDIR: 'Not a directory',
  EEXIST: 'File exists',
  EISDIR: 'Is a directory',
  ENOSPC: 'No space left on device',
  EROFS: 'Read-only file system',
};

/** The strerror() text for a Node system error, falling back to its message. */
export function strerror(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code !== undefined && ERRNO_TEXT[code] !== undefined) return ERRNO_TEXT[code]!;
  return err instanceof Error ? err.message : String(err);
}
