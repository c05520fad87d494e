// Server log: pino JSON lines, or PostgreSQL-style text lines when stderr is
// a terminal. Logged per connection and per event, never per row.
import { pino, type Logger, type Level } from 'pino';
import { Writable } from 'node:stream';

/** log_min_messages values mapped onto pino levels. */
const LEVELS: Record<string, Level> = {
  debug5: 'trace', debug4: 'trace', debug3: 'debug', debug2: 'debug', debug1: 'debug',
  info: 'info', notice: 'info', log: 'info', warning: 'warn', error: 'error', fatal: 'fatal', panic: 'fatal',
};

export function pinoLevel(logMinMessages: string): Level {
  return LEVELS[logMinMessages.toLowerCase()] ?? 'warn';
}

const LABELS: Record<number, string> = { 10: 'DEBUG', 20: 'DEBUG', 30: 'LOG', 40: 'WARNING', 50: 'ERROR', 60: 'FATAL' };

/** Renders pino's JSON lines as "2026-11-21 13:14:15.123 UTC [pid] LOG:  message key=value". */
function textDestination(out: NodeJS.WritableStream): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, done) {
      try {
        const { level, time, msg, pid, hostname: _h, ...rest } = JSON.parse(chunk.toString('utf8'));
        const when = new Date(time).toISOString().replace('T', ' ').replace('Z', ' UTC');
        const extra = Object.entries(rest).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ');
        out.write(`${when} [${pid}] ${LABELS[level] ?? 'LOG'}:  ${msg}${extra ? ' ' + extra : ''}\n`);
      } catch {
        out.write(chunk);
      }
      done();
    },
  });
}

export function createLogger(level: Level): Logger {
  const destination = process.stderr.isTTY ? textDestination(process.stderr) : pino.destination({ fd: 2, sync: true });
  return pino({ level, base: { pid: process.pid } }, destination);
}
