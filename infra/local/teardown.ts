/**
 * What a local service started, to be stopped in reverse order: each start pushes its stop, and
 * one `stop()` (on shutdown, or when a later start fails) undoes them all, newest first.
 */
export interface Teardown {
  push(stop: () => Promise<void>): void;
  stop(): Promise<void>;
}

export const teardown = (): Teardown => {
  const stops: (() => Promise<void>)[] = [];
  return {
    push: (stop) => {
      stops.push(stop);
    },
    stop: async () => {
      for (const stopOne of stops.splice(0).reverse()) await stopOne();
    },
  };
};
