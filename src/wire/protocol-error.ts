// Errors raised while framing or decoding client bytes. PostgreSQL reports
// these with SQLSTATE 08P01; how the connection reacts depends on where the
// violation happened, which is why severity and reporting are per instance:
//   - framing errors (bad type byte) are FATAL: the byte stream can't be trusted;
//   - a bad length word is logged by PostgreSQL (COMMERROR) and the connection
//     is dropped without telling the client (reportToClient = false);
//   - a malformed body of a well-framed message is a plain ERROR: the session
//     reports it and carries on (skipping to Sync in extended-query mode).

import { PgError, SQLSTATE, type Severity } from '../errors.js';

export interface ProtocolErrorOptions {
  /** Default FATAL. */
  severity?: Severity;
  /** Default 08P01 (protocol_violation). */
  code?: string;
  /** False when PostgreSQL only logs the problem and closes the socket. Default true. */
  reportToClient?: boolean;
  /**
   * True when the client asked for protocol major < 3 and PostgreSQL would
   * answer in the version-2 format ('E' + "FATAL:  message\n"); see
   * legacyErrorResponse in backend-messages.ts.
   */
  protocol2Format?: boolean;
}

export class ProtocolError extends PgError {
  readonly reportToClient: boolean;
  readonly protocol2Format: boolean;

  constructor(message: string, options: ProtocolErrorOptions = {}) {
    super(options.code ?? SQLSTATE.protocol_violation, message, { severity: options.severity ?? 'FATAL' });
    this.name = 'ProtocolError';
    this.reportToClient = options.reportToClient ?? true;
    this.protocol2Format = options.protocol2Format ?? false;
  }
}

/** "invalid frontend message type N" (FATAL), as SocketBackend reports it. */
export function invalidMessageType(type: number): ProtocolError {
  return new ProtocolError(`invalid frontend message type ${type}`);
}
