import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PgError } from '../errors.js';
import {
  DEFAULT_HBA_CONF,
  findHbaRule,
  HbaConfigError,
  hbaRejectError,
  matchHbaRule,
  parseHbaConfig,
  type HbaConnection,
  type HbaMatchOptions,
} from './hba.js';
import { formatIpAddress, parseClientAddress } from './ip.js';

function errorsOf(text: string): string[] {
  try {
    parseHbaConfig(text, '/data/pg_hba.conf');
  } catch (e) {
    assert.ok(e instanceof HbaConfigError);
    return e.errors.map((x) => `${x.lineNumber}: ${x.message}${x.hint ? ` | ${x.hint}` : ''}`);
  }
  return [];
}

test('tokenizing: comments, quotes, comma lists, options', () => {
  const config = parseHbaConfig(
    [
      '# comment',
      '',
      '   ',
      'local  all  all  trust  # trailing comment',
      'host "all","my db",sameuser  "+admins",+staff,bob  10.0.0.0/8  md5',
      'host "we""ird#x" u  ::1/128  scram-sha-256',
      'hostssl all all 0.0.0.0/0 password clientcert=0',
      'hostnossl db1, db2 u 192.168.1.0 255.255.255.0 reject',
    ].join('\n'),
    'pg_hba.conf',
  );
  assert.equal(config.rules.length, 5);
  const [local, host, quoted, ssl, nossl] = config.rules;
  assert.equal(local.lineNumber, 4);
  assert.equal(local.connectionType, 'local');
  assert.equal(local.address, null);
  assert.equal(local.method, 'trust');
  assert.equal(local.rawLine, 'local  all  all  trust  # trailing comment');
  assert.deepEqual(host.databases, [
    { text: 'all', quoted: true },
    { text: 'my db', quoted: true },
    { text: 'sameuser', quoted: false },
  ]);
  assert.deepEqual(host.users, [
    { text: '+admins', quoted: true },
    { text: '+staff', quoted: false },
    { text: 'bob', quoted: false },
  ]);
  assert.equal(host.method, 'md5');
  assert.deepEqual(quoted.databases, [{ text: 'we"ird#x', quoted: true }]);
  assert.equal(quoted.method, 'scram-sha-256');
  assert.deepEqual(ssl.options, { clientcert: '0' });
  assert.deepEqual(nossl.databases.map((t) => t.text), ['db1', 'db2']);
  assert.equal(nossl.method, 'reject');
});

test('parse errors are reported with file:line and PostgreSQL wording', () => {
  const lines = [
    'hostx all all 127.0.0.1/32 trust',
    'host all',
    'host all all',
    'host all all 127.0.0.1',
    'host all all 127.0.0.1/33 trust',
    'host all all 127.0.0.1/x trust',
    'host all all 127.0.0.1 ::1 trust',
    'host all all 127.0.0.1/32',
    'host all all 127.0.0.1/32 foo',
    'host all all 127.0.0.1/32 trust,md5',
    'host all all 127.0.0.1/32 trust bar',
    'host all all 127.0.0.1/32 trust bar=1',
    'host all all 127.0.0.1/32 trust map=x',
    'host all all 127.0.0.1/32 trust clientcert=1',
    'host,local all all 127.0.0.1/32 trust',
    'host all all 1.2.3.4,5.6.7.8 255.0.0.0 trust',
    'host all all foo.example/8 trust',
    'host all all 127.0.0.1 255.0.0.0,255.0.0.0 trust',
    'host all all 127.0.0.1 bad trust',
    'host all all 127.0.0.1/32 ident',
    'host all all ::1/129 trust',
    'local all',
    'host all all 127.0.0.1/32 trust',
  ];
  assert.deepEqual(errorsOf(lines.join('\n')), [
    '1: invalid connection type "hostx"',
    '2: end-of-line before role specification',
    '3: end-of-line before IP address specification',
    '4: end-of-line before netmask specification | Specify an address range in CIDR notation, or provide a separate netmask.',
    '5: invalid CIDR mask in address "127.0.0.1/33"',
    '6: invalid CIDR mask in address "127.0.0.1/x"',
    '7: IP address and mask do not match',
    '8: end-of-line before authentication method',
    '9: invalid authentication method "foo"',
    '10: multiple values specified for authentication type | Specify exactly one authentication type per line.',
    '11: authentication option not in name=value format: bar',
    '12: unrecognized authentication option name: "bar"',
    '13: authentication option "map" is only valid for authentication methods ident, peer, gssapi, sspi, and cert',
    '14: clientcert can only be configured for "hostssl" rows',
    '15: multiple values specified for connection type | Specify exactly one connection type per line.',
    '16: multiple values specified for host address | Specify one address per line.',
    '17: specifying both host name and CIDR mask is invalid: "foo.example/8"',
    '18: multiple values specified for netmask',
    '19: invalid IP mask "bad": Name or service not known',
    '20: invalid authentication method "ident": not supported by this build',
    '21: invalid CIDR mask in address "::1/129"',
    '22: end-of-line before role specification',
  ]);
  try {
    parseHbaConfig('host all all 127.0.0.1/32 trust\nfoo', '/data/pg_hba.conf');
    assert.fail('expected an error');
  } catch (e) {
    assert.ok(e instanceof HbaConfigError);
    assert.equal(e.message, '/data/pg_hba.conf:2: invalid connection type "foo"');
  }
});

