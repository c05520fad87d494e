// The server process: loads settings and the catalog from the data
// directory, listens for connections and runs the shutdown modes.
import net from 'node:net';
import path from 'node:path';
import { PgError, SQLSTATE } from '../errors.js';
import { ServerSettings, SessionSettings } from '../config/settings.js';
import { Engine } from '../engine/engine.js';
import { PipelineRuntime } from '../engine/pipeline-runtime.js';
import { loadParser } from '../sql/parse-statements.js';
import { Catalog } from '../storage/catalog.js';
import { openEnvironment } from '../storage/lmdb-env.js';
import { CONF_FILE, HBA_FILE } from '../storage/init.js';
import { BackendRegistry } from './backend-registry.js';
import { Connection } from './connection.js';
import { HbaState } from './hba-state.js';
import { TlsState } from './tls-state.js';
import { createLogger, pinoLevel } from './log.js';
import { NotificationHub } from './notification-hub.js';
import type { ServerContext } from './server-context.js';
import type { RunningServer, ServerOptions, ShutdownMode } from './server-api.js';

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const dataDir = path.resolve(opts.dataDir);
  await loadParser();
  const log = createLogger('warn');
  // Configuration messages are LOG-level in PostgreSQL's server log.
  const settingsLog = { info: (m: string) => log.log(m), warn: (m: string) => log.log(m), error: (m: string) => log.log(m) };
  const settings = ServerSettings.load({ configFile: path.join(dataDir, CONF_FILE), overrides: opts.settings, dataDir, logger: settingsLog });
  log.level = pinoLevel(settings.getString('log_min_messages'));

  const tlsState = new TlsState(dataDir, settings, log);
  const hbaFile = settings.getString('hba_file') || path.join(dataDir, HBA_FILE);
  const hba = new HbaState(path.resolve(dataDir, hbaFile), () => tlsState.current() !== null, log);

  const env = openEnvironment(dataDir);
  const catalog = new Catalog(env);
  // Continuous queries run in their own threads; they evaluate with the server's default I/O settings.
  const engine = await Engine.start({
    dataDir,
    env,
    workers: settings.getNumber('pipelinedb.num_workers'),
    combiners: settings.getNumber('pipelinedb.num_combiners'),
    commitIntervalMs: settings.getNumber('pipelinedb.commit_interval'),
    combinerCacheBytes: settings.getNumber('pipelinedb.combiner_work_mem') * 1024,
    io: new SessionSettings(settings).ioContext(),
    log,
  });
  const mockAuthNonce = catalog.mockAuthNonce();
  const backends = new BackendRegistry();
  const connections = new Set<Connection>();
  let accepting = true;

  const ctx: ServerContext = {
    dataDir,
    catalog,
    engine,
    backends,
    notifications: new NotificationHub(),
    settings,
    log,
    dropDatabase(name) {
      // Its streams and views go first; the runtime then clears their state.
      const db = catalog.getDatabase(name);
      if (db) catalog.pipeline().dropDatabaseObjects(db.oid);
      catalog.dropDatabase(name);
    },
  };

  ctx.pipelineRuntime = new PipelineRuntime(catalog, engine, new SessionSettings(settings).ioContext(), log);

  const port = settings.getNumber('port');
  const addresses = listenAddresses(settings.getString('listen_addresses'));
  // Every address listens on the port the first one got.
  // As in PostgreSQL, an address that cannot be bound is a warning while another one works.
  const listeners: net.Server[] = [];
  let boundPort = port;
  for (const host of addresses) {
    try {
      listeners.push(await listen(host, boundPort));
      boundPort = (listeners[0]!.address() as net.AddressInfo).port;
    } catch (e) {
      log.warn({ host, port: boundPort, err: e instanceof Error ? e.message : String(e) }, 'could not create listen socket');
    }
  }
  if (listeners.length === 0) {
    await engine.stop(true);
    await env.close();
    throw new Error(`could not create any TCP/IP sockets for "${settings.getString('listen_addresses')}" port ${port}`);
  }
  log.log({ port: boundPort, addresses }, 'database system is ready to accept connections');

  function listen(host: string, p: number): Promise<net.Server> {
    return new Promise((resolve, reject) => {
      const srv = net.createServer({ noDelay: true }, (socket) => {
        // A socket reset before accept has no peer address; never mistake it for a local client.
        const remoteAddress = socket.remoteAddress;
        // Sockets that never log in count too: cap them well above max_connections.
        if (!remoteAddress || connections.size >= 2 * settings.getNumber('max_connections') + 10) {
          socket.destroy();
          return;
        }
        const conn = new Connection(socket, remoteAddress, {
          server: ctx,
          hba,
          tls: tlsState,
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
      srv.listen({ host, port: p, exclusive: true, ipv6Only: host === '::' }, () => {
        srv.off('error', reject);
        srv.on('error', (e) => log.error({ host, err: e.message }, 'listen socket error'));
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
    // A clean stop sends the async writers' last rows and commits what the combiners hold;
    // an immediate one leaves the last commit.
    if (flush) ctx.pipelineRuntime?.flushAsync();
    await engine.stop(flush);
    if (flush) await env.close();
    log.log('database system is shut down');
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
      log.log({ mode }, 'received shutdown request');
      for (const l of listeners) l.close();
      if (mode === 'smart') {
        maybeFinishSmart();
        return closed;
      }
      const fatal =
        mode === 'fast'
          ? new PgError(SQLSTATE.admin_shutdown, 'terminating connection due to administrator command', { severity: 'FATAL' })
          : new PgError(SQLSTATE.crash_shutdown, 'terminating connection because of crash of another server process', { severity: 'FATAL' });
      for (const c of [...connections]) c.terminateWith(fatal, mode === 'immediate');
      await finish(mode === 'fast');
      return closed;
    },
    reload() {
      log.log('received SIGHUP, reloading configuration files');
      settings.reload();
      tlsState.reload();
      hba.reload();
      log.level = pinoLevel(settings.getString('log_min_messages'));
    },
  };
  return running;
}

/** listen_addresses: comma-separated hosts; '*' means every IPv4 and IPv6 address, 'localhost' both loopbacks. */
function listenAddresses(value: string): string[] {
  const out: string[] = [];
  for (const raw of value.split(',')) {
    const a = raw.trim();
    if (a === '') continue;
    if (a === '*') out.push('0.0.0.0', '::');
    else if (a === 'localhost') out.push('127.0.0.1', '::1');
    else out.push(a);
  }
  if (out.length === 0) throw new Error('no socket created for listening (listen_addresses is empty)');
  return [...new Set(out)];
}
