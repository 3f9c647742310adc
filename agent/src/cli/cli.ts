// Dispatches a command line to its command. Returns the exit code; never calls process.exit.
import { parseCliArgs, UsageError } from './args.js';
import { collectCommand } from './collect-command.js';
import type { CliDeps } from './deps.js';
import { doctorCommand } from './doctor-command.js';
import { enrollCommand } from './enroll-command.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { helpText } from './help.js';
import { onceCommand } from './once-command.js';
import { relayCommand } from './relay-command.js';
import { runCommand } from './run-command.js';
import { errorText } from './shared.js';

export async function runCli(argv: readonly string[], deps: CliDeps): Promise<ExitCode> {
  let args;
  try {
    args = parseCliArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    deps.stderr.write(`vigil-agent: ${error.message}\nRun "vigil-agent --help" for usage.\n`);
    return EXIT.usage;
  }
  if (args.version) {
    deps.stdout.write(`${deps.version}\n`);
    return EXIT.ok;
  }
  try {
    switch (args.command) {
      case 'help':
        deps.stdout.write(helpText(deps.version));
        return EXIT.ok;
      case 'run':
        return await runCommand(args, deps);
      case 'once':
        return await onceCommand(args, deps);
      case 'collect':
        return await collectCommand(args, deps);
      case 'doctor':
        return await doctorCommand(args, deps);
      case 'relay':
        return await relayCommand(args, deps);
      case 'enroll':
        return await enrollCommand(args, deps);
    }
  } catch (error) {
    deps.stderr.write(`vigil-agent: ${errorText(error)}\n`);
    return EXIT.failure;
  }
}
