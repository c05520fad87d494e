// The pg_hba.conf in force. Loaded at start (an invalid file stops the start)
// and on reload (an invalid file is logged and the previous rules stay).
import fs from 'node:fs';
import path from 'node:path';
import type { ServerLogger } from './log.js';
import { parseHbaConfig, type HbaConfig } from '../auth/hba.js';

export class HbaState {
  private config: HbaConfig;

  constructor(private readonly file: string, private readonly sslEnabled: () => boolean, private readonly log: ServerLogger) {
    this.config = this.load();
  }

  current(): HbaConfig {
    return this.config;
  }

  reload(): void {
    try {
      this.config = this.load();
    } catch (e) {
      this.log.log({ err: e instanceof Error ? e.message : String(e) }, `${path.basename(this.file)} was not reloaded`);
    }
  }

  private load(): HbaConfig {
    const text = fs.readFileSync(this.file, 'utf8');
    return parseHbaConfig(text, this.file, {
      sslEnabled: this.sslEnabled(),
      onWarning: (w) => this.log.log({ file: w.file, line: w.lineNumber }, w.message),
    });
  }
}
