// pg_hba.conf: parsing into rules and choosing the rule for a connection.
// Syntax and matching follow PostgreSQL 11 (first matching line wins; no
// match is an implicit reject). Supported methods: trust, reject, password,
// md5, scram-sha-256. Host names, @file inclusion and clientcert=1 are not
// supported and are reported as errors on their line.

import { networkInterfaces } from 'node:os';
import { PgError, SQLSTATE } from '../errors.js';
import { HbaTokenError, tokenizeHbaLine, type HbaToken } from './hba-tokenizer.js';
import { cidrMask, formatIpAddress, ipInNetwork, parseClientAddress, parseIpAddress, type IpAddress } from './ip.js';

export type { HbaToken } from './hba-tokenizer.js';

export type HbaMethod = 'trust' | 'reject' | 'password' | 'md5' | 'scram-sha-256';
export type HbaConnectionType = 'local' | 'host' | 'hostssl' | 'hostnossl';

export type HbaAddress =
  | { kind: 'all' }
  | { kind: 'samehost' }
  | { kind: 'samenet' }
  | { kind: 'network'; network: IpAddress; mask: Uint8Array };

export interface HbaRule {
  /** 1-based line number in the file. */
  lineNumber: number;
  /** The line as written (PostgreSQL logs it when authentication fails). */
  rawLine: string;
  connectionType: HbaConnectionType;
  databases: HbaToken[];
  users: HbaToken[];
  /** null for "local" lines. */
  address: HbaAddress | null;
  method: HbaMethod;
  options: Record<string, string>;
}

export interface HbaConfig {
  file: string;
  rules: HbaRule[];
}

export interface HbaLineError {
  file: string;
  /** 0 when the problem concerns the whole file. */
  lineNumber: number;
  message: string;
  hint?: string;
}

export function formatHbaLineError(e: HbaLineError): string {
  const where = e.lineNumber > 0 ? `${e.file}:${e.lineNumber}` : e.file;
  return `${where}: ${e.message}${e.hint ? ` (HINT: ${e.hint})` : ''}`;
}

/** Thrown by parseHbaConfig when any line is invalid; lists every problem, like PostgreSQL's log. */
export class HbaConfigError extends Error {
  readonly errors: HbaLineError[];
  constructor(errors: HbaLineError[]) {
    super(errors.map(formatHbaLineError).join('\n'));
    this.name = 'HbaConfigError';
    this.errors = errors;
  }
}

export interface HbaParseOptions {
  /** When false, "hostssl" lines produce a warning (they can never match), as in PostgreSQL. */
  sslEnabled?: boolean;
  onWarning?: (warning: HbaLineError) => void;
}

/** Written into new data directories: trust on loopback TCP and Unix sockets, examples for the password methods. */
export const DEFAULT_HBA_CONF = `# pg_hba.conf: client authentication
#
# TYPE  DATABASE        USER            ADDRESS                 METHOD [OPTIONS]
#
# TYPE is local (Unix-domain socket), host (TCP, with or without SSL),
# hostssl (TCP with SSL only) or hostnossl (TCP without SSL).
# DATABASE and USER are "all", a name, or a comma-separated list of names;
# DATABASE may also be "sameuser" or "samerole", USER may be "+role" to
# mean members of that role. ADDRESS is "all", "samehost", "samenet", a
# CIDR range such as 192.168.0.0/16, or an address followed by a netmask.
# METHOD is trust, reject, password, md5 or scram-sha-256.
# The first line that matches a connection decides; a connection matched
# by no line is rejected.

local   all             all                                     trust
host    all             all             127.0.0.1/32            trust
host    all             all             ::1/128                 trust

# Examples:
# host    all             all             10.0.0.0/8              md5
# host    all             all             0.0.0.0/0               scram-sha-256
# host    all             all             ::/0                    scram-sha-256
# hostssl analytics       +analysts       192.168.1.0/24          scram-sha-256
# host    all             all             0.0.0.0/0               reject
`;

const SUPPORTED_METHODS: ReadonlySet<string> = new Set(['trust', 'reject', 'password', 'md5', 'scram-sha-256']);
/** Methods PostgreSQL 11 knows but this server cannot perform. */
const UNSUPPORTED_METHODS: ReadonlySet<string> = new Set(['ident', 'peer', 'gss', 'sspi', 'pam', 'bsd', 'ldap', 'cert', 'radius']);

