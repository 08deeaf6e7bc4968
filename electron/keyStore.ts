import type { SafeStorage } from 'electron';
import type { OsKeyStore } from '../services/open';

/**
 * Electron's safeStorage as the services' key store, through its asynchronous calls (the
 * synchronous ones are deprecated). On Linux a `basic_text` backend (no keyring: a desktop it
 * does not recognise, or --password-store=basic) only obfuscates with a fixed key: it counts as
 * no key store, and 设置 says why.
 */
export async function electronKeyStore(safeStorage: SafeStorage, platform: NodeJS.Platform): Promise<OsKeyStore> {
  const unavailableReason = await keyStoreProblem(safeStorage, platform);
  return {
    unavailableReason,
    encrypt: (plain) => safeStorage.encryptStringAsync(plain),
    decrypt: (sealed) => safeStorage.decryptStringAsync(sealed),
  };
}

export async function keyStoreProblem(safeStorage: Pick<SafeStorage, 'isAsyncEncryptionAvailable' | 'getSelectedStorageBackend'>, platform: NodeJS.Platform): Promise<string | null> {
  let available: boolean;
  try {
    // First: it starts the encryptor, after which Linux knows which backend it chose.
    available = await safeStorage.isAsyncEncryptionAvailable();
  } catch {
    available = false;
  }
  if (!available) return '操作系统的密钥库不可用';
  if (platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') {
    return 'Linux 上没有可用的系统密钥库（safeStorage 只能使用 basic_text 后端，那只是用固定密钥做的混淆，不是加密）';
  }
  return null;
}
