// TLS sessions kept for resumption, by server (`host:port`), at most MAX_CACHED_SESSIONS of them:
// the oldest server's goes first.

/** How many servers' sessions one cache keeps. */
const MAX_CACHED_SESSIONS = 100;

/** A bounded map of `host:port` to the latest session (DER) from that server. */
export class SessionCache {
  #sessions = new Map<string, Buffer>();

  /** The session to offer `key`'s server, if one is kept. */
  get(key: string): Buffer | undefined {
    return this.#sessions.get(key);
  }

  /** Keeps `session` for `key`'s server, dropping the oldest server's when full. */
  set(key: string, session: Buffer): void {
    if (this.#sessions.size >= MAX_CACHED_SESSIONS && !this.#sessions.has(key)) this.#sessions.delete(this.#sessions.keys().next().value!);
    this.#sessions.set(key, session);
  }

  /** Forgets `key`'s session (one that did not lead to a verified connection). */
  delete(key: string): void {
    this.#sessions.delete(key);
  }
}
