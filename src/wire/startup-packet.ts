// The untyped first packet(s) of a connection: a StartupMessage or one of the
// special requests distinguished by their version word.

import { SQLSTATE } from '../errors.js';
import { ProtocolError } from './protocol-error.js';

export const CANCEL_REQUEST_CODE = 80877102; // 1234.5678
export const SSL_REQUEST_CODE = 80877103; // 1234.5679
export const GSSENC_REQUEST_CODE = 80877104; // 1234.5680

/** Largest startup packet body PostgreSQL accepts (length word excluded). */
export const MAX_STARTUP_PACKET_BODY = 10000;

export interface SSLRequest {
  readonly type: 'SSLRequest';
}
export interface GSSENCRequest {
  readonly type: 'GSSENCRequest';
}
export interface CancelRequest {
  readonly type: 'CancelRequest';
  processId: number;
  secretKey: number;
}
export interface StartupMessage {
  readonly type: 'StartupMessage';
  /** Always 3. */
  majorVersion: number;
  /**
   * Requested minor version. Above 0 (or with unrecognizedOptions) the
   * server answers NegotiateProtocolVersion(0, unrecognizedOptions) and
   * proceeds with 3.0.
   */
  minorVersion: number;
  /** user, database, options, replication and GUC settings; a repeated name keeps its last value. */
  parameters: Map<string, string>;
  /** Names of `_pq_.` protocol options, in the order sent. */
  unrecognizedOptions: string[];
}

export type StartupPacket = SSLRequest | GSSENCRequest | CancelRequest | StartupMessage;

const SSL_REQUEST: SSLRequest = Object.freeze({ type: 'SSLRequest' });
const GSSENC_REQUEST: GSSENCRequest = Object.freeze({ type: 'GSSENCRequest' });

function invalidLength(): ProtocolError {
  // PostgreSQL only logs this (COMMERROR) and closes the connection.
  return new ProtocolError('invalid length of startup packet', { reportToClient: false });
}

/**
 * Decodes a startup-mode packet body (everything after its length word).
 * Throws ProtocolError: unsupported protocol versions (0A000, FATAL),
 * malformed parameter lists (08P01, FATAL), bad lengths (not reported).
 */
export function decodeStartupPacket(body: Buffer): StartupPacket {
  if (body.length < 4 || body.length > MAX_STARTUP_PACKET_BODY) throw invalidLength();
  const version = body.readUInt32BE(0);
  switch (version) {
    case CANCEL_REQUEST_CODE:
      if (body.length !== 12) throw invalidLength();
      return { type: 'CancelRequest', processId: body.readInt32BE(4), secretKey: body.readInt32BE(8) };
    case SSL_REQUEST_CODE:
      if (body.length !== 4) throw invalidLength();
      return SSL_REQUEST;
    case GSSENC_REQUEST_CODE:
      if (body.length !== 4) throw invalidLength();
      return GSSENC_REQUEST;
  }
  const major = version >>> 16;
  const minor = version & 0xffff;
  if (major !== 3) {
    throw new ProtocolError(`unsupported frontend protocol ${major}.${minor}: server supports 3.0 to 3.0`, {
      code: SQLSTATE.feature_not_supported,
      protocol2Format: major < 3,
    });
  }
  const parameters = new Map<string, string>();
  const unrecognizedOptions: string[] = [];
  // name\0value\0 pairs, then a final \0 that must be the body's last byte.
  const len = body.length;
  let offset = 4;
  for (;;) {
    if (offset >= len) throw badLayout();
    if (body[offset] === 0) break;
    const nameEnd = body.indexOf(0, offset);
    if (nameEnd === -1) throw badLayout();
    const valueEnd = body.indexOf(0, nameEnd + 1);
    if (valueEnd === -1) throw badLayout();
    const name = body.toString('utf8', offset, nameEnd);
    if (name.startsWith('_pq_.')) unrecognizedOptions.push(name);
    else parameters.set(name, body.toString('utf8', nameEnd + 1, valueEnd));
    offset = valueEnd + 1;
  }
  if (offset !== len - 1) throw badLayout();
  return { type: 'StartupMessage', majorVersion: 3, minorVersion: minor, parameters, unrecognizedOptions };
}

function badLayout(): ProtocolError {
  return new ProtocolError('invalid startup packet layout: expected terminator as last byte');
}
