// Creates a data directory: configuration files, the LMDB environment and the
// bootstrap catalog (databases template1, template0, postgres and pipeline;
// the superuser).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { InitOptions } from '../server/server-api.js';
import { Catalog } from './catalog.js';
import { openEnvironment } from './lmdb-env.js';
import { DEFAULT_HBA_CONF } from '../auth/hba.js';

/** The file that marks a directory as ours, holding the on-disk format version. */
export const VERSION_FILE = 'PG_VERSION';
export const CONF_FILE = 'pipelinedb.conf';
export const HBA_FILE = 'pg_hba.conf';
/** The PostgreSQL major version whose behaviour we reproduce. */
const FORMAT_VERSION = '11';

export const BOOTSTRAP_SUPERUSER_OID = 10;

/** The repository root, found from this compiled file (dist/src/storage/init.js). */
function packageRoot(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
}

export function exampleConfigPath(): string {
  return path.join(packageRoot(), 'pipelinedb.conf.example');
}

export function isDataDirectory(dir: string): boolean {
  return fs.existsSync(path.join(dir, VERSION_FILE)) && fs.existsSync(path.join(dir, CONF_FILE));
}

/** The user name initdb would pick: the OS user, except that root gets "postgres". */
export function defaultSuperuser(): string {
  const name = os.userInfo().username;
  return !name || name === 'root' ? 'postgres' : name;
}

export async function initDataDirectory(dir: string, opts: InitOptions): Promise<void> {
  if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) {
    throw new Error(`directory "${dir}" exists but is not empty`);
  }
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.copyFileSync(exampleConfigPath(), path.join(dir, CONF_FILE));
  fs.writeFileSync(path.join(dir, HBA_FILE), DEFAULT_HBA_CONF, { mode: 0o600 });

  const env = openEnvironment(dir);
  try {
    const catalog = new Catalog(env);
    catalog.createRole({
      oid: BOOTSTRAP_SUPERUSER_OID,
      name: opts.superuser,
      superuser: true,
      login: true,
      createDb: true,
      createRole: true,
      inherit: true,
      replication: true,
      bypassRls: true,
      connectionLimit: -1,
      password: null,
      validUntil: null,
    });
    catalog.createDatabase('template1', BOOTSTRAP_SUPERUSER_OID, { oid: 1, isTemplate: true });
    // The pristine template, as initdb makes it: nobody may connect to it.
    catalog.createDatabase('template0', BOOTSTRAP_SUPERUSER_OID, { oid: 13011, isTemplate: true, allowConnections: false });
    catalog.createDatabase('postgres', BOOTSTRAP_SUPERUSER_OID, { oid: 13012 });
    catalog.createDatabase('pipeline', BOOTSTRAP_SUPERUSER_OID);
  } finally {
    await env.close();
  }
  // Written last: its presence means the directory is complete.
  fs.writeFileSync(path.join(dir, VERSION_FILE), FORMAT_VERSION + '\n');
}
