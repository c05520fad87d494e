import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DatabaseEntry, RoleEntry } from './catalog.js';
import { checkConnectionLimits } from './connection-limits.js';

function role(name: string, connectionLimit: number, superuser = false): RoleEntry {
  return {
    oid: 20000, name, superuser, login: true, createDb: false, createRole: false, inherit: true,
    replication: false, bypassRls: false, connectionLimit, password: null, validUntil: null,
  };
}

function db(name: string, connectionLimit: number): DatabaseEntry {
  return { oid: 30000, name, ownerOid: 10, allowConnections: true, isTemplate: false, connectionLimit };
}

function refused(fn: () => void, message: string): void {
  assert.throws(fn, (e: any) => {
    assert.equal(e.code, '53300');
    assert.equal(e.severity, 'FATAL');
    assert.equal(e.message, message);
    return true;
  });
}

const sessions = [
  { user: 'alice', database: 'app' },
  { user: 'alice', database: 'other' },
  { user: 'bob', database: 'app' },
];

test('no limits: anything goes', () => {
  checkConnectionLimits(role('alice', -1), db('app', -1), sessions);
});

test('the role limit counts the role\'s sessions in every database', () => {
  checkConnectionLimits(role('alice', 3), db('app', -1), sessions);
  refused(() => checkConnectionLimits(role('alice', 2), db('app', -1), sessions), 'too many connections for role "alice"');
  refused(() => checkConnectionLimits(role('carol', 0), db('app', -1), []), 'too many connections for role "carol"');
});

test('the database limit counts every role\'s sessions in that database', () => {
  checkConnectionLimits(role('carol', -1), db('app', 3), sessions);
  refused(() => checkConnectionLimits(role('carol', -1), db('app', 2), sessions), 'too many connections for database "app"');
});

test('the role limit is reported first; superusers are exempt from both', () => {
  refused(() => checkConnectionLimits(role('alice', 1), db('app', 1), sessions), 'too many connections for role "alice"');
  checkConnectionLimits(role('alice', 0, true), db('app', 0), sessions);
});