test('unsupported features are errors on their line', () => {
  assert.deepEqual(errorsOf('host all all db.example.com trust'), [
    '1: host name "db.example.com" in pg_hba.conf is not supported by this server; use an IP address',
  ]);
  assert.deepEqual(errorsOf('host @dbs all 127.0.0.1/32 trust'), [
    '1: file inclusion "@dbs" in pg_hba.conf is not supported by this server',
  ]);
  assert.deepEqual(errorsOf('hostssl all all 0.0.0.0/0 trust clientcert=1'), ['1: clientcert=1 is not supported by this server']);
  assert.deepEqual(errorsOf('# nothing\n\n'), ['0: configuration file "/data/pg_hba.conf" contains no entries']);
});

test('hostssl warning when SSL is disabled', () => {
  const warnings: string[] = [];
  parseHbaConfig('hostssl all all 0.0.0.0/0 md5', 'f', { sslEnabled: false, onWarning: (w) => warnings.push(`${w.lineNumber}: ${w.message}`) });
  assert.deepEqual(warnings, ['1: hostssl record cannot match because SSL is disabled']);
});

test('the default file parses and trusts loopback only', () => {
  const config = parseHbaConfig(DEFAULT_HBA_CONF, 'pg_hba.conf');
  assert.deepEqual(
    config.rules.map((r) => [r.connectionType, r.method]),
    [
      ['local', 'trust'],
      ['host', 'trust'],
      ['host', 'trust'],
    ],
  );
  const conn = (remoteAddress: string | null): HbaConnection => ({ remoteAddress, ssl: false, user: 'u', database: 'd' });
  assert.equal(matchHbaRule(config, conn('127.0.0.1'))?.lineNumber, 16);
  assert.equal(matchHbaRule(config, conn('::ffff:127.0.0.1'))?.lineNumber, 16);
  assert.equal(matchHbaRule(config, conn('::1'))?.lineNumber, 17);
  assert.equal(matchHbaRule(config, conn(null))?.lineNumber, 15);
  assert.equal(matchHbaRule(config, conn('127.0.0.2')), null);
  assert.equal(matchHbaRule(config, conn('10.1.2.3')), null);
});

const MATCH_CONFIG = `
host    all         all         127.0.0.1/32        trust
host    sales       +staff      10.0.0.0/8          md5
host    samerole    all         10.0.0.0/8          password
host    sameuser    all         10.0.0.0/8          scram-sha-256
host    "all"       all         10.0.0.0/8          reject
hostssl all         bob         192.168.0.0 255.255.0.0  scram-sha-256
hostnossl all       bob         192.168.0.0/16      md5
host    all         "+lit"      2001:db8::/32       md5
host    all         all         ::ffff:0:0/96       reject
host    all         all         fe80::/10           password
host    all         all         samehost            trust
host    all         all         samenet             md5
host    replication all         0.0.0.0/0           trust
host    all         all         0.0.0.0/0           scram-sha-256
`;

