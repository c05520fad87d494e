// LISTEN/NOTIFY across sessions of one server: committed notifications go to
// every session listening on the channel (the sender included, as in PostgreSQL).

export interface NotificationTarget {
  readonly pid: number;
  /** Queues the notification; the session sends it when it is next idle. */
  deliverNotification(senderPid: number, channel: string, payload: string): void;
}

export class NotificationHub {
  private readonly channels = new Map<string, Set<NotificationTarget>>();

  listen(target: NotificationTarget, channel: string): void {
    let set = this.channels.get(channel);
    if (!set) this.channels.set(channel, (set = new Set()));
    set.add(target);
  }

  unlisten(target: NotificationTarget, channel: string): void {
    const set = this.channels.get(channel);
    if (!set) return;
    set.delete(target);
    if (set.size === 0) this.channels.delete(channel);
  }

  unlistenAll(target: NotificationTarget): void {
    for (const channel of [...this.channels.keys()]) this.unlisten(target, channel);
  }

  publish(senderPid: number, channel: string, payload: string): void {
    const set = this.channels.get(channel);
    if (!set) return;
    for (const t of set) t.deliverNotification(senderPid, channel, payload);
  }
}
