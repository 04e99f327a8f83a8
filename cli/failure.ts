import { TunebookError } from "../core/errors.js";
import { printable } from "../core/terminal.js";
import { UsageError } from "./args.js";

/** What the CLI prints for an error that ends a command, and the exit code. */
export interface Failure {
  /** One line, safe for a terminal: `tunebook <command>: <what went wrong and the fix>`. */
  line: string;
  /** 2 for a command line the CLI cannot read, 1 for anything else. */
  exitCode: number;
}

/**
 * One line for any error: the message of a `TunebookError` (line breaks joined, and the
 * API's own label dropped where it repeats the command: `kernel install: ...` reads
 * `tunebook kernel install: ...`), the message of a system error (a file, a socket), or
 * the name and message of anything else, with how to see its stack trace.
 */
export function describeFailure(command: string, error: unknown): Failure {
  let label = `tunebook ${command}`;
  let message: string;
  if (isTunebookError(error)) {
    message = oneLine(error.message);
    const repeated = /^([a-z][\w-]*(?: [a-z][\w-]*)*): /.exec(message);
    if (repeated && (repeated[1] === command || repeated[1].startsWith(`${command} `))) {
      label = `tunebook ${repeated[1]}`;
      message = message.slice(repeated[0].length);
    }
    if (error instanceof UsageError)
      return { line: printable(`${label}: ${message} Run \`tunebook ${command} --help\` for usage.`), exitCode: 2 };
  } else if (isSystemError(error)) {
    message = oneLine(error.message);
  } else {
    const described = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    message = `unexpected ${oneLine(described)} (set TUNEBOOK_DEBUG=1 to see where it was thrown).`;
  }
  return { line: printable(`${label}: ${message}`), exitCode: 1 };
}

/**
 * A `TunebookError` from this copy of tunebook or another: an objective module, or the
 * demo, may import the package from elsewhere (its build, another install), whose classes
 * are not these.
 */
function isTunebookError(error: unknown): error is Error {
  if (error instanceof TunebookError) return true;
  for (let proto = error instanceof Error ? Object.getPrototypeOf(error) : null; proto; proto = Object.getPrototypeOf(proto)) {
    if (Object.hasOwn(proto, "constructor") && proto.constructor.name === TunebookError.name) return true;
  }
  return false;
}

/** An error from the operating system (a file, a socket, a process): its message says what and where. */
function isSystemError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === "string" && "syscall" in error;
}

/** A message written over several lines (a list of accepted forms, a tool's output) as one. */
function oneLine(message: string): string {
  return message
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .join(" ");
}
