// A session's portals, by name. A portal may hold an open cursor over its
// rows (a row-limited Execute of a plan that gives its rows one at a time):
// it is closed however the portal goes (replaced by a Bind of the same
// name, closed, ended with its transaction, or the session gone), so a
// view's scan never outlives its portal.
import type { Portal } from './session.js';

export class PortalMap extends Map<string, Portal> {
  override set(name: string, portal: Portal): this {
    const old = this.get(name);
    if (old && old !== portal) closeCursor(old);
    return super.set(name, portal);
  }

  override delete(name: string): boolean {
    const old = this.get(name);
    if (old) closeCursor(old);
    return super.delete(name);
  }

  override clear(): void {
    for (const portal of this.values()) closeCursor(portal);
    super.clear();
  }
}

/** Ends the portal's cursor, if open (its scan releases its snapshot). */
export function closeCursor(portal: Portal): void {
  const cursor = portal.cursor;
  if (!cursor) return;
  portal.cursor = null;
  cursor.return?.();
}
