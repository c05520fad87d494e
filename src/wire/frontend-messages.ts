// Decoding of frontend (client -> server) message bodies. The framer has
// already checked the type byte and the length; here every field is
// validated the way PostgreSQL's backend reads it (pqformat.c semantics:
// unsigned 16-bit counts, strings NUL-terminated inside the body, no
// trailing bytes). Body errors are ProtocolErrors with severity ERROR: the
// message boundary is intact, so the session reports and continues.

import { BodyReader } from './buffer-reader.js';
import { invalidMessageType } from './protocol-error.js';

export type DescribeTarget = 'S' | 'P';

export interface QueryMessage {
  readonly type: 'Query';
  query: string;
}
export interface ParseMessage {
  readonly type: 'Parse';
  /** Statement name ('' = unnamed). */
  name: string;
  query: string;
  /** Parameter type OIDs as sent (0 = unspecified); may be fewer than the query's parameters. */
  paramTypes: number[];
}
export interface BindMessage {
  readonly type: 'Bind';
  portal: string;
  statement: string;
  /** 0 entries: all text; 1 entry: applies to all; else one per parameter. */
  paramFormats: number[];
  /** Raw values, subarrays of the message body; null = SQL NULL. */
  params: (Buffer | null)[];
  /** Same convention as paramFormats, for result columns. */
  resultFormats: number[];
}
export interface DescribeMessage {
  readonly type: 'Describe';
  target: DescribeTarget;
  name: string;
}
export interface ExecuteMessage {
  readonly type: 'Execute';
  portal: string;
  /** As sent; <= 0 means no limit. */
  maxRows: number;
}
export interface CloseMessage {
  readonly type: 'Close';
  target: DescribeTarget;
  name: string;
}
export interface SyncMessage {
  readonly type: 'Sync';
}
export interface FlushMessage {
  readonly type: 'Flush';
}
export interface TerminateMessage {
  readonly type: 'Terminate';
}
export interface CopyDataMessage {
  readonly type: 'CopyData';
  /** Subarray of the framed message. */
  data: Buffer;
}
export interface CopyDoneMessage {
  readonly type: 'CopyDone';
}
export interface CopyFailMessage {
  readonly type: 'CopyFail';
  message: string;
}
/**
 * 'p': PasswordMessage, SASLInitialResponse or SASLResponse; which one
 * depends on the authentication state, so the body is left to the auth
 * layer (decodePassword / decodeSASLInitialResponse / raw SASL data).
 */
export interface AuthResponseMessage {
  readonly type: 'AuthResponse';
  body: Buffer;
}
export interface FunctionCallMessage {
  readonly type: 'FunctionCall';
  functionOid: number;
  argFormats: number[];
  args: (Buffer | null)[];
  resultFormat: number;
}

export type FrontendMessage =
  | QueryMessage
  | ParseMessage
  | BindMessage
  | DescribeMessage
  | ExecuteMessage
  | CloseMessage
  | SyncMessage
  | FlushMessage
  | TerminateMessage
  | CopyDataMessage
  | CopyDoneMessage
  | CopyFailMessage
  | AuthResponseMessage
  | FunctionCallMessage;

/** Frontend message type bytes. */
export const FrontendType = {
  Query: 0x51, // Q
  Parse: 0x50, // P
  Bind: 0x42, // B
  Describe: 0x44, // D
  Execute: 0x45, // E
  Close: 0x43, // C
  Sync: 0x53, // S
  Flush: 0x48, // H
  Terminate: 0x58, // X
  CopyData: 0x64, // d
  CopyDone: 0x63, // c
  CopyFail: 0x66, // f
  AuthResponse: 0x70, // p
  FunctionCall: 0x46, // F
} as const;

// Body-less messages are shared, immutable singletons.
const SYNC: SyncMessage = Object.freeze({ type: 'Sync' });
const FLUSH: FlushMessage = Object.freeze({ type: 'Flush' });
const TERMINATE: TerminateMessage = Object.freeze({ type: 'Terminate' });
const COPY_DONE: CopyDoneMessage = Object.freeze({ type: 'CopyDone' });

/**
 * Decodes one framed message. Throws ProtocolError (08P01) for malformed
 * bodies (severity ERROR) and unknown types (FATAL), or PgError 22021 for
 * text that is not valid UTF-8.
 */
export function decodeFrontendMessage(type: number, body: Buffer): FrontendMessage {
  switch (type) {
    case FrontendType.Query:
      return decodeQuery(body);
    case FrontendType.Parse:
      return decodeParse(body);
    case FrontendType.Bind:
      return decodeBind(body);
    case FrontendType.Describe:
      return decodeDescribe(body);
    case FrontendType.Execute:
      return decodeExecute(body);
    case FrontendType.Close:
      return decodeClose(body);
    case FrontendType.Sync:
      new BodyReader(body).end();
      return SYNC;
    case FrontendType.Flush:
      new BodyReader(body).end();
      return FLUSH;
    case FrontendType.Terminate:
      // PostgreSQL exits on Terminate without looking at the body.
      return TERMINATE;
    case FrontendType.CopyData:
      return { type: 'CopyData', data: body };
    case FrontendType.CopyDone:
      new BodyReader(body).end();
      return COPY_DONE;
    case FrontendType.CopyFail:
      return decodeCopyFail(body);
    case FrontendType.AuthResponse:
      return { type: 'AuthResponse', body };
    case FrontendType.FunctionCall:
      return decodeFunctionCall(body);
    default:
      throw invalidMessageType(type);
  }
}

