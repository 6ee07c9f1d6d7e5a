/**
 * Loading the addon, and saying why when it cannot be loaded.
 *
 * The addon resolves every OpenSSL function from the process it is loaded into: Node.js exports the
 * symbols of the OpenSSL inside it. Runtimes that embed another TLS library (Bun and Electron ship
 * BoringSSL, Deno ships none) either lack those symbols, so the dynamic loader refuses the addon
 * with "undefined symbol: X509_free", or export BoringSSL functions of the same names but other
 * layouts, which would corrupt memory. So the loader refuses those runtimes before it opens the
 * file, and turns a missing-symbol failure anywhere else into a sentence that says what is wrong.
 *
 * Nothing here touches the file system or the process on import, so tests can call every helper
 * with made-up runtimes and errors.
 */

/** `process.versions`, or a made-up one in tests. */
export type RuntimeVersions = Readonly<Record<string, string | undefined>>;

/** Where the addon is looked for, for the messages. */
export interface LoadTarget {
  platform: string;
  arch: string;
}

/** What every load failure caused by the runtime (not by the install) is tagged with. */
export const ERR_RUNTIME_WITHOUT_OPENSSL = 'ERR_OSSL_NATIVE_RUNTIME_WITHOUT_OPENSSL';
/** What a load failure for want of a binary (no prebuild matched, nothing compiled) is tagged with. */
export const ERR_NO_BINARY = 'ERR_OSSL_NATIVE_NO_BINARY';

/**
 * The runtime, when it is one that cannot give the addon Node's OpenSSL: "Bun 1.1.3",
 * "Deno 2.0.0", "Electron 31.0.0"; null for Node.js.
 */
export function foreignRuntime(versions: RuntimeVersions): string | null {
  if (versions.bun) return `Bun ${versions.bun}`;
  if (versions.deno) return `Deno ${versions.deno}`;
  if (versions.electron) return `Electron ${versions.electron}`;
  return null;
}

/** "Node.js 20.20.2", or the foreign runtime's name. */
export function runtimeName(versions: RuntimeVersions): string {
  return foreignRuntime(versions) ?? `Node.js ${versions.node ?? 'unknown'}`;
}

/** Whether a dlopen failure says a symbol the addon needs is not in the process. */
export function isMissingSymbolError(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  // glibc/musl: "undefined symbol: X509_free" / "Error relocating ...: X509_free: symbol not found";
  // macOS: "Symbol not found: _X509_free"; Windows: "The specified procedure could not be found."
  return /undefined symbol|symbol not found|specified procedure could not be found/i.test(message);
}

/** The sentence every runtime-caused failure begins with. */
export function runtimeWithoutOpenSSLMessage(runtime: string): string {
  return (
    `ossl needs the OpenSSL inside Node.js: this runtime (${runtime}) does not export its symbols ` +
    "(Bun, Deno and Electron's BoringSSL lack them). Run it with Node.js 20 or later."
  );
}

function tagged(message: string, code: string, cause?: unknown): Error {
  const error = new Error(message, cause === undefined ? undefined : { cause }) as Error & { code: string };
  error.code = code;
  return error;
}

/**
 * The error to throw for a failed load: the runtime sentence when symbols are missing, a "no binary"
 * sentence when node-gyp-build found nothing to load, else the original error.
 */
export function explainLoadFailure(error: unknown, versions: RuntimeVersions, target: LoadTarget): unknown {
  const detail = error instanceof Error ? error.message.trim() : String(error);
  if (isMissingSymbolError(error)) {
    return tagged(`${runtimeWithoutOpenSSLMessage(runtimeName(versions))}\nThe loader said: ${detail}`, ERR_RUNTIME_WITHOUT_OPENSSL, error);
  }
  if (/No native build was found/.test(detail)) {
    return tagged(
      `@ossl/native: no prebuilt binary for ${target.platform}-${target.arch} and none was compiled at install. ` +
        'The install script compiles one (python3, make and a C++ compiler needed), but pnpm skips it unless allowed ' +
        "(`pnpm approve-builds`, or onlyBuiltDependencies: ['@ossl/native']) and npm skips it with --ignore-scripts; " +
        `then run \`npm rebuild @ossl/native\` or \`pnpm rebuild @ossl/native\`.\n${detail}`,
      ERR_NO_BINARY,
      error,
    );
  }
  return error;
}

/**
 * Loads the addon from `root` with `load` (node-gyp-build), refusing runtimes that cannot give it
 * Node's OpenSSL and explaining failures.
 *
 * @throws Error with code {@link ERR_RUNTIME_WITHOUT_OPENSSL} when the runtime is Bun, Deno or
 * Electron, or when the process lacks an OpenSSL symbol the addon needs.
 * @throws Error with code {@link ERR_NO_BINARY} when no prebuilt or compiled binary matches.
 */
export function loadBinding<T>(root: string, load: (dir: string) => T, versions: RuntimeVersions, target: LoadTarget): T {
  const foreign = foreignRuntime(versions);
  if (foreign) throw tagged(runtimeWithoutOpenSSLMessage(foreign), ERR_RUNTIME_WITHOUT_OPENSSL);
  try {
    return load(root);
  } catch (error) {
    throw explainLoadFailure(error, versions, target);
  }
}
