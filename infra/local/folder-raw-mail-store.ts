import { randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { type Clock, systemClock } from '#shared/domain/clock';
import type { RawMailStore } from '#shared/store/raw-mail-store';

/**
 * The local stand-in for the SES receipt bucket: one `.eml` file per message under a folder,
 * keyed like the S3 objects (`inbound/<yyyy-mm-dd>/<id>.eml`), so a key in a quarantine record
 * reads the same on a laptop and on AWS.
 */
export class FolderRawMailStore implements RawMailStore {
  private readonly root: string;

  constructor(
    root: string,
    private readonly clock: Clock = systemClock,
  ) {
    this.root = resolve(root);
  }

  async put(raw: Buffer): Promise<string> {
    const key = `inbound/${this.clock.now().toISOString().slice(0, 10)}/${randomUUID()}.eml`;
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, raw, { flag: 'wx' });
    return key;
  }

  async get(key: string): Promise<Buffer | undefined> {
    try {
      return await readFile(this.pathOf(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  /** A key never names a file outside the folder. */
  private pathOf(key: string): string {
    const path = resolve(join(this.root, key));
    if (!path.startsWith(this.root + sep)) throw new Error(`Not a raw mail key: ${key}`);
    return path;
  }
}
