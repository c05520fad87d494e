// Backend (server -> client) messages of protocol 3.0, each appended to a
// Writer. Nothing here allocates per call beyond what the Writer needs.

import type { Writer } from './buffer-writer.js';

/** Protocol version 3.0 as sent on the wire (major << 16 | minor). */
export const PROTOCOL_3_0 = 196608;

export type TransactionStatus = 'I' | 'T' | 'E';

/** One column of a RowDescription. */
export interface FieldDescription {
  name: string;
  /** OID of the table the column comes from, or 0. */
  tableOid: number;
  /** Attribute number of the column in that table, or 0. */
  columnAttr: number;
  typeOid: number;
  /** pg_type.typlen (-1 varlena, -2 cstring). */
  typeLen: number;
  typeMod: number;
  /** 0 text, 1 binary. */
  format: number;
}

/**
 * The fields of an ErrorResponse / NoticeResponse. PgError satisfies it.
 * Absent (undefined or null) fields are not sent; positions only when > 0.
 */
export interface ErrorFieldsLike {
  severity: string;
  code: string;
  message: string;
  detail?: string | null;
  hint?: string | null;
  position?: number | null;
  internalPosition?: number | null;
  internalQuery?: string | null;
  where?: string | null;
  schema?: string | null;
  table?: string | null;
  column?: string | null;
  dataType?: string | null;
  constraint?: string | null;
  file?: string | null;
  line?: number | string | null;
  routine?: string | null;
}

// Message type bytes.
const AUTHENTICATION = 0x52; // R
const PARAMETER_STATUS = 0x53; // S
const BACKEND_KEY_DATA = 0x4b; // K
const READY_FOR_QUERY = 0x5a; // Z
const ROW_DESCRIPTION = 0x54; // T
const DATA_ROW = 0x44; // D
const COMMAND_COMPLETE = 0x43; // C
const EMPTY_QUERY_RESPONSE = 0x49; // I
const ERROR_RESPONSE = 0x45; // E
const NOTICE_RESPONSE = 0x4e; // N
const PARSE_COMPLETE = 0x31; // 1
const BIND_COMPLETE = 0x32; // 2
const CLOSE_COMPLETE = 0x33; // 3
const NO_DATA = 0x6e; // n
const PARAMETER_DESCRIPTION = 0x74; // t
const PORTAL_SUSPENDED = 0x73; // s
const COPY_IN_RESPONSE = 0x47; // G
const COPY_OUT_RESPONSE = 0x48; // H
const COPY_DATA = 0x64; // d
const COPY_DONE = 0x63; // c
const NOTIFICATION_RESPONSE = 0x41; // A
const NEGOTIATE_PROTOCOL_VERSION = 0x76; // v

function emptyMessage(w: Writer, type: number): void {
  w.startMessage(type).endMessage();
}

export function authenticationOk(w: Writer): void {
  w.startMessage(AUTHENTICATION).int32(0).endMessage();
}

export function authenticationCleartextPassword(w: Writer): void {
  w.startMessage(AUTHENTICATION).int32(3).endMessage();
}

/** `salt` must be 4 bytes. */
export function authenticationMD5Password(w: Writer, salt: Uint8Array): void {
  if (salt.length !== 4) throw new RangeError('MD5 salt must be 4 bytes');
  w.startMessage(AUTHENTICATION).int32(5).bytes(salt).endMessage();
}

export function authenticationSASL(w: Writer, mechanisms: readonly string[]): void {
  w.startMessage(AUTHENTICATION).int32(10);
  for (const m of mechanisms) w.cstring(m);
  w.byte(0).endMessage();
}

export function authenticationSASLContinue(w: Writer, data: Uint8Array): void {
  w.startMessage(AUTHENTICATION).int32(11).bytes(data).endMessage();
}

export function authenticationSASLFinal(w: Writer, data: Uint8Array): void {
  w.startMessage(AUTHENTICATION).int32(12).bytes(data).endMessage();
}

export function parameterStatus(w: Writer, name: string, value: string): void {
  w.startMessage(PARAMETER_STATUS).cstring(name).cstring(value).endMessage();
}

export function backendKeyData(w: Writer, processId: number, secretKey: number): void {
  w.startMessage(BACKEND_KEY_DATA).int32(processId).int32(secretKey).endMessage();
}

export function readyForQuery(w: Writer, status: TransactionStatus): void {
  w.startMessage(READY_FOR_QUERY).byte(status.charCodeAt(0)).endMessage();
}

export function rowDescription(w: Writer, fields: readonly FieldDescription[]): void {
  w.startMessage(ROW_DESCRIPTION).int16(fields.length);
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    w.cstring(f.name).int32(f.tableOid).int16(f.columnAttr).int32(f.typeOid).int16(f.typeLen).int32(f.typeMod).int16(f.format);
  }
  w.endMessage();
}

/** Strings are sent as their UTF-8 bytes, Buffers as they are, null as SQL NULL. */
export function dataRow(w: Writer, values: readonly (Buffer | string | null)[]): void {
  const n = values.length;
  w.startMessage(DATA_ROW).int16(n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v == null) w.int32(-1);
    else if (typeof v === 'string') w.lengthPrefixedString(v);
    else w.lengthPrefixedBytes(v);
  }
  w.endMessage();
}

export function commandComplete(w: Writer, tag: string): void {
  w.startMessage(COMMAND_COMPLETE).cstring(tag).endMessage();
}