/** Options of methods this server does not provide, with the methods PostgreSQL names in its error. */
const OTHER_METHOD_OPTIONS: Record<string, string> = {
  map: 'ident, peer, gssapi, sspi, and cert',
  include_realm: 'gssapi and sspi',
  krb_realm: 'gssapi and sspi',
  compat_realm: 'sspi',
  upn_username: 'sspi',
  pamservice: 'pam',
  pam_use_hostname: 'pam',
  ldapurl: 'ldap',
  ldaptls: 'ldap',
  ldapscheme: 'ldap',
  ldapserver: 'ldap',
  ldapport: 'ldap',
  ldapbinddn: 'ldap',
  ldapbindpasswd: 'ldap',
  ldapsearchattribute: 'ldap',
  ldapsearchfilter: 'ldap',
  ldapbasedn: 'ldap',
  ldapprefix: 'ldap',
  ldapsuffix: 'ldap',
  radiusservers: 'radius',
  radiussecrets: 'radius',
  radiusidentifiers: 'radius',
  radiusports: 'radius',
};

class LineError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

function isKeyword(token: HbaToken, keyword: string): boolean {
  return !token.quoted && token.text === keyword;
}

function single(field: HbaToken[], multipleMessage: string, hint: string): HbaToken {
  if (field.length > 1) throw new LineError(multipleMessage, hint);
  return field[0];
}

function parseAddress(fields: HbaToken[][], index: number): { address: HbaAddress; next: number } {
  const field = fields[index];
  if (field === undefined) throw new LineError('end-of-line before IP address specification');
  const token = single(field, 'multiple values specified for host address', 'Specify one address per line.');
  if (isKeyword(token, 'all')) return { address: { kind: 'all' }, next: index + 1 };
  if (isKeyword(token, 'samehost')) return { address: { kind: 'samehost' }, next: index + 1 };
  if (isKeyword(token, 'samenet')) return { address: { kind: 'samenet' }, next: index + 1 };

  const slash = token.text.indexOf('/');
  const addressText = slash < 0 ? token.text : token.text.slice(0, slash);
  const network = parseIpAddress(addressText);
  if (network === null) {
    if (slash >= 0) throw new LineError(`specifying both host name and CIDR mask is invalid: "${token.text}"`);
    throw new LineError(`host name "${addressText}" in pg_hba.conf is not supported by this server; use an IP address`);
  }
  if (slash >= 0) {
    const bitsText = token.text.slice(slash + 1);
    const bits = /^[0-9]+$/.test(bitsText) ? Number(bitsText) : NaN;
    const mask = cidrMask(network.family, bits);
    if (mask === null) throw new LineError(`invalid CIDR mask in address "${token.text}"`);
    return { address: { kind: 'network', network, mask }, next: index + 1 };
  }

  const maskField = fields[index + 1];
  if (maskField === undefined) {
    throw new LineError(
      'end-of-line before netmask specification',
      'Specify an address range in CIDR notation, or provide a separate netmask.',
    );
  }
  if (maskField.length > 1) throw new LineError('multiple values specified for netmask');
  const mask = parseIpAddress(maskField[0].text);
  if (mask === null) throw new LineError(`invalid IP mask "${maskField[0].text}": Name or service not known`);
  if (mask.family !== network.family) throw new LineError('IP address and mask do not match');
  return { address: { kind: 'network', network, mask: mask.bytes }, next: index + 2 };
}

function parseMethod(field: HbaToken[] | undefined): HbaMethod {
  if (field === undefined) throw new LineError('end-of-line before authentication method');
  const token = single(
    field,
    'multiple values specified for authentication type',
    'Specify exactly one authentication type per line.',
  );
  if (SUPPORTED_METHODS.has(token.text)) return token.text as HbaMethod;
  if (UNSUPPORTED_METHODS.has(token.text)) {
    throw new LineError(`invalid authentication method "${token.text}": not supported by this build`);
  }
  throw new LineError(`invalid authentication method "${token.text}"`);
}

function parseOptions(fields: HbaToken[][], from: number, connectionType: HbaConnectionType): Record<string, string> {
  const options: Record<string, string> = {};
  for (let i = from; i < fields.length; i++) {
    for (const token of fields[i]) {
      const eq = token.text.indexOf('=');
      if (eq < 0) throw new LineError(`authentication option not in name=value format: ${token.text}`);
      const name = token.text.slice(0, eq);
      const value = token.text.slice(eq + 1);
      if (name === 'clientcert') {
        if (connectionType !== 'hostssl') throw new LineError('clientcert can only be configured for "hostssl" rows');
        if (value === '1') throw new LineError('clientcert=1 is not supported by this server');
      } else if (OTHER_METHOD_OPTIONS[name] !== undefined) {
        throw new LineError(
          `authentication option "${name}" is only valid for authentication methods ${OTHER_METHOD_OPTIONS[name]}`,
        );
      } else {
        throw new LineError(`unrecognized authentication option name: "${name}"`);
      }
      options[name] = value;
    }
  }
  return options;
}

