/** Why a server could not start, in one line (the CLI prints it and exits non-zero). */
export class ServerStartError extends Error {
  override name = 'ServerStartError';
}