export function emptyQueryResponse(w: Writer): void {
  emptyMessage(w, EMPTY_QUERY_RESPONSE);
}

export function errorResponse(w: Writer, err: ErrorFieldsLike): void {
  errorOrNotice(w, ERROR_RESPONSE, err);
}

export function noticeResponse(w: Writer, err: ErrorFieldsLike): void {
  errorOrNotice(w, NOTICE_RESPONSE, err);
}

function field(w: Writer, code: number, value: string | null | undefined): void {
  if (value != null) w.byte(code).cstring(value);
}

function positiveField(w: Writer, code: number, value: number | null | undefined): void {
  if (value != null && value > 0) w.byte(code).cstring(String(value));
}

// Field order is the one PostgreSQL uses (checked against a live server).
function errorOrNotice(w: Writer, type: number, e: ErrorFieldsLike): void {
  w.startMessage(type);
  w.byte(0x53).cstring(e.severity); // S (localized; we don't localize)
  w.byte(0x56).cstring(e.severity); // V
  w.byte(0x43).cstring(e.code); // C
  w.byte(0x4d).cstring(e.message); // M
  field(w, 0x44, e.detail); // D
  field(w, 0x48, e.hint); // H
  field(w, 0x57, e.where); // W
  field(w, 0x73, e.schema); // s
  field(w, 0x74, e.table); // t
  field(w, 0x63, e.column); // c
  field(w, 0x64, e.dataType); // d
  field(w, 0x6e, e.constraint); // n
  positiveField(w, 0x50, e.position); // P
  positiveField(w, 0x70, e.internalPosition); // p
  field(w, 0x71, e.internalQuery); // q
  field(w, 0x46, e.file); // F
  if (typeof e.line === 'string') field(w, 0x4c, e.line);
  else positiveField(w, 0x4c, e.line); // L
  field(w, 0x52, e.routine); // R
  w.byte(0).endMessage();
}

/**
 * The protocol-2 error format ('E' + "SEVERITY:  message\n" + NUL, no length
 * word) PostgreSQL uses to reject a startup packet asking for protocol < 3.
 */
export function protocol2ErrorResponse(w: Writer, err: { severity: string; message: string }): void {
  w.byte(ERROR_RESPONSE).cstring(`${err.severity}:  ${err.message}\n`);
}

export function parseComplete(w: Writer): void {
  emptyMessage(w, PARSE_COMPLETE);
}

export function bindComplete(w: Writer): void {
  emptyMessage(w, BIND_COMPLETE);
}

export function closeComplete(w: Writer): void {
  emptyMessage(w, CLOSE_COMPLETE);
}

export function noData(w: Writer): void {
  emptyMessage(w, NO_DATA);
}

export function portalSuspended(w: Writer): void {
  emptyMessage(w, PORTAL_SUSPENDED);
}

export function parameterDescription(w: Writer, typeOids: readonly number[]): void {
  w.startMessage(PARAMETER_DESCRIPTION).int16(typeOids.length);
  for (let i = 0; i < typeOids.length; i++) w.int32(typeOids[i]!);
  w.endMessage();
}

/** format: 0 text, 1 binary (overall); columnFormats: one per column. */
export function copyInResponse(w: Writer, format: number, columnFormats: readonly number[]): void {
  copyResponse(w, COPY_IN_RESPONSE, format, columnFormats);
}

export function copyOutResponse(w: Writer, format: number, columnFormats: readonly number[]): void {
  copyResponse(w, COPY_OUT_RESPONSE, format, columnFormats);
}

function copyResponse(w: Writer, type: number, format: number, columnFormats: readonly number[]): void {
  w.startMessage(type).byte(format).int16(columnFormats.length);
  for (let i = 0; i < columnFormats.length; i++) w.int16(columnFormats[i]!);
  w.endMessage();
}

export function copyData(w: Writer, data: Uint8Array): void {
  w.startMessage(COPY_DATA).bytes(data).endMessage();
}

export function copyDone(w: Writer): void {
  emptyMessage(w, COPY_DONE);
}

export function notificationResponse(w: Writer, processId: number, channel: string, payload: string): void {
  w.startMessage(NOTIFICATION_RESPONSE).int32(processId).cstring(channel).cstring(payload).endMessage();
}

/**
 * NegotiateProtocolVersion. Like PostgreSQL, the version field carries the
 * full version word (3 << 16 | newestMinor), i.e. 196608 for 3.0, which is
 * how libpq reads it.
 */
export function negotiateProtocolVersion(
  w: Writer,
  newestMinor: number,
  unrecognizedOptions: readonly string[],
): void {
  w.startMessage(NEGOTIATE_PROTOCOL_VERSION).int32(PROTOCOL_3_0 | newestMinor).int32(unrecognizedOptions.length);
  for (const o of unrecognizedOptions) w.cstring(o);
  w.endMessage();
}

/** The single unframed byte answering an SSLRequest: 'S' to start TLS, 'N' to refuse. */
export function sslResponse(w: Writer, accept: boolean): void {
  w.byte(accept ? 0x53 : 0x4e);
}

/** The single unframed byte answering a GSSENCRequest: 'G' to accept, 'N' to refuse. */
export function gssEncResponse(w: Writer, accept: boolean): void {
  w.byte(accept ? 0x47 : 0x4e);
}
