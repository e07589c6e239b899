/**
 * The frame of the `npm run …` commands (`token`, `mail`): a usage error prints the message and
 * the usage and exits 2, `--help` prints the usage, a failure prints the error and exits 1.
 */
export const runCommand = <Parsed extends { help: boolean }>(
  usage: string,
  parse: (argv: string[]) => Parsed,
  act: (request: Exclude<Parsed, { help: true }>) => Promise<void>,
): void => {
  const main = async (): Promise<number> => {
    let request: Parsed;
    try {
      request = parse(process.argv.slice(2));
    } catch (error) {
      console.error(`${(error as Error).message}\n\n${usage}`);
      return 2;
    }
    if (request.help) {
      console.log(usage);
      return 0;
    }
    await act(request as Exclude<Parsed, { help: true }>);
    return 0;
  };
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
};
