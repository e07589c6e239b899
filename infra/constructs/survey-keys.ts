import { Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { CSAT_SECRET_VARIABLE } from '#shared/csat/config';
import type { LambdaFunction } from './lambda-function.ts';

/**
 * The key the satisfaction survey's links are signed with (HMAC-SHA256): a Secrets Manager
 * secret of 64 random characters, encrypted with its own customer-managed key. Its AWSCURRENT
 * version signs, its AWSPREVIOUS version still verifies the links already sent; a version's id
 * is the key id in the token. Only the functions that sign or verify links read it.
 */
export class SurveyKeys extends Construct {
  readonly secret: Secret;
  readonly key: Key;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.key = new Key(this, 'Key', {
      description: 'Encrypts the key of the Tierdesk satisfaction survey links',
      enableKeyRotation: true,
    });
    this.secret = new Secret(this, 'Secret', {
      description: 'HMAC key of the satisfaction survey links: AWSCURRENT signs, AWSPREVIOUS still verifies',
      encryptionKey: this.key,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotated by an operator with one put-secret-value of fresh random bytes (docs/reports.md): that moves ' +
        'AWSCURRENT and AWSPREVIOUS, which is the whole rotation of an HMAC key; there is no credential elsewhere ' +
        'for a rotation function to change, and rotating on a schedule would stop links older than two rotations.',
    });
  }

  /** Lets a function read the keys (GetSecretValue on this secret, decrypt through Secrets Manager only). */
  grantRead(handler: LambdaFunction): void {
    handler.fn.addToRolePolicy(
      new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [this.secret.secretArn] }),
    );
    handler.fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['kms:Decrypt'],
        resources: [this.key.keyArn],
        conditions: {
          StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(this).region}.amazonaws.com` },
        },
      }),
    );
    handler.fn.addEnvironment(CSAT_SECRET_VARIABLE, this.secret.secretArn);
  }
}
