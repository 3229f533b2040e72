/**
 * A problem the user can fix (bad config, a broken security rule). Entry points print its
 * message without a stack trace and exit 1; anything else is a bug and keeps its trace.
 */
export class UserError extends Error {}

/** Runs an entry point, reporting a UserError as one clean message and exit code 1. */
export function exitOnUserError(main: () => void): void {
  try {
    main();
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    process.stderr.write(`${e.message}\n`);
    process.exit(1);
  }
}
