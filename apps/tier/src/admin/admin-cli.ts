import { parseArgs } from 'node:util';
import { AdminCommand, CLI_FLAGS, CLI_REPEATED_FLAGS, CliBuses, CliFlags } from './admin-command';
import { CliUsageError } from './cli-input';
import { approve } from './commands/approve';
import { changeTier } from './commands/change-tier';
import { issueKey } from './commands/issue-key';
import { listKeys } from './commands/list-keys';
import { queue } from './commands/queue';
import { registerModel } from './commands/register-model';
import { reinstate } from './commands/reinstate';
import { reject } from './commands/reject';
import { removeLimit } from './commands/remove-limit';
import { revokeKey } from './commands/revoke-key';
import { setLimit } from './commands/set-limit';
import { show } from './commands/show';
import { suspend } from './commands/suspend';

export { CliUsageError } from './cli-input';
export type { CliBuses } from './admin-command';

/** In the order the usage text lists them. */
const COMMANDS: AdminCommand[] = [
  queue,
  show,
  approve,
  reject,
  changeTier,
  suspend,
  reinstate,
  setLimit,
  removeLimit,
  issueKey,
  listKeys,
  revokeKey,
  registerModel,
];

const DESCRIPTION_COLUMN = 55;

function usageLine({ name, synopsis, description }: AdminCommand): string {
  const call = `  ${name} ${synopsis}`;
  // A call too long for its column gets the description on a line of its own.
  return call.length < DESCRIPTION_COLUMN - 1
    ? `${call.padEnd(DESCRIPTION_COLUMN)}${description}`
    : `${call}\n${' '.repeat(DESCRIPTION_COLUMN)}${description}`;
}

export const USAGE = `Usage: npm run admin -- <command> [arguments] [--by <name>]

${COMMANDS.map(usageLine).join('\n')}

--by names who acts (default: $METERGATE_ADMIN, else your login name).`;

/** Runs one admin command through the same handlers as the HTTP API and returns what to print. */
export async function runAdminCommand(
  argv: string[],
  buses: CliBuses,
  defaultActor: string,
): Promise<string> {
  const { positionals, flags } = parse(argv);
  const [name, ...args] = positionals;
  if (name === undefined) throw new CliUsageError('a command is required');
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) throw new CliUsageError(`unknown command ${name}`);
  return command.run({ args, flags, by: flags.by ?? defaultActor, buses });
}

function parse(argv: string[]): { positionals: string[]; flags: CliFlags } {
  try {
    const { positionals, values } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        ...Object.fromEntries(CLI_FLAGS.map((flag) => [flag, { type: 'string' as const }])),
        ...Object.fromEntries(
          CLI_REPEATED_FLAGS.map((flag) => [flag, { type: 'string' as const, multiple: true as const }]),
        ),
      },
    });
    return { positionals, flags: values };
  } catch (error) {
    throw new CliUsageError((error as Error).message);
  }
}
