// Server side of SCRAM-SHA-256 (RFC 5802 / RFC 7677) as PostgreSQL 11 does
// it: the stored verifier format, plaintext verification against a verifier,
// and the per-connection message exchange (with optional
// tls-server-end-point channel binding, SCRAM-SHA-256-PLUS).
// Messages are handled as latin1 strings so every byte survives unchanged
// into the AuthMessage that both sides sign.

import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { PgError, SQLSTATE } from '../errors.js';
import { decodeBase64Strict } from './base64.js';
import { saslprepPassword } from './saslprep.js';

export const SCRAM_SHA_256 = 'SCRAM-SHA-256';
export const SCRAM_SHA_256_PLUS = 'SCRAM-SHA-256-PLUS';
export const SCRAM_DEFAULT_ITERATIONS = 4096;
const SCRAM_SALT_LENGTH = 16;
const SCRAM_KEY_LENGTH = 32;
const SERVER_NONCE_LENGTH = 18;
const CHANNEL_BINDING_HEADER = 'p=tls-server-end-point,,';

export interface ScramVerifier {
  iterations: number;
  /** The salt exactly as stored (base64); sent verbatim in server-first-message. */
  salt: string;
  storedKey: Buffer;
  serverKey: Buffer;
}

function hmac(key: Buffer, data: string | Buffer): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

function saltedPassword(password: Buffer | string, salt: Buffer, iterations: number): Buffer {
  return pbkdf2Sync(saslprepPassword(password), salt, iterations, SCRAM_KEY_LENGTH, 'sha256');
}

/**
 * Builds the verifier PostgreSQL stores in pg_authid.rolpassword:
 * "SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>" (all base64).
 */
