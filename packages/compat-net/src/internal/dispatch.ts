// One set of callbacks per Context: OpenSSL calls the Context's callback for every connection that
// uses it, and the callback hands the call to that connection's TLSSocket (the Connection's app
// data). Each kind is installed the first time a socket needs it. Private to the package.
import type { Connection, Context, Session } from '@ossl/ssl';

/** What a TLSSocket answers for its Connection. */
export interface ContextEvents {
  session(session: Session): void;
  keylog(line: Buffer): void;
  servername(): void;
  cert(): boolean;
  clientHello(): boolean;
  alpn(offered: Buffer[]): Buffer | null;
  pskServer(identity: Buffer | null): Buffer | null;
  pskClient(hint: Buffer | null): [Buffer | string, Buffer | string] | null;
  ocspClient(response: Buffer): boolean;
  ocspServer(): Buffer | null;
}

/** The kinds of callbacks a socket can ask for. */
export type CallbackKind = 'session' | 'keylog' | 'servername' | 'cert' | 'clientHello' | 'alpn' | 'psk' | 'ocsp';

const kEvents = Symbol.for('ossl.compat-net.events');
const wired = new WeakMap<Context, Set<CallbackKind>>();

/** The events of the socket that owns `conn`, or null for a Connection that is not a TLSSocket's. */
function eventsOf(conn: Connection): ContextEvents | null {
  const owner = conn.getAppData() as { [kEvents]?: ContextEvents } | null | undefined;
  return owner?.[kEvents] ?? null;
}

/** Installs the `kind` callbacks on `ctx` (once per Context). */
export function wireContext(ctx: Context, kind: CallbackKind): void {
  let kinds = wired.get(ctx);
  if (kinds === undefined) {
    kinds = new Set();
    wired.set(ctx, kinds);
  }
  if (kinds.has(kind)) return;
  kinds.add(kind);
  switch (kind) {
    case 'session':
      ctx.setNewSessionCallback((conn, session) => eventsOf(conn)?.session(session));
      break;
    case 'keylog':
      ctx.setKeylogCallback((conn, line) => eventsOf(conn)?.keylog(line));
      break;
    case 'servername':
      ctx.setTlsextServernameCallback((conn) => eventsOf(conn)?.servername());
      break;
    case 'cert':
      ctx.setCertCallback((conn) => eventsOf(conn)?.cert() ?? true);
      break;
    case 'clientHello':
      ctx.setClientHelloCallback((conn) => eventsOf(conn)?.clientHello() ?? true);
      break;
    case 'alpn':
      ctx.setAlpnSelectCallback((conn, offered) => eventsOf(conn)?.alpn(offered) ?? null);
      break;
    case 'psk':
      ctx.setPskServerCallback((conn, identity) => eventsOf(conn)?.pskServer(identity) ?? null);
      ctx.setPskClientCallback((conn, hint) => eventsOf(conn)?.pskClient(hint) ?? null);
      break;
    case 'ocsp':
      ctx.setOcspClientCallback((conn, response) => eventsOf(conn)?.ocspClient(response) ?? true);
      ctx.setOcspServerCallback((conn) => eventsOf(conn)?.ocspServer() ?? null);
      break;
  }
}
