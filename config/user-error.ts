import { printable } from "./terminal-text";

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
    // The message is built to be printed line by line; any control character left inside a
    // line (from config text a message quoted) is escaped here, the last step before the terminal.
    process.stderr.write(`${e.message.split("\n").map(printable).join("\n")}\n`);
    process.exit(1);
  }
}
