// Server log: pino JSON lines, or PostgreSQL-style text lines when stderr is
// a terminal. Logged per connection and per event, never per row.
//
// PostgreSQL ranks its server-log levels DEBUG < INFO < NOTICE < WARNING <
// ERROR < LOG < FATAL < PANIC: LOG messages (connections, start-up, shutdown)
// are written at the default log_min_messages = warning. pino's levels get a
// custom "log" level between error and fatal to keep that order.
import { pino, type Logger } from 'pino';
import { Writable } from 'node:stream';

export type ServerLogger = Logger<'log'>;

const LOG_LEVEL = 55;

/** log_min_messages values mapped onto pino levels. */
const LEVELS: Record<string, string> = {
  debug5: 'trace', debug4: 'trace', debug3: 'debug', debug2: 'debug', debug1: 'debug',
  info: 'info', notice: 'info', warning: 'warn', error: 'error', log: 'log', fatal: 'fatal', panic: 'fatal',
};

export function pinoLevel(logMinMessages: string): string {
  return LEVELS[logMinMessages.toLowerCase()] ?? 'warn';
}

const LABELS: Record<number, string> = { 10: 'DEBUG', 20: 'DEBUG', 30: 'INFO', 40: 'WARNING', 50: 'ERROR', [LOG_LEVEL]: 'LOG', 60: 'FATAL' };

/** pino level numbers for PostgreSQL severities, for log lines written outside pino. */
export const SEVERITY_LEVELS: Record<string, number> = {
  DEBUG: 20, INFO: 30, NOTICE: 30, WARNING: 40, ERROR: 50, LOG: LOG_LEVEL, FATAL: 60, PANIC: 60,
};

/**
 * One log record as PostgreSQL's default log_line_prefix '%m [%p] ' prints it:
 *   2026-11-21 13:14:15.123 UTC [1234] FATAL:  message key=value
 * with DETAIL and HINT on lines of their own.
 */
export function formatLogRecord(record: Record<string, unknown>): string {
  const { level, time, msg, pid, hostname: _h, detail, hint, ...rest } = record;
  const when = new Date(time as number).toISOString().replace('T', ' ').replace('Z', ' UTC');
  const prefix = `${when} [${pid}] `;
  const extra = Object.entries(rest)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  let out = `${prefix}${LABELS[level as number] ?? 'LOG'}:  ${msg}${extra ? ' ' + extra : ''}\n`;
  if (detail !== undefined) out += `${prefix}DETAIL:  ${detail}\n`;
  if (hint !== undefined) out += `${prefix}HINT:  ${hint}\n`;
  return out;
}

/** A line of a log file as text: JSON records are formatted, anything else is kept as it is. */
export function renderLogLine(line: string): string {
  if (!line.startsWith('{')) return line;
  try {
    return formatLogRecord(JSON.parse(line)).replace(/\n$/, '');
  } catch {
    return line;
  }
}

function textDestination(out: NodeJS.WritableStream): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, done) {
      try {
        out.write(formatLogRecord(JSON.parse(chunk.toString('utf8'))));
      } catch {
        out.write(chunk);
      }
      done();
    },
  });
}

export function createLogger(level: string): ServerLogger {
  const destination = process.stderr.isTTY ? textDestination(process.stderr) : pino.destination({ fd: 2, sync: true });
  return pino({ level, customLevels: { log: LOG_LEVEL }, base: { pid: process.pid } }, destination);
}