test('matching table: first matching line wins', () => {
  const config = parseHbaConfig(MATCH_CONFIG, 'pg_hba.conf');
  const options: HbaMatchOptions = {
    isMemberOf: (user, role) => user === role || (role === 'staff' && user === 'carol') || (role === 'sales' && user === 'dave'),
    localInterfaces: () => [
      { address: '172.16.5.1', netmask: '255.255.255.0' },
      { address: 'fd00::1', netmask: 'ffff:ffff:ffff:ffff::' },
    ],
  };
  const cases: [string | null, boolean, string, string, number | null][] = [
    // address, ssl, user, database, expected line
    ['127.0.0.1', false, 'x', 'y', 2],
    ['::ffff:127.0.0.1', false, 'x', 'y', 2], // IPv4-mapped matches IPv4 rules
    ['10.1.1.1', false, 'carol', 'sales', 3], // +staff membership
    ['10.1.1.1', false, 'erin', 'sales', 15], // not in staff; no 'sales' role membership, "all" quoted is a name
    ['10.1.1.1', false, 'dave', 'sales', 4], // samerole: dave is a member of role sales
    ['10.1.1.1', false, 'frank', 'frank', 4], // samerole: a role is a member of itself
    ['10.1.1.1', false, 'gina', 'all', 6], // quoted "all" matches a database literally named all
    ['192.168.3.4', true, 'bob', 'db', 7],
    ['192.168.3.4', false, 'bob', 'db', 8],
    ['192.168.3.4', false, 'alice', 'db', 15],
    ['2001:db8::5', false, '+lit', 'db', 9], // quoted "+lit" is a plain name
    ['2001:db8::5', false, 'lit', 'db', null], // ...not a group reference; 0.0.0.0/0 is IPv4 only
    ['fe80::1%eth0', false, 'x', 'db', 11], // zone index ignored
    ['172.16.5.1', false, 'x', 'db', 12], // samehost
    ['172.16.5.77', false, 'x', 'db', 13], // samenet
    ['fd00::abcd', false, 'x', 'db', 13], // samenet IPv6
    ['172.16.6.1', false, 'x', 'db', 15],
    ['::1', false, 'x', 'db', null], // IPv6 client: 0.0.0.0/0 is IPv4 only
    [null, false, 'x', 'db', null], // Unix socket: no local line
  ];
  for (const [remoteAddress, ssl, user, database, expected] of cases) {
    const rule = matchHbaRule(config, { remoteAddress, ssl, user, database }, options);
    assert.equal(rule?.lineNumber ?? null, expected, `${remoteAddress} ${user}@${database} ssl=${ssl}`);
  }
});

test('samerole without a membership callback means the identical role', () => {
  const config = parseHbaConfig('host samerole all 0.0.0.0/0 trust', 'f');
  assert.ok(matchHbaRule(config, { remoteAddress: '1.2.3.4', ssl: false, user: 'ann', database: 'ann' }));
  assert.equal(matchHbaRule(config, { remoteAddress: '1.2.3.4', ssl: false, user: 'ann', database: 'bob' }), null);
});

test('no matching entry and reject messages', () => {
  const config = parseHbaConfig('host all all 127.0.0.1/32 trust', 'f');
  assert.throws(
    () => findHbaRule(config, { remoteAddress: '::ffff:1.2.3.4', ssl: false, user: 'u', database: 'd' }),
    (e: PgError) =>
      e.code === '28000' &&
      e.severity === 'FATAL' &&
      e.message === 'no pg_hba.conf entry for host "1.2.3.4", user "u", database "d", SSL off',
  );
  assert.throws(
    () => findHbaRule(config, { remoteAddress: '2001:db8:0:0:1:0:0:1', ssl: true, user: 'u', database: 'd' }),
    (e: PgError) => e.message === 'no pg_hba.conf entry for host "2001:db8::1:0:0:1", user "u", database "d", SSL on',
  );
  assert.equal(
    hbaRejectError({ remoteAddress: null, ssl: false, user: 'u', database: 'd' }).message,
    'pg_hba.conf rejects connection for host "[local]", user "u", database "d", SSL off',
  );
});

test('IP address parsing and formatting', () => {
  const cases: [string, string][] = [
    ['127.0.0.1', '127.0.0.1'],
    ['::ffff:10.0.0.1', '10.0.0.1'],
    ['::ffff:a00:1', '10.0.0.1'],
    ['::1', '::1'],
    ['::', '::'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['1:0:0:2:0:0:0:3', '1:0:0:2::3'],
    ['fe80::1%eth0', 'fe80::1'],
    ['64:ff9b::1.2.3.4', '64:ff9b::102:304'],
  ];
  for (const [input, expected] of cases) assert.equal(formatIpAddress(parseClientAddress(input)!), expected, input);
  assert.equal(parseClientAddress('localhost'), null);
  assert.equal(parseClientAddress('1.2.3'), null);
});
