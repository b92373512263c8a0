/**
 * Entry point for `npm start`. The chat server is not part of this release yet, so starting
 * prints the rulebook the bot follows: every procedure, its stages, handlers and time limits.
 */
import { runPolicyCli } from './cli/policy.js';

process.stdout.write('Complaints intake bot: the escalation-policy rulebook. (The chat server and widget arrive in a later release.)\n\n');
process.exitCode = runPolicyCli(['procedures'], {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
