// The server process: loads settings and the catalog from the data
// directory, listens for connections and runs the shutdown modes.
import net from 'node:net';
import tls from 'node:tls';
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PgError, SQLSTATE } from '../errors.js';
import { ServerSettings } from '../config/settings.js';
import { loadParser } from '../sql/parse-statements.js';
import { Catalog } from '../storage/catalog.js';
import { openEnvironment } from '../storage/lmdb-env.js';
import { CONF_FILE, HBA_FILE } from '../storage/init.js';
import { BackendRegistry } from './backend-registry.js';
import { Connection } from './connection.js';
import { HbaState } from './hba-state.js';
import { tlsServerEndPointHash } from '../auth/channel-binding.js';
import type { TlsSetup } from './connection.js';
import { createLogger, pinoLevel } from './log.js';
import { NotificationHub } from './notification-hub.js';
import type { ServerContext } from './server-context.js';
import type { RunningServer, ServerOptions, ShutdownMode } from './server-api.js';

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const dataDir = path.resolve(opts.dataDir);
  await loadParser();
  const settings = ServerSettings.load({ configFile: path.join(dataDir, CONF_FILE), overrides: opts.settings, dataDir });
  const log = createLogger(pinoLevel(settings.getString('log_min_messages')));

  const sslOn = settings.getBoolean('ssl');
  const tlsSetup = sslOn ? loadTls(dataDir, settings) : null;
  const hbaFile = settings.getString('hba_file') || path.join(dataDir, HBA_FILE);
  const hba = new HbaState(path.resolve(dataDir, hbaFile), sslOn, log);

  const env = openEnvironment(dataDir);
  const catalog = new Catalog(env);
  const mockAuthNonce = catalog.mockAuthNonce();
  const backends = new BackendRegistry();
  const connections = new Set<Connection>();
  let accepting = true;

  const ctx: ServerContext = {
    dataDir,
    catalog,
    backends,
    notifications: new NotificationHub(),
    settings,
    log,
    dropDatabase(name) {
      catalog.dropDatabase(name);
    },
  };

  const port = settings.getNumber('port');
  const addresses = listenAddresses(settings.getString('listen_addresses'));
  // Every address listens on the port the first one got (port 0 picks a free one).
  const listeners: net.Server[] = [await listen(addresses[0]!, port)];
  const boundPort = (listeners[0]!.address() as net.AddressInfo).port;
  for (const host of addresses.slice(1)) listeners.push(await listen(host, boundPort));
  log.info({ port: boundPort, addresses }, 'database system is ready to accept connections');

  function listen(host: string, p: number): Promise<net.Server> {
    return new Promise((resolve, reject) => {
      const srv = net.createServer({ noDelay: true }, (socket) => {
        const conn = new Connection(socket, {
          server: ctx,
          hba,
          tls: tlsSetup,
          mockAuthNonce,
          acceptingSessions: () => accepting,
          onClose: (c) => {
            connections.delete(c);
            maybeFinishSmart();
          },
        });
        connections.add(conn);
      });
      srv.once('error', reject);
      srv.listen({ host, port: p, exclusive: true }, () => {
        srv.off('error', reject);
        resolve(srv);
      });
    });
  }

  let resolveClosed!: () => void;
  const closed = new Promise<void>((r) => (resolveClosed = r));
  let stopping: ShutdownMode | null = null;
  let finished = false;

  async function finish(flush: boolean): Promise<void> {
    if (finished) return;
    finished = true;
    await Promise.all(listeners.map((l) => new Promise<void>((r) => l.close(() => r()))));
    if (flush) await env.close();
    log.info('database system is shut down');
    resolveClosed();
  }

  function maybeFinishSmart(): void {
    if (stopping === 'smart' && connections.size === 0) void finish(true);
  }

  const running: RunningServer = {
    port: boundPort,
    closed,
    async shutdown(mode) {
      // A stronger mode may take over a weaker one in progress (smart -> fast -> immediate).
      const rank = { smart: 0, fast: 1, immediate: 2 };
      if (stopping !== null && rank[mode] <= rank[stopping]) return closed;
      stopping = mode;
      accepting = false;
      log.info({ mode }, 'received shutdown request');
      for (const l of listeners) l.close();
      if (mode === 'smart') {
        maybeFinishSmart();
        return closed;
      }
      const fatal =
        mode === 'fast'
          ? new PgError(SQLSTATE.admin_shutdown, 'terminating connection due to administrator command', { severity: 'FATAL' })
          : new PgError(SQLSTATE.crash_shutdown, 'terminating connection because of crash of another server process', { severity: 'FATAL' });
      for (const c of [...connections]) c.terminateWith(fatal);
      await finish(mode === 'fast');
      return closed;
    },
    reload() {
      log.info('received SIGHUP, reloading configuration files');
      settings.reload();
      hba.reload();
      log.level = pinoLevel(settings.getString('log_min_messages'));
    },
  };
  return running;
}

/** listen_addresses: comma-separated hosts; '*' means every IPv4 and IPv6 address. */
function listenAddresses(value: string): string[] {
  const out: string[] = [];
  for (const raw of value.split(',')) {
    const a = raw.trim();
    if (a === '') continue;
    if (a === '*') out.push('0.0.0.0');
    else if (a === 'localhost') out.push('127.0.0.1');
    else out.push(a);
  }
  if (out.length === 0) throw new Error('no socket created for listening (listen_addresses is empty)');
  return [...new Set(out)];
}

function loadTls(dataDir: string, settings: ServerSettings): TlsSetup {
  const certFile = path.resolve(dataDir, settings.getString('ssl_cert_file'));
  const keyFile = path.resolve(dataDir, settings.getString('ssl_key_file'));
  let cert: Buffer;
  let context: tls.SecureContext;
  try {
    cert = fs.readFileSync(certFile);
    context = tls.createSecureContext({ cert, key: fs.readFileSync(keyFile) });
  } catch (e) {
    throw new Error(`could not load SSL certificate or key ("${certFile}", "${keyFile}"): ${e instanceof Error ? e.message : e}`);
  }
  // SCRAM-SHA-256-PLUS binds the exchange to this certificate; some key types have no defined hash.
  let certificateHash: Buffer | null = null;
  try {
    certificateHash = tlsServerEndPointHash(Buffer.from(new X509Certificate(cert).raw));
  } catch {
    certificateHash = null;
  }
  return { context, certificateHash };
}
