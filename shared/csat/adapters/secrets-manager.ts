import { GetSecretValueCommand, type SecretsManagerClient } from '#shared/runtime/secrets-manager';
import type { CsatKey, CsatKeyring } from '../survey-link.ts';

/**
 * The CSAT keys on AWS: one Secrets Manager secret whose AWSCURRENT version signs new survey
 * links and whose AWSPREVIOUS version still verifies the links already sent. A key's id is its
 * version id, so a token names the version that signed it and a rotation (a new version, which
 * moves AWSCURRENT and AWSPREVIOUS) needs no change here.
 *
 * Both versions are read once per container and kept for {@link KEYS_TTL_MS}: a container that
 * has not noticed a rotation signs with the version that is now previous, which still verifies.
 * A token signed with a version this container does not know makes it read again, at most once a
 * {@link REFRESH_MIN_MS}, so a forger cannot turn each request into a call to Secrets Manager.
 */

const KEYS_TTL_MS = 15 * 60_000;
const REFRESH_MIN_MS = 60_000;

type Client = Pick<SecretsManagerClient, 'send'>;

const keyOf = async (client: Client, secretId: string, stage: string): Promise<CsatKey | undefined> => {
  try {
    const value = await client.send(new GetSecretValueCommand({ SecretId: secretId, VersionStage: stage }));
    const secret = value.SecretBinary
      ? Buffer.from(value.SecretBinary)
      : value.SecretString
        ? Buffer.from(value.SecretString, 'utf8')
        : undefined;
    if (!value.VersionId || !secret?.length) return undefined;
    return { id: value.VersionId, secret };
  } catch (error) {
    // Before the first rotation there is no AWSPREVIOUS version.
    if (stage !== 'AWSCURRENT' && (error as Error).name === 'ResourceNotFoundException') return undefined;
    throw error;
  }
};

export class SecretsManagerKeyring implements CsatKeyring {
  private keys: Promise<{ current: CsatKey; all: CsatKey[] }> | undefined;
  private readAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly client: Client,
    private readonly secretId: string,
    private readonly now: () => number = Date.now,
  ) {}

  private load(): Promise<{ current: CsatKey; all: CsatKey[] }> {
    if (!this.keys || this.now() - this.readAt >= KEYS_TTL_MS) this.read();
    return this.keys as Promise<{ current: CsatKey; all: CsatKey[] }>;
  }

  private read(): void {
    this.readAt = this.now();
    const keys = (async () => {
      const [current, previous] = await Promise.all([
        keyOf(this.client, this.secretId, 'AWSCURRENT'),
        keyOf(this.client, this.secretId, 'AWSPREVIOUS'),
      ]);
      if (!current) throw new Error(`The CSAT secret ${this.secretId} has no current value.`);
      return { current, all: previous ? [current, previous] : [current] };
    })();
    // A failed read is not kept: the next call tries again.
    keys.catch(() => {
      if (this.keys === keys) this.keys = undefined;
    });
    this.keys = keys;
  }

  async current(): Promise<CsatKey> {
    return (await this.load()).current;
  }

  async byId(id: string): Promise<CsatKey | undefined> {
    const known = (await this.load()).all.find((key) => key.id === id);
    if (known || this.now() - this.readAt < REFRESH_MIN_MS) return known;
    // Perhaps a version this container has not seen yet: another container signed after a rotation.
    this.read();
    return (await this.load()).all.find((key) => key.id === id);
  }
}
