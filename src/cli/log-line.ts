// Server log lines written by the command-line layer (startup failures, signal
// receipt), in the shape of PostgreSQL 11's default log_line_prefix '%m [%p] ':
//   2019-04-01 12:34:56.789 UTC [1234] FATAL:  message

import { SEVERITY_LEVELS } from '../server/log.js';

export interface LogFields {
  detail?: string;
  hint?: string;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** `%m`: the time with milliseconds, in UTC. */
export function logTimestamp(now: Date): string {
  return (
    `${now.getUTCFullYear()}-${pad(now.getUTCMonth() + 1, 2)}-${pad(now.getUTCDate(), 2)} ` +
    `${pad(now.getUTCHours(), 2)}:${pad(now.getUTCMinutes(), 2)}:${pad(now.getUTCSeconds(), 2)}.` +
    `${pad(now.getUTCMilliseconds(), 3)} UTC`
  );
}

/** The lines of one log entry: the message, then DETAIL and HINT as PostgreSQL prints them. */
export function formatLogEntry(
  severity: string,
  message: string,
  fields: LogFields = {},
  pid: number = process.pid,
  now: Date = new Date(),
): string {
  const prefix = `${logTimestamp(now)} [${pid}] `;
  let out = `${prefix}${severity}:  ${message}\n`;
  if (fields.detail !== undefined) out += `${prefix}DETAIL:  ${fields.detail}\n`;
  if (fields.hint !== undefined) out += `${prefix}HINT:  ${fields.hint}\n`;
  return out;
}

/** A log entry in the server log's format: text on a terminal, else a JSON record like pino's. */
export function logToStderr(severity: string, message: string, fields: LogFields = {}): void {
  if (process.stderr.isTTY) {
    process.stderr.write(formatLogEntry(severity, message, fields));
    return;
  }
  const record = { level: SEVERITY_LEVELS[severity] ?? SEVERITY_LEVELS.LOG, time: Date.now(), pid: process.pid, msg: message, ...fields };
  process.stderr.write(JSON.stringify(record) + '\n');
}
