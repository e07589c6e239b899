import { Duration, Validations } from 'aws-cdk-lib';
import {
  AccountRecovery,
  type CfnUserPoolClient,
  CfnUserPoolRiskConfigurationAttachment,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
  type UserPoolDomain,
  UserPoolGroup,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { GROUPS } from '#shared/domain/principal';

export interface AuthProps {
  /**
   * The managed login domain's prefix (`<prefix>.auth.<region>.amazoncognito.com`): unique in
   * the region across all AWS accounts; lowercase letters, digits and hyphens.
   */
  domainPrefix: string;
}

/**
 * Who may call the API. A person signs in with their email address, which is also their Tierdesk
 * identity (the `email` claim of the ID token); their Cognito groups are their roles and tiers.
 * The web console signs people in through Cognito's managed login on the pool's domain.
 */
export class Auth extends Construct {
  readonly userPool: UserPool;
  /** The CLI's and scripts' client: SRP and password sign-in against the user pool API. */
  readonly client: UserPoolClient;
  /** The managed login (hosted UI) domain the console sends people to. */
  readonly domain: UserPoolDomain;

  constructor(scope: Construct, id: string, props: AuthProps) {
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

    this.domain = this.userPool.addDomain('Domain', { cognitoDomain: { domainPrefix: props.domainPrefix } });
  }

  /** `https://<prefix>.auth.<region>.amazoncognito.com`: managed login, its token and logout endpoints. */
  get signInDomain(): string {
    return this.domain.baseUrl();
  }

  /**
   * The web console's client: managed login with the authorization code grant and PKCE (a browser
   * keeps no secret), back to `<console>/auth/callback`, signed out to the console's start page.
   * Its ID tokens are what the console sends to the API; the refresh token, kept in memory only,
   * renews them for a working day at most.
   */
  addConsoleClient(consoleUrl: string): UserPoolClient {
    const client = this.userPool.addClient('ConsoleClient', {
      generateSecret: false,
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [`${consoleUrl}/auth/callback`],
        logoutUrls: [`${consoleUrl}/`],
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
      // Managed login's sign-up form writes the email and the name. Changing the email later needs
      // the aws.cognito.signin.user.admin scope, which this client never asks for; and the pool
      // keeps the verified address until a new one is verified.
      writeAttributes: new ClientAttributes().withStandardAttributes({ email: true, fullname: true }),
    });
    // Managed login authenticates on its own; the client's API needs only the refresh grant.
    (client.node.defaultChild as CfnUserPoolClient).explicitAuthFlows = ['ALLOW_REFRESH_TOKEN_AUTH'];
    return client;
  }
}
