// Turns an error that stopped the server from starting into the log entries
// the postmaster would print for it.
import { PgError } from '../errors.js';
import type { LogFields } from './log-line.js';

export interface LogEntry {
  severity: string;
  message: string;
  fields: LogFields;
}

function listenFailure(err: NodeJS.ErrnoException & { address?: string; port?: number }): LogEntry[] | null {
  if (err.syscall !== 'listen' && err.syscall !== 'bind') return null;
  const address = err.address ?? '*';
  const family = address.includes(':') ? 'IPv6' : 'IPv4';
  if (err.code === 'EADDRINUSE') {
    return [
      {
        severity: 'LOG',
        message: `could not bind ${family} address "${address}": Address already in use`,
        fields: {
          hint: `Is another postmaster already running on port ${err.port ?? '?'}? If not, wait a few seconds and retry.`,
        },
      },
      { severity: 'WARNING', message: `could not create listen socket for "${address}"`, fields: {} },
      { severity: 'FATAL', message: 'could not create any TCP/IP sockets', fields: {} },
    ];
  }
  if (err.code === 'EADDRNOTAVAIL') {
    return [
      { severity: 'LOG', message: `could not bind ${family} address "${address}": Cannot assign requested address`, fields: {} },
      { severity: 'WARNING', message: `could not create listen socket for "${address}"`, fields: {} },
      { severity: 'FATAL', message: 'could not create any TCP/IP sockets', fields: {} },
    ];
  }
  return null;
}

export function describeStartupFailure(err: unknown): LogEntry[] {
  if (err instanceof PgError) {
    const severity = err.severity === 'PANIC' ? 'PANIC' : 'FATAL';
    return [{ severity, message: err.message, fields: { detail: err.detail, hint: err.hint } }];
  }
  if (err instanceof Error) {
    return listenFailure(err) ?? [{ severity: 'FATAL', message: err.message, fields: {} }];
  }
  return [{ severity: 'FATAL', message: String(err), fields: {} }];
}