export function createScramVerifier(password: string | Buffer, iterations = SCRAM_DEFAULT_ITERATIONS, salt?: Buffer): string {
  const saltBytes = salt ?? randomBytes(SCRAM_SALT_LENGTH);
  const salted = saltedPassword(password, saltBytes, iterations);
  const storedKey = createHash('sha256').update(hmac(salted, 'Client Key')).digest();
  const serverKey = hmac(salted, 'Server Key');
  return `${SCRAM_SHA_256}$${iterations}:${saltBytes.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

/** Parses a stored verifier; null when the text is not one (PostgreSQL then treats it as another password type). */
export function parseScramVerifier(text: string): ScramVerifier | null {
  const schemeEnd = text.indexOf('$');
  if (schemeEnd < 0 || text.slice(0, schemeEnd) !== SCRAM_SHA_256) return null;
  const iterationsEnd = text.indexOf(':', schemeEnd + 1);
  if (iterationsEnd < 0) return null;
  const saltEnd = text.indexOf('$', iterationsEnd + 1);
  if (saltEnd < 0) return null;
  const storedKeyEnd = text.indexOf(':', saltEnd + 1);
  if (storedKeyEnd < 0) return null;

  const iterationsText = text.slice(schemeEnd + 1, iterationsEnd);
  if (!/^[0-9]{1,10}$/.test(iterationsText)) return null;
  const iterations = Number(iterationsText);
  if (iterations < 1 || iterations > 0x7fffffff) return null;
  const salt = text.slice(iterationsEnd + 1, saltEnd);
  if (salt === '' || decodeBase64Strict(salt) === null) return null;
  const storedKey = decodeBase64Strict(text.slice(saltEnd + 1, storedKeyEnd));
  const serverKey = decodeBase64Strict(text.slice(storedKeyEnd + 1));
  if (storedKey === null || storedKey.length !== SCRAM_KEY_LENGTH) return null;
  if (serverKey === null || serverKey.length !== SCRAM_KEY_LENGTH) return null;
  return { iterations, salt, storedKey, serverKey };
}

/** Whether `password` (as the client typed it) produces `verifier`'s ServerKey. */
export function verifyScramPlainPassword(password: string | Buffer, verifier: ScramVerifier): boolean {
  const salt = decodeBase64Strict(verifier.salt);
  if (salt === null) return false;
  const serverKey = hmac(saltedPassword(password, salt, verifier.iterations), 'Server Key');
  return timingSafeEqual(serverKey, verifier.serverKey);
}

/**
 * Secret per server (PostgreSQL keeps one per cluster in pg_control) that
 * makes mock salts for unknown roles stable yet unpredictable. Callers may
 * pass their persisted one; otherwise one random value per process is used.
 */
const processMockAuthNonce = randomBytes(32);

/** The fake verifier used when the role has none: a deterministic salt, so probing a name twice looks the same. */
export function mockScramVerifier(user: string, mockAuthNonce: Buffer = processMockAuthNonce): ScramVerifier {
  const digest = createHash('sha256').update(user, 'utf8').update(mockAuthNonce).digest();
  return {
    iterations: SCRAM_DEFAULT_ITERATIONS,
    salt: digest.subarray(0, SCRAM_SALT_LENGTH).toString('base64'),
    storedKey: Buffer.alloc(SCRAM_KEY_LENGTH),
    serverKey: Buffer.alloc(SCRAM_KEY_LENGTH),
  };
}

/** SASL mechanisms offered in AuthenticationSASL, best first. */
export function scramMechanisms(tlsServerCertificateHash?: Buffer): string[] {
  return tlsServerCertificateHash ? [SCRAM_SHA_256_PLUS, SCRAM_SHA_256] : [SCRAM_SHA_256];
}

function protocolViolation(message: string, detail?: string): PgError {
  return new PgError(SQLSTATE.protocol_violation, message, { severity: 'FATAL', detail });
}

function malformed(detail: string): PgError {
  return protocolViolation('malformed SCRAM message', detail);
}

/** How PostgreSQL shows an offending character in error details. */
function sanitizeChar(text: string, index: number): string {
  const c = index < text.length ? text.charCodeAt(index) : 0;
  return c >= 0x21 && c < 0x7f ? text[index] : `0x${c.toString(16).padStart(2, '0')}`;
}

function sanitizeString(text: string): string {
  let out = '';
  for (let i = 0; i < text.length && i < 30; i++) {
    const c = text.charCodeAt(i);
    out += c >= 0x21 && c < 0x7f ? text[i] : '?';
  }
  return out;
}

function isPrintable(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x21 || c > 0x7e || c === 0x2c) return false;
  }
  return true;
}

function isLetter(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/** Reads "attr=value[,]" attribute by attribute, the way PostgreSQL's parser reports errors. */
class AttributeReader {
  pos = 0;
  constructor(readonly text: string) {}

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  peek(): string {
    return this.text[this.pos] ?? '';
  }

  private readValue(): string {
    const comma = this.text.indexOf(',', this.pos);
    const end = comma < 0 ? this.text.length : comma;
    const value = this.text.slice(this.pos, end);
    this.pos = comma < 0 ? end : end + 1;
    return value;
  }

  expect(attribute: string): string {
    if (this.text[this.pos] !== attribute) {
      throw malformed(`Expected attribute "${attribute}" but found "${sanitizeChar(this.text, this.pos)}".`);
    }
    this.pos++;
    if (this.text[this.pos] !== '=') throw malformed(`Expected character "=" for attribute "${attribute}".`);
    this.pos++;
    return this.readValue();
  }

  any(): { name: string; value: string } {
    const c = this.pos < this.text.length ? this.text.charCodeAt(this.pos) : 0;
    if (!isLetter(c)) {
      throw malformed(`Attribute expected, but found invalid character "${sanitizeChar(this.text, this.pos)}".`);
    }
    const name = this.text[this.pos];
    this.pos++;
    if (this.text[this.pos] !== '=') throw malformed(`Expected character "=" for attribute "${name}".`);
    this.pos++;
    return { name, value: this.readValue() };
  }

  expectComma(): void {
    if (this.text[this.pos] !== ',') {
      throw malformed(`Comma expected, but found character "${sanitizeChar(this.text, this.pos)}".`);
    }
    this.pos++;
  }
}

export type ScramStep =
  | { status: 'continue'; output: Buffer }
  | { status: 'success'; output: Buffer }
  /** Wrong proof, or a mock exchange: the caller reports "password authentication failed". */
  | { status: 'failure' };

export interface ScramExchangeOptions {
  /** The role name from the startup packet (the SCRAM username attribute is ignored, as in PostgreSQL). */
  user: string;
  /** The role's verifier; null performs a mock exchange that always fails at the end. */
  verifier: ScramVerifier | null;
  /** tls-server-end-point hash of the server certificate when the connection uses TLS; enables SCRAM-SHA-256-PLUS. */
  tlsServerCertificateHash?: Buffer;
  /** Server-wide secret for mock salts (see mockScramVerifier). */
  mockAuthNonce?: Buffer;
}

type ExchangeState = 'init' | 'final' | 'done';

/** One SCRAM-SHA-256 authentication exchange. */
export class ScramExchange {
  private state: ExchangeState = 'init';
  private readonly verifier: ScramVerifier;
  private readonly doomed: boolean;
  private readonly channelBindingInUse: boolean;
  private readonly certificateHash: Buffer | undefined;
  private channelBindingFlag = '';
  private clientNonce = '';
  private serverNonce = '';
  private clientFirstMessageBare = '';
  private serverFirstMessage = '';

  /** Throws 08P01 when the client picked a mechanism that was not offered. */
  constructor(mechanism: string, options: ScramExchangeOptions) {
    this.certificateHash = options.tlsServerCertificateHash;
    if (mechanism === SCRAM_SHA_256_PLUS && this.certificateHash !== undefined) this.channelBindingInUse = true;
    else if (mechanism === SCRAM_SHA_256) this.channelBindingInUse = false;
    else throw protocolViolation('client selected an invalid SASL authentication mechanism');
    this.doomed = options.verifier === null;
    this.verifier = options.verifier ?? mockScramVerifier(options.user, options.mockAuthNonce);
  }

  /**
   * Feeds the next client message (null: the SASLInitialResponse carried no data,
   * answered with an empty challenge). Throws PgError on protocol errors.
   */
  step(input: Buffer | null): ScramStep {
    if (input === null) {
      if (this.state !== 'init') throw malformed('The message is empty.');
      return { status: 'continue', output: Buffer.alloc(0) };
    }
    if (input.length === 0) throw malformed('The message is empty.');
    if (input.indexOf(0) >= 0) throw malformed('Message length does not match input length.');
    const text = input.toString('latin1');
    switch (this.state) {
      case 'init': {
        this.readClientFirstMessage(text);
        this.serverNonce = randomBytes(SERVER_NONCE_LENGTH).toString('base64');
        this.serverFirstMessage = `r=${this.clientNonce}${this.serverNonce},s=${this.verifier.salt},i=${this.verifier.iterations}`;
        this.state = 'final';
        return { status: 'continue', output: Buffer.from(this.serverFirstMessage, 'latin1') };
      }
      case 'final': {
        this.state = 'done';
        return this.finish(text);
      }
      case 'done':
        throw protocolViolation('invalid SCRAM exchange state');
    }
  }

  private readClientFirstMessage(text: string): void {
    const reader = new AttributeReader(text);
    const flag = reader.peek();
    switch (flag) {
      case 'p': {
        if (!this.channelBindingInUse) {
          throw malformed(
            'The client selected SCRAM-SHA-256 without channel binding, but the SCRAM message includes channel binding data.',
          );
        }
        const type = reader.expect('p');
        if (type !== 'tls-server-end-point') {
          throw protocolViolation(`unsupported SCRAM channel-binding type "${sanitizeString(type)}"`);
        }
        break;
      }
      case 'y':
        if (this.certificateHash !== undefined) {
          throw protocolViolation(
            'SCRAM channel binding negotiation error',
            'The client supports SCRAM channel binding but thinks the server does not.  However, this server does support channel binding.',
          );
        }
        reader.pos++;
        reader.expectComma();
        break;
      case 'n':
        if (this.channelBindingInUse) {
          throw malformed(
            'The client selected SCRAM-SHA-256-PLUS, but the SCRAM message does not include channel binding data.',
          );
        }
        reader.pos++;
        reader.expectComma();
        break;
      default:
        throw malformed(`Unexpected channel-binding flag "${sanitizeChar(text, 0)}".`);
    }
    this.channelBindingFlag = flag;

    if (reader.peek() === 'a') {
      throw new PgError(SQLSTATE.feature_not_supported, 'client uses authorization identity, but it is not supported', {
        severity: 'FATAL',
      });
    }
    if (reader.peek() !== ',') {
      throw malformed(`Unexpected attribute "${sanitizeChar(text, reader.pos)}" in client-first-message.`);
    }
    reader.pos++;
    this.clientFirstMessageBare = text.slice(reader.pos);
    if (reader.peek() === 'm') {
      throw new PgError(SQLSTATE.feature_not_supported, 'client requires an unsupported SCRAM extension', {
        severity: 'FATAL',
      });
    }
    reader.expect('n'); // username: ignored, the startup packet's role is authenticated
    this.clientNonce = reader.expect('r');
    if (!isPrintable(this.clientNonce)) throw protocolViolation('non-printable characters in SCRAM nonce');
    while (!reader.atEnd()) reader.any(); // optional extensions are ignored
  }

  /** The c= value a channel-bound client must send; null without channel binding. */
  private expectedChannelBinding(): string | null {
    if (!this.channelBindingInUse) return null;
    return Buffer.concat([Buffer.from(CHANNEL_BINDING_HEADER, 'latin1'), this.certificateHash!]).toString('base64');
  }

  private finish(text: string): ScramStep {
    const reader = new AttributeReader(text);
    const channelBinding = reader.expect('c');
    const expected = this.expectedChannelBinding();
    if (expected !== null) {
      if (channelBinding !== expected) {
        throw new PgError(SQLSTATE.invalid_authorization_specification, 'SCRAM channel binding check failed', {
          severity: 'FATAL',
        });
      }
    } else if (
      !(channelBinding === 'biws' && this.channelBindingFlag === 'n') &&
      !(channelBinding === 'eSws' && this.channelBindingFlag === 'y')
    ) {
      throw protocolViolation('unexpected SCRAM channel-binding attribute in client-final-message');
    }
    const finalNonce = reader.expect('r');

    let proofStart: number;
    let attribute: { name: string; value: string };
    do {
      proofStart = reader.pos - 1; // the comma before the attribute
      attribute = reader.any();
    } while (attribute.name !== 'p');
    const proof = decodeBase64Strict(attribute.value);
    if (proof === null || proof.length !== SCRAM_KEY_LENGTH) {
      throw malformed('Malformed proof in client-final-message.');
    }
    if (!reader.atEnd()) throw malformed('Garbage found at the end of client-final-message.');
    const clientFinalWithoutProof = text.slice(0, proofStart);

    if (finalNonce !== this.clientNonce + this.serverNonce) {
      throw protocolViolation('invalid SCRAM response', 'Nonce does not match.');
    }

    const authMessage = Buffer.from(
      `${this.clientFirstMessageBare},${this.serverFirstMessage},${clientFinalWithoutProof}`,
      'latin1',
    );
    // The proof is checked even for a mock exchange so both take the same time.
    const clientSignature = hmac(this.verifier.storedKey, authMessage);
    const clientKey = Buffer.allocUnsafe(SCRAM_KEY_LENGTH);
    for (let i = 0; i < SCRAM_KEY_LENGTH; i++) clientKey[i] = proof[i] ^ clientSignature[i];
    const proofValid = timingSafeEqual(createHash('sha256').update(clientKey).digest(), this.verifier.storedKey);
    if (!proofValid || this.doomed) return { status: 'failure' };

    const serverSignature = hmac(this.verifier.serverKey, authMessage);
    return { status: 'success', output: Buffer.from(`v=${serverSignature.toString('base64')}`, 'latin1') };
  }
}
