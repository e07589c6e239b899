/**
 * The environment contract of a Tierdesk function: every variable the stack (or the local stack)
 * sets is read through one module per resource (`#shared/store/client` the table,
 * `#shared/workflow/config` the state machine, `#shared/email/config` the mail bucket and
 * addresses, `#shared/kb/config` the KB bucket), and a missing one fails loudly at first use,
 * naming the variable, never as an empty string passed on to AWS.
 */

/** A variable the stack always sets: its value, or an error that names it. */
export const requiredEnv = (name: string, env: NodeJS.ProcessEnv = process.env): string => {
  const value = env[name];
  if (!value) throw new Error(`${name} is not set: the stack (or the local stack) provides it.`);
  return value;
};

/** A variable that may be absent (a feature the deployment does without): its value or undefined. */
export const optionalEnv = (name: string, env: NodeJS.ProcessEnv = process.env): string | undefined =>
  env[name] || undefined;
