import { startTestStack, type TestStack } from '#test/support/local-stack';

/**
 * The local stack most promises run against: started once, on free ports, with the demo desk
 * (people, configuration, articles), and stopped at the end of the run.
 */
let started: Promise<TestStack> | undefined;

export const sharedStack = (): Promise<TestStack> => {
  started ??= startTestStack({ seed: true, onError: () => {} });
  return started;
};

export const stopSharedStack = async (): Promise<void> => {
  if (started) await (await started).stop();
};
