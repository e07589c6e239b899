/**
 * The user pool the people routes keep in step with the directory (set on the routes whose
 * `identityAccess` is `admin`; unset locally, where the recorder stands in for Cognito).
 */
export const USER_POOL_VARIABLE = 'TIERDESK_USER_POOL_ID';
