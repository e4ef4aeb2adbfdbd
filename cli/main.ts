#!/usr/bin/env node
import { Command } from 'commander';
import { commands } from './commands';
import { packageVersion } from './version';

/** Builds the `attune` command line program (exported for tests). */
export function program(): Command {
  const p = new Command('attune').description('Attune: personalization for chatbots').version(packageVersion()).showHelpAfterError();
  for (const register of commands) register(p);
  return p;
}

if (require.main === module) {
  program()
    .parseAsync(process.argv)
    .catch((err: unknown) => {
      process.stderr.write(`attune: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    });
}