function decodeQuery(body: Buffer): QueryMessage {
  const r = new BodyReader(body);
  const query = r.cstring();
  r.end();
  return { type: 'Query', query };
}

function decodeParse(body: Buffer): ParseMessage {
  const r = new BodyReader(body);
  const name = r.cstring();
  const query = r.cstring();
  const n = r.uint16();
  const paramTypes = new Array<number>(n);
  for (let i = 0; i < n; i++) paramTypes[i] = r.uint32();
  r.end();
  return { type: 'Parse', name, query, paramTypes };
}

function decodeBind(body: Buffer): BindMessage {
  const r = new BodyReader(body);
  const portal = r.cstring();
  const statement = r.cstring();
  const paramFormats = readFormats(r);
  const nParams = r.uint16();
  if (paramFormats.length > 1 && paramFormats.length !== nParams) {
    throw r.fail(`bind message has ${paramFormats.length} parameter formats but ${nParams} parameters`);
  }
  const params = new Array<Buffer | null>(nParams);
  for (let i = 0; i < nParams; i++) {
    const len = r.int32();
    params[i] = len === -1 ? null : r.bytes(len);
  }
  const resultFormats = readFormats(r);
  r.end();
  return { type: 'Bind', portal, statement, paramFormats, params, resultFormats };
}

function readFormats(r: BodyReader): number[] {
  const n = r.uint16();
  const formats = new Array<number>(n);
  for (let i = 0; i < n; i++) formats[i] = r.int16();
  return formats;
}

function decodeDescribe(body: Buffer): DescribeMessage {
  const r = new BodyReader(body);
  const subtype = r.byte();
  const name = r.cstring();
  r.end();
  if (subtype !== 0x53 && subtype !== 0x50) throw r.fail(`invalid DESCRIBE message subtype ${subtype}`);
  return { type: 'Describe', target: subtype === 0x53 ? 'S' : 'P', name };
}

function decodeClose(body: Buffer): CloseMessage {
  const r = new BodyReader(body);
  const subtype = r.byte();
  const name = r.cstring();
  r.end();
  if (subtype !== 0x53 && subtype !== 0x50) throw r.fail(`invalid CLOSE message subtype ${subtype}`);
  return { type: 'Close', target: subtype === 0x53 ? 'S' : 'P', name };
}

function decodeExecute(body: Buffer): ExecuteMessage {
  const r = new BodyReader(body);
  const portal = r.cstring();
  const maxRows = r.int32();
  r.end();
  return { type: 'Execute', portal, maxRows };
}

function decodeCopyFail(body: Buffer): CopyFailMessage {
  const r = new BodyReader(body);
  const message = r.cstring();
  r.end();
  return { type: 'CopyFail', message };
}

function decodeFunctionCall(body: Buffer): FunctionCallMessage {
  const r = new BodyReader(body);
  const functionOid = r.uint32();
  const argFormats = readFormats(r);
  const nArgs = r.uint16();
  if (argFormats.length > 1 && argFormats.length !== nArgs) {
    throw r.fail(`function call message contains ${argFormats.length} argument formats but ${nArgs} arguments`);
  }
  const args = new Array<Buffer | null>(nArgs);
  for (let i = 0; i < nArgs; i++) {
    const len = r.int32();
    if (len < -1) throw r.fail(`invalid argument size ${len} in function call message`);
    args[i] = len === -1 ? null : r.bytes(len);
  }
  const resultFormat = r.int16();
  r.end();
  return { type: 'FunctionCall', functionOid, argFormats, args, resultFormat };
}

// ---- 'p' bodies, interpreted by the auth layer (errors are FATAL there:
// PostgreSQL promotes errors during authentication to FATAL).

/** PasswordMessage: exactly one NUL-terminated string filling the body. */
export function decodePassword(body: Buffer): string {
  const nul = body.indexOf(0);
  if (nul === -1 || nul !== body.length - 1) {
    throw new BodyReader(body, 'FATAL').fail('invalid password packet size');
  }
  return body.toString('utf8', 0, nul);
}

export interface SASLInitialResponse {
  mechanism: string;
  /** Client-first message (subarray), or null when the client sent length -1. */
  data: Buffer | null;
}

/** SASLInitialResponse: mechanism name, int32 length (-1 = none), data. */
export function decodeSASLInitialResponse(body: Buffer): SASLInitialResponse {
  const r = new BodyReader(body, 'FATAL');
  const mechanism = r.rawCstring();
  const len = r.int32();
  const data = len === -1 ? null : r.bytes(len);
  r.end();
  return { mechanism, data };
}

export {
  decodeStartupPacket,
  type StartupPacket,
  type StartupMessage,
  type CancelRequest,
  type SSLRequest,
  type GSSENCRequest,
} from './startup-packet.js';
