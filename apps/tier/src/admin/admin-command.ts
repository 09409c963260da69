import { CommandBus, QueryBus } from '@nestjs/cqrs';

export interface CliBuses {
  commands: CommandBus;
  queries: QueryBus;
}

/** Every flag any command reads; each is a string as typed, validated by the command that reads it. */
export const CLI_FLAGS = ['by', 'note', 'reason', 'status', 'per-minute', 'per-day', 'name'] as const;

/** Flags that may be given several times (`--limit a --limit b`), in the order given. */
export const CLI_REPEATED_FLAGS = ['limit'] as const;

export type CliFlags = Partial<Record<(typeof CLI_FLAGS)[number], string>> &
  Partial<Record<(typeof CLI_REPEATED_FLAGS)[number], string[]>>;

export interface CliInvocation {
  /** The positional arguments after the command's name. */
  args: string[];
  flags: CliFlags;
  /** Who acts: --by, else the CLI's default actor. */
  by: string;
  buses: CliBuses;
}

/** One `npm run admin` command: runs through the same buses as the HTTP API, returns what to print. */
export interface AdminCommand {
  name: string;
  /** Its arguments and flags, as the usage text shows them. */
  synopsis: string;
  description: string;
  run(invocation: CliInvocation): Promise<string>;
}