function checkNoFileInclusion(field: HbaToken[]): void {
  for (const token of field) {
    if (!token.quoted && token.text.length > 1 && token.text[0] === '@') {
      throw new LineError(`file inclusion "${token.text}" in pg_hba.conf is not supported by this server`);
    }
  }
}

function parseConnectionType(field: HbaToken[]): HbaConnectionType {
  const token = single(field, 'multiple values specified for connection type', 'Specify exactly one connection type per line.');
  switch (token.text) {
    case 'local':
    case 'host':
    case 'hostssl':
    case 'hostnossl':
      return token.text;
    default:
      throw new LineError(`invalid connection type "${token.text}"`);
  }
}

function parseRule(fields: HbaToken[][], lineNumber: number, rawLine: string): HbaRule {
  const connectionType = parseConnectionType(fields[0]);
  const databases = fields[1];
  if (databases === undefined) throw new LineError('end-of-line before database specification');
  const users = fields[2];
  if (users === undefined) throw new LineError('end-of-line before role specification');
  checkNoFileInclusion(databases);
  checkNoFileInclusion(users);
  let next = 3;
  let address: HbaAddress | null = null;
  if (connectionType !== 'local') {
    const parsed = parseAddress(fields, next);
    address = parsed.address;
    next = parsed.next;
  }
  const method = parseMethod(fields[next]);
  const options = parseOptions(fields, next + 1, connectionType);
  return { lineNumber, rawLine, connectionType, databases, users, address, method, options };
}

/**
 * Parses pg_hba.conf text. `file` names the file in error messages.
 * Throws HbaConfigError listing every bad line (or an empty file).
 */
export function parseHbaConfig(text: string, file: string, options: HbaParseOptions = {}): HbaConfig {
  const rules: HbaRule[] = [];
  const errors: HbaLineError[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const lineNumber = i + 1;
    try {
      const tokenized = tokenizeHbaLine(lines[i], lineNumber);
      if (tokenized === null) continue;
      const rule = parseRule(tokenized.fields, lineNumber, lines[i].replace(/\r$/, ''));
      if (rule.connectionType === 'hostssl' && options.sslEnabled === false) {
        options.onWarning?.({
          file,
          lineNumber,
          message: 'hostssl record cannot match because SSL is disabled',
          hint: 'Set ssl = on in postgresql.conf.',
        });
      }
      rules.push(rule);
    } catch (e) {
      if (e instanceof LineError) errors.push({ file, lineNumber, message: e.message, hint: e.hint });
      else if (e instanceof HbaTokenError) errors.push({ file, lineNumber, message: e.message });
      else throw e;
    }
  }
  if (errors.length === 0 && rules.length === 0) {
    errors.push({ file, lineNumber: 0, message: `configuration file "${file}" contains no entries` });
  }
  if (errors.length > 0) throw new HbaConfigError(errors);
  return { file, rules };
}

/** What pg_hba.conf matching needs to know about a connection. */
export interface HbaConnection {
  /** Peer IP address as Node reports it (socket.remoteAddress); null for a Unix-domain socket. */
  remoteAddress: string | null;
  ssl: boolean;
  user: string;
  database: string;
}

export interface LocalInterface {
  address: string;
  netmask: string;
}

export interface HbaMatchOptions {
  /**
   * Whether `user` is a member of role `role` (directly or indirectly, not
   * counting superuser status), for "+role" and "samerole". A role is always
   * a member of itself. Without it, membership is only that identity.
   */
  isMemberOf?: (user: string, role: string) => boolean;
  /** The server's network interfaces, for samehost/samenet (default: os.networkInterfaces()). */
  localInterfaces?: () => LocalInterface[];
}

function systemInterfaces(): LocalInterface[] {
  const result: LocalInterface[] = [];
  for (const list of Object.values(networkInterfaces())) {
    for (const item of list ?? []) result.push({ address: item.address, netmask: item.netmask });
  }
  return result;
}

