// electron-store's stand-in: `conf`, the library electron-store extends, with the same file
// handling, since electron-store itself imports Electron.
import Conf from 'conf';
import type { StoreOptions } from '../../app/main/store-backend.ts';

export class ConfStore extends Conf<Record<string, unknown>> {
  constructor(options: StoreOptions) {
    super({
      configName: options.name,
      cwd: options.cwd,
      clearInvalidConfig: options.clearInvalidConfig,
    });
  }
}
