// node-postgres helpers shared by the end-to-end suites: connecting to the
// test server, closing clients, asserting on the PostgreSQL error a query or
// login fails with, and retrying while a departing session still holds a slot.
import assert from 'node:assert/strict';
import pg from 'pg';
import type { TestServer } from './server.js';
import { sleep } from './wait.js';

/** What expectPgError checks besides SQLSTATE and message; only the fields given are compared. */
export interface PgErrorFields {
  /** DETAIL of the error. */
  detail?: string;
  /** ERROR, FATAL, ... (FATAL for refused logins). */
  severity?: string;
}

/** A pg.Client connected to the test server as postgres/postgres, `extra` overriding any connection setting. */
export async function connectClient(server: TestServer, extra: Partial<pg.ClientConfig> = {}): Promise<pg.Client> {
  const client = new pg.Client({ ...server.connectionConfig, ...extra });
  await client.connect();
  return client;
}

/** Runs `fn` on a fresh client connected with `extra` and always ends the client afterwards. */
export async function withClient<T>(server: TestServer, fn: (client: pg.Client) => Promise<T>, extra: Partial<pg.ClientConfig> = {}): Promise<T> {
  const client = await connectClient(server, extra);
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Ends every client, ignoring those already closed or broken. */
export async function endAll(clients: pg.Client[]): Promise<void> {
  await Promise.all(clients.map((c) => c.end().catch(() => {})));
}

/** Asserts that `promise` rejects with this SQLSTATE and message (and the given detail / severity). */
export async function expectPgError(promise: Promise<unknown>, code: string, message: string, fields: PgErrorFields = {}): Promise<void> {
  await assert.rejects(promise, (e: any) => {
    assert.equal(e.code, code, e.message);
    if (fields.severity !== undefined) assert.equal(e.severity, fields.severity);
    assert.equal(e.message, message);
    if (fields.detail !== undefined) assert.equal(e.detail, fields.detail);
    return true;
  });
}

/** Runs `action` again every 50 ms while it fails with SQLSTATE `code`, for at most `timeoutMs`; then the error stands. */
export async function retryWhilePgError<T>(code: string, action: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await action();
    } catch (e: any) {
      if (e?.code !== code || Date.now() > deadline) throw e;
      await sleep(50);
    }
  }
}
