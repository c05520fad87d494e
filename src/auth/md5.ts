// PostgreSQL's MD5 password scheme: the stored hash is "md5" + md5(password + username),
// the AuthenticationMD5Password reply is "md5" + md5(stored hex + 4-byte salt),
// plus the password-type rules shared by all methods (what a stored
// rolpassword is, how CREATE ROLE ... PASSWORD stores one, and how a
// cleartext password is checked against whatever is stored).

import { createHash } from 'node:crypto';
import { createScramVerifier, parseScramVerifier, verifyScramPlainPassword } from './scram.js';

export type PasswordType = 'md5' | 'scram-sha-256' | 'plaintext';

const MD5_PASSWORD_LENGTH = 35;

function md5Hex(...parts: (string | Buffer)[]): string {
  const hash = createHash('md5');
  for (const part of parts) hash.update(typeof part === 'string' ? Buffer.from(part, 'utf8') : part);
  return hash.digest('hex');
}

function isLowerHex(text: string, from: number): boolean {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66))) return false;
  }
  return true;
}

/** Classifies a stored rolpassword the way PostgreSQL does. */
export function getPasswordType(stored: string): PasswordType {
  if (stored.length === MD5_PASSWORD_LENGTH && stored.startsWith('md5') && isLowerHex(stored, 3)) return 'md5';
  if (parseScramVerifier(stored) !== null) return 'scram-sha-256';
  return 'plaintext';
}

/** "md5" + md5(password || username): the stored MD5 form. */
export function md5PasswordHash(password: string | Buffer, user: string): string {
  return 'md5' + md5Hex(password, user);
}

/** What a client answers to AuthenticationMD5Password: "md5" + md5(storedHash without "md5" + salt). */
export function md5SaltedResponse(storedMd5Hash: string, salt: Buffer): string {
  return 'md5' + md5Hex(storedMd5Hash.slice(3), salt);
}

/** Checks a client's AuthenticationMD5Password reply against a stored "md5..." hash. */
export function verifyMd5Response(storedMd5Hash: string, response: string, salt: Buffer): boolean {
  return response === md5SaltedResponse(storedMd5Hash, salt);
}

/**
 * Checks a cleartext password (the "password" method) against a stored MD5
 * hash or SCRAM verifier. Plaintext storage is not accepted, as in PostgreSQL.
 */
export function verifyPlainPassword(user: string, stored: string, password: Buffer | string): boolean {
  switch (getPasswordType(stored)) {
    case 'scram-sha-256':
      return verifyScramPlainPassword(password, parseScramVerifier(stored)!);
    case 'md5':
      return md5PasswordHash(password, user) === stored;
    case 'plaintext':
      return false;
  }
}

/**
 * What CREATE/ALTER ROLE ... PASSWORD stores: an already-hashed value (MD5 or
 * SCRAM) is kept as given; anything else is hashed per password_encryption.
 */
export function encryptPassword(user: string, password: string, passwordEncryption: 'md5' | 'scram-sha-256'): string {
  if (getPasswordType(password) !== 'plaintext') return password;
  return passwordEncryption === 'md5' ? md5PasswordHash(password, user) : createScramVerifier(password);
}
