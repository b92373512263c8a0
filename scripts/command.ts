/**
 * How the maintenance commands (`npm run case-secret`, `jobs`, `keys`) end: with the status
 * their `main` answers, and a failure they expect (bad settings, storage refusing) said in one
 * line under the command's name with status 2; anything else is "unexpected", status 1.
 */
export function runCommand(name: string, main: () => Promise<number>, expected: readonly (abstract new (...args: never[]) => Error)[]): void {
  main().then(
    (status) => {
      process.exitCode = status;
    },
    (error: unknown) => {
      const known = expected.some((kind) => error instanceof kind);
      process.stderr.write(
        `${name}: ${known && error instanceof Error ? error.message : `unexpected failure: ${error instanceof Error ? error.message : String(error)}`}\n`,
      );
      process.exitCode = known ? 2 : 1;
    },
  );
}