function isMember(user: string, role: string, options: HbaMatchOptions): boolean {
  if (options.isMemberOf) return options.isMemberOf(user, role);
  return user === role;
}

function databaseMatches(tokens: HbaToken[], database: string, user: string, options: HbaMatchOptions): boolean {
  for (const token of tokens) {
    if (isKeyword(token, 'all')) return true;
    if (isKeyword(token, 'sameuser')) {
      if (database === user) return true;
    } else if (isKeyword(token, 'samerole') || isKeyword(token, 'samegroup')) {
      if (isMember(user, database, options)) return true;
    } else if (isKeyword(token, 'replication')) {
      continue; // only replication connections, which this server does not accept
    } else if (token.text === database) {
      return true;
    }
  }
  return false;
}

function userMatches(tokens: HbaToken[], user: string, options: HbaMatchOptions): boolean {
  for (const token of tokens) {
    if (!token.quoted && token.text[0] === '+') {
      if (isMember(user, token.text.slice(1), options)) return true;
    } else if (token.text === user || isKeyword(token, 'all')) {
      return true;
    }
  }
  return false;
}

function sameHostOrNet(client: IpAddress, kind: 'samehost' | 'samenet', options: HbaMatchOptions): boolean {
  for (const item of (options.localInterfaces ?? systemInterfaces)()) {
    const address = parseIpAddress(item.address);
    if (address === null || address.family !== client.family) continue;
    let mask: Uint8Array | null;
    if (kind === 'samehost') {
      mask = cidrMask(address.family, address.family === 4 ? 32 : 128);
    } else {
      mask = parseIpAddress(item.netmask)?.bytes ?? null;
    }
    if (mask !== null && mask.length === address.bytes.length && ipInNetwork(client, address, mask)) return true;
  }
  return false;
}

function addressMatches(address: HbaAddress, client: IpAddress, options: HbaMatchOptions): boolean {
  switch (address.kind) {
    case 'all':
      return true;
    case 'samehost':
    case 'samenet':
      return sameHostOrNet(client, address.kind, options);
    case 'network':
      return ipInNetwork(client, address.network, address.mask);
  }
}

/** The first rule matching the connection, or null (an implicit reject). */
export function matchHbaRule(config: HbaConfig, connection: HbaConnection, options: HbaMatchOptions = {}): HbaRule | null {
  const client = connection.remoteAddress === null ? null : parseClientAddress(connection.remoteAddress);
  for (const rule of config.rules) {
    if (rule.connectionType === 'local') {
      if (connection.remoteAddress !== null) continue;
    } else {
      if (connection.remoteAddress === null || client === null) continue;
      if (rule.connectionType === (connection.ssl ? 'hostnossl' : 'hostssl')) continue;
      if (!addressMatches(rule.address!, client, options)) continue;
    }
    if (!databaseMatches(rule.databases, connection.database, connection.user, options)) continue;
    if (!userMatches(rule.users, connection.user, options)) continue;
    return rule;
  }
  return null;
}

/** The first rule matching the connection; throws the FATAL "no pg_hba.conf entry" error when none does. */
export function findHbaRule(config: HbaConfig, connection: HbaConnection, options: HbaMatchOptions = {}): HbaRule {
  const rule = matchHbaRule(config, connection, options);
  if (rule === null) throw noHbaEntryError(connection);
  return rule;
}

/** How PostgreSQL names the client host in authentication errors. */
export function clientHostDescription(remoteAddress: string | null): string {
  if (remoteAddress === null) return '[local]';
  const parsed = parseClientAddress(remoteAddress);
  return parsed === null ? remoteAddress : formatIpAddress(parsed);
}

function describeConnection(c: HbaConnection): string {
  return `host "${clientHostDescription(c.remoteAddress)}", user "${c.user}", database "${c.database}", ${c.ssl ? 'SSL on' : 'SSL off'}`;
}

/** FATAL 28000 for a connection no pg_hba.conf line matches. */
export function noHbaEntryError(connection: HbaConnection): PgError {
  return new PgError(SQLSTATE.invalid_authorization_specification, `no pg_hba.conf entry for ${describeConnection(connection)}`, {
    severity: 'FATAL',
  });
}

/** FATAL 28000 for a connection matched by a "reject" line. */
export function hbaRejectError(connection: HbaConnection): PgError {
  return new PgError(
    SQLSTATE.invalid_authorization_specification,
    `pg_hba.conf rejects connection for ${describeConnection(connection)}`,
    { severity: 'FATAL' },
  );
}
