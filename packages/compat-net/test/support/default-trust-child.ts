// Run by the default-trust test in a child process (through vite-node, so that it imports compat-net's
// source), because node reads NODE_EXTRA_CA_CERTS and --use-openssl-ca when it starts and compat-net
// reads its default trust once per process. Connects without `ca` to each port of TRUST_PORTS, with
// compat-net and with node:tls, and prints as JSON what each saw: 'authorized' or `error <code>`.
import tls from 'node:tls';

import { connect } from '../../src/index.js';

function outcome(sock: tls.TLSSocket | ReturnType<typeof connect>): Promise<string> {
  return new Promise((resolve) => {
    sock.once('secureConnect', () => {
      resolve(sock.authorized ? 'authorized' : `unauthorized ${String(sock.authorizationError)}`);
      sock.destroy();
    });
    sock.once('error', (e: Error & { code?: string }) => resolve(`error ${e.code}`));
  });
}

const results: Array<{ ours: string; node: string }> = [];
for (const port of (process.env.TRUST_PORTS ?? '').split(',').map(Number)) {
  const options = { port, host: '127.0.0.1', servername: 'localhost' };
  results.push({ ours: await outcome(connect(options)), node: await outcome(tls.connect(options)) });
}
process.stdout.write(JSON.stringify(results));
