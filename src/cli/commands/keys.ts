import type { Config } from '../../config/config.js';
import { KeyEncryptionError, parseKeyEncryptionKey } from '../../identity/key-encryption.js';
import { DEFAULT_ACTIVATE_AFTER_SECONDS, rotateSigningKey } from '../../identity/key-rotation.js';
import { systemClock } from '../../shared/clock.js';
import { openStore } from '../../storage/open.js';
import { CliError } from '../exit.js';

/** `longrun keys rotate [--activate-after-seconds N]`: publishes the next signing key now; it signs after N seconds. */
export async function keysRotate(config: Config, activateAfter: string | undefined): Promise<void> {
  const seconds = activateAfter === undefined ? DEFAULT_ACTIVATE_AFTER_SECONDS : Number(activateAfter);
  if (!/^\d+$/.test(activateAfter ?? '0') || seconds > 30 * 86_400) {
    throw new CliError(`--activate-after-seconds: expected a whole number of seconds up to 2592000, got '${activateAfter}'`, 2);
  }
  let kek: Buffer | undefined;
  try {
    kek = config.keyEncryptionKey ? parseKeyEncryptionKey(config.keyEncryptionKey) : undefined;
  } catch (e) {
    if (e instanceof KeyEncryptionError) throw new CliError(e.message, 2);
    throw e;
  }
  const { store } = await openStore(config.db);
  try {
    const result = await rotateSigningKey(store, systemClock, { activateAfterSeconds: seconds, keyEncryptionKey: kek });
    process.stdout.write(
      `published signing key ${result.kid}; it signs from ${new Date(result.activatesAt).toISOString()}` +
        (result.removed.length > 0 ? `; removed superseded keys ${result.removed.join(', ')}` : '') +
        '\n',
    );
  } finally {
    await store.close();
  }
}
