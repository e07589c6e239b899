import { StartupError, startLocalStack } from './stack.ts';
import { parseStartOptions, type StartOptions, startBanner, USAGE } from './start-options.ts';

/** `npm start`: the local stack in the foreground until Ctrl-C. */

const main = async (): Promise<number> => {
  let options: StartOptions;
  try {
    options = parseStartOptions(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    console.log(USAGE);
    return 0;
  }

  const started = performance.now();
  const stack = await startLocalStack({
    ...options,
    accessLog: (line) => console.log(`[api] ${line}`),
  });
  console.log(startBanner(stack, options, ((performance.now() - started) / 1000).toFixed(1)));

  return new Promise((done) => {
    let firstSignalAt: number | undefined;
    const shutdown = (signal: NodeJS.Signals) => {
      if (firstSignalAt !== undefined) {
        // Ctrl-C reaches this process twice (from the terminal and relayed by tsx): only a later
        // one is the impatient "stop now" that skips the orderly stop.
        if (Date.now() - firstSignalAt > 1_000) process.exit(1);
        return;
      }
      firstSignalAt = Date.now();
      console.log(`\n${signal}: stopping the local stack...`);
      stack.stop().then(
        () => done(0),
        (error: unknown) => {
          console.error('Stopping failed:', error);
          done(1);
        },
      );
    };
    process.on('SIGINT', shutdown);
    process.on('SIGTERM', shutdown);
  });
};

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    // Problems the user can fix get a sentence; anything else keeps its stack for the bug report.
    console.error(
      error instanceof StartupError
        ? `Cannot start the local stack: ${error.message}\n(npm start -- --help lists the options.)`
        : error,
    );
    process.exit(1);
  },
);
