import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  encryptPassword,
  getPasswordType,
  md5PasswordHash,
  md5SaltedResponse,
  verifyMd5Response,
  verifyPlainPassword,
} from './md5.js';
import { createScramVerifier, parseScramVerifier, verifyScramPlainPassword } from './scram.js';

test('md5 stored hash vectors', () => {
  // python3 -c "import hashlib; print('md5'+hashlib.md5(b'secretpostgres').hexdigest())"
  assert.equal(md5PasswordHash('secret', 'postgres'), 'md553f48b7c4b76a86ce72276c5755f217d');
  // PostgreSQL 15: SET password_encryption='md5'; CREATE ROLE r_md5 PASSWORD 'secret'
  assert.equal(md5PasswordHash('secret', 'r_md5'), 'md5a940442cfc018cbb4c37d2492eb1c1c0');
});

test('AuthenticationMD5Password response check', () => {
  const stored = 'md553f48b7c4b76a86ce72276c5755f217d';
  const salt = Buffer.from([1, 2, 3, 4]);
  assert.equal(md5SaltedResponse(stored, salt), 'md5bb41a296aab6baccb36ff243a562abff');
  assert.equal(verifyMd5Response(stored, 'md5bb41a296aab6baccb36ff243a562abff', salt), true);
  assert.equal(verifyMd5Response(stored, 'md5bb41a296aab6baccb36ff243a562abff', Buffer.from([1, 2, 3, 5])), false);
  assert.equal(verifyMd5Response(stored, 'md5BB41A296AAB6BACCB36FF243A562ABFF', salt), false);
});

test('password type classification', () => {
  assert.equal(getPasswordType('md553f48b7c4b76a86ce72276c5755f217d'), 'md5');
  assert.equal(getPasswordType('md553F48B7C4B76A86CE72276C5755F217D'), 'plaintext');
  assert.equal(getPasswordType('md553f48b7c4b76a86ce72276c5755f217'), 'plaintext');
  assert.equal(getPasswordType(createScramVerifier('x')), 'scram-sha-256');
  assert.equal(getPasswordType('SCRAM-SHA-256$4096:abc'), 'plaintext');
  assert.equal(getPasswordType('secret'), 'plaintext');
});

test('cleartext password checked against either stored form', () => {
  assert.equal(verifyPlainPassword('postgres', 'md553f48b7c4b76a86ce72276c5755f217d', 'secret'), true);
  assert.equal(verifyPlainPassword('postgres', 'md553f48b7c4b76a86ce72276c5755f217d', Buffer.from('secret')), true);
  assert.equal(verifyPlainPassword('other', 'md553f48b7c4b76a86ce72276c5755f217d', 'secret'), false);
  assert.equal(verifyPlainPassword('postgres', 'md553f48b7c4b76a86ce72276c5755f217d', 'Secret'), false);
  const verifier = createScramVerifier('secret');
  assert.equal(verifyPlainPassword('anyone', verifier, 'secret'), true);
  assert.equal(verifyPlainPassword('anyone', verifier, 'secret '), false);
  assert.equal(verifyPlainPassword('postgres', 'secret', 'secret'), false, 'plaintext storage is not accepted');
});

test('encryptPassword follows password_encryption and keeps pre-hashed values', () => {
  assert.equal(encryptPassword('postgres', 'secret', 'md5'), 'md553f48b7c4b76a86ce72276c5755f217d');
  const scram = encryptPassword('postgres', 'secret', 'scram-sha-256');
  assert.equal(verifyScramPlainPassword('secret', parseScramVerifier(scram)!), true);
  assert.equal(encryptPassword('bob', 'md553f48b7c4b76a86ce72276c5755f217d', 'scram-sha-256'), 'md553f48b7c4b76a86ce72276c5755f217d');
  assert.equal(encryptPassword('bob', scram, 'md5'), scram);
});
