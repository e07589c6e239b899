import { Validations } from 'aws-cdk-lib';
import {
  AccountRecovery,
  CfnUserPoolRiskConfigurationAttachment,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  StandardThreatProtectionMode,
  UserPool,
  type UserPoolClient,
  UserPoolGroup,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { GROUPS } from '#shared/domain/principal';

/**
 * Who may call the API. A person signs in with their email address, which is also their Tierdesk
 * identity (the `email` claim of the ID token); their Cognito groups are their roles and tiers.
 */
export class Auth extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    this.userPool = new UserPool(this, 'UserPool', {
      signInAliases: { email: true },
      autoVerify: { email: true },
      standardAttributes: {
        email: { required: true, mutable: true },
        fullname: { required: false, mutable: true },
      },
      // The email is the identity: a changed address only counts once verified, or anyone could
      // rename themselves to a colleague's address and act as them.
      keepOriginal: { email: true },
      // People open their own tickets; someone in no group is a requester (principalFromGroups).
      selfSignUpEnabled: true,
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
      },
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
    });
    // What full-function threat protection does, spelled out rather than left to defaults: leaked
    // passwords never sign in; a risky sign-in must pass MFA where the user has it, and a
    // high-risk one is refused to users without it.
    new CfnUserPoolRiskConfigurationAttachment(this, 'RiskConfiguration', {
      userPoolId: this.userPool.userPoolId,
      clientId: 'ALL',
      compromisedCredentialsRiskConfiguration: { actions: { eventAction: 'BLOCK' } },
      accountTakeoverRiskConfiguration: {
        actions: {
          lowAction: { eventAction: 'NO_ACTION', notify: false },
          mediumAction: { eventAction: 'MFA_IF_CONFIGURED', notify: false },
          highAction: { eventAction: 'MFA_REQUIRED', notify: false },
        },
      },
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG2',
      reason:
        'Requesters self sign up to report a problem; demanding an authenticator app first would turn them away. ' +
        'TOTP MFA is offered to everyone, and threat protection blocks leaked passwords and demands MFA on risky sign-ins.',
    });

    for (const group of GROUPS) {
      new UserPoolGroup(this, `Group-${group}`, { userPool: this.userPool, groupName: group });
    }

    this.client = this.userPool.addClient('Client', {
      // A browser or CLI cannot keep a secret.
      generateSecret: false,
      // SRP for browsers; password auth for scripts and smoke tests that fetch a token from the CLI.
      authFlows: { userSrp: true, userPassword: true },
      // No hosted UI: clients authenticate against the user pool API directly.
      disableOAuth: true,
      preventUserExistenceErrors: true,
      // The email (the identity) is changed by an admin, never by its owner through this client.
      writeAttributes: new ClientAttributes().withStandardAttributes({ fullname: true }),
    });
  }
}
