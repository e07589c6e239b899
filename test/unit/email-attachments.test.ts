import { AwsClient } from 'aws4fetch';
import { describe, expect, it } from 'vitest';
import { S3AttachmentStore } from '#shared/email/adapters/s3';
import { attachmentLine } from '#shared/email/intake';
import { sesRawMailKey } from '#shared/email/mail-objects';
import type { DroppedAttachment, MailAttachment } from '#shared/email/parse';
import { bucketRoot, S3Bucket } from '#shared/runtime/s3-bucket';
import { keySafeName } from '#shared/runtime/s3-objects';

/** How attachments are named in the bucket and listed in a ticket's text (no network). */

const kept = (filename: string, size: number): MailAttachment => ({
  filename,
  contentType: 'application/octet-stream',
  size,
  inline: false,
  content: Buffer.alloc(0),
});
const dropped = (filename: string, size: number, reason: DroppedAttachment['reason']): DroppedAttachment => ({
  filename,
  contentType: 'application/octet-stream',
  size,
  reason,
});

describe('Function: attachmentLine', () => {
  it('is empty for a mail without attachments', () => {
    expect(attachmentLine({ attachments: [], dropped: [] })).toBe('');
  });

  it('lists kept files with their size, then those not kept and why', () => {
    expect(
      attachmentLine({
        attachments: [kept('log.txt', 512), kept('shot.png', 2048)],
        dropped: [dropped('disk.img', 25 * 1024 * 1024, 'too-large'), dropped('more.pdf', 10, 'too-many')],
      }),
    ).toBe(
      'Attachments: log.txt (512 B), shot.png (2.0 KB); not kept: disk.img (25.0 MB, too large), more.pdf (10 B, too many files)',
    );
  });

  it('stays short however many long names there are', () => {
    const attachments = Array.from({ length: 20 }, (_, n) => kept(`${'x'.repeat(190)}-${n}.bin`, 1));

    const line = attachmentLine({ attachments, dropped: [] });

    expect(line.length).toBe(2_000);
    expect(line.endsWith('…')).toBe(true);
  });
});

describe('Class: S3AttachmentStore', () => {
  const store = new S3AttachmentStore(
    new S3Bucket(
      () => new AwsClient({ accessKeyId: 'a', secretAccessKey: 's' }),
      'mail',
      bucketRoot('mail', {}),
    ),
  );

  it('keys a file under its ticket and id, by a name that needs no escaping', () => {
    expect(store.keyOf(1042, 'a1b2', 'Überweisung März (final).pdf')).toBe(
      'attachments/1042/a1b2/Uberweisung_Marz_final_.pdf',
    );
  });

  it.each([
    ['../../etc/passwd', 'etc_passwd'],
    ['.htaccess', 'htaccess'],
    ['報告書.xlsx', 'xlsx'],
    ['???', 'attachment'],
  ])('names %j as %j', (name, safe) => {
    expect(keySafeName(name)).toBe(safe);
  });
});

describe('Function: sesRawMailKey', () => {
  it('is where the receipt rule’s S3 action writes a message', () => {
    expect(sesRawMailKey('0ehm1lqpk4mu8r3a9hemjsikqu1v1otst8ffg0o1')).toBe(
      'inbound/0ehm1lqpk4mu8r3a9hemjsikqu1v1otst8ffg0o1',
    );
  });
});
