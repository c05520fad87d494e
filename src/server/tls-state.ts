// The TLS setup in force: built at start when ssl = on, rebuilt on reload
// (ssl, ssl_cert_file and ssl_key_file are reloadable, as in PostgreSQL). A
// reload that cannot load the certificate keeps the previous setup.
import fs from 'node:fs';
import path from 'node:path';
import tls from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { tlsServerEndPointHash } from '../auth/channel-binding.js';
import type { ServerSettings } from '../config/settings.js';
import type { ServerLogger } from './log.js';

export interface TlsSetup {
  context: tls.SecureContext;
  /** tls-server-end-point hash of the certificate, for SCRAM channel binding (null: not available). */
  certificateHash: Buffer | null;
}

export class TlsState {
  private setup: TlsSetup | null;

  /** Throws at start when ssl = on and the certificate or key cannot be loaded. */
  constructor(private readonly dataDir: string, private readonly settings: ServerSettings, private readonly log: ServerLogger) {
    this.setup = settings.getBoolean('ssl') ? this.load() : null;
  }

  /** null when SSL is off: SSLRequest is then answered 'N'. */
  current(): TlsSetup | null {
    return this.setup;
  }

  reload(): void {
    if (!this.settings.getBoolean('ssl')) {
      this.setup = null;
      return;
    }
    try {
      this.setup = this.load();
    } catch (e) {
      this.log.log({ err: e instanceof Error ? e.message : String(e) }, 'SSL configuration was not reloaded');
    }
  }

  private load(): TlsSetup {
    const certFile = path.resolve(this.dataDir, this.settings.getString('ssl_cert_file'));
    const keyFile = path.resolve(this.dataDir, this.settings.getString('ssl_key_file'));
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
}
