// LISTEN/NOTIFY across the sessions of one server. Channels belong to a
// database, as in PostgreSQL: a NOTIFY reaches the sessions of the sender's
// database listening on the channel (the sender included).

export interface NotificationTarget {
  readonly pid: number;
  /** Bytes of notifications received and not yet sent to the client. */
  readonly notificationBacklog: number;
  /** Queues the notification; the session sends it when it is next idle. */
  deliverNotification(senderPid: number, channel: string, payload: string): void;
}

export class NotificationHub {
  private readonly channels = new Map<string, Set<NotificationTarget>>();

  listen(target: NotificationTarget, database: string, channel: string): void {
    const key = channelKey(database, channel);
    let set = this.channels.get(key);
    if (!set) this.channels.set(key, (set = new Set()));
    set.add(target);
  }

  unlisten(target: NotificationTarget, database: string, channel: string): void {
    this.remove(target, channelKey(database, channel));
  }

  unlistenAll(target: NotificationTarget): void {
    for (const key of [...this.channels.keys()]) this.remove(target, key);
  }

  /** True when a listener of the channel holds `limitBytes` or more unsent notifications. */
  anyListenerFull(database: string, channel: string, limitBytes: number): boolean {
    const set = this.channels.get(channelKey(database, channel));
    if (!set) return false;
    for (const t of set) if (t.notificationBacklog >= limitBytes) return true;
    return false;
  }

  publish(senderPid: number, database: string, channel: string, payload: string): void {
    const set = this.channels.get(channelKey(database, channel));
    if (!set) return;
    for (const t of set) t.deliverNotification(senderPid, channel, payload);
  }

  private remove(target: NotificationTarget, key: string): void {
    const set = this.channels.get(key);
    if (!set) return;
    set.delete(target);
    if (set.size === 0) this.channels.delete(key);
  }
}

function channelKey(database: string, channel: string): string {
  return database + '\u0000' + channel;
}
