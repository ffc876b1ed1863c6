import { Command, CommanderError } from 'commander';
import { registerDbtCommands } from './commands/dbt.ts';
import { registerProjectCommands } from './commands/project.ts';
import { registerQualityCommands } from './commands/quality.ts';
import { registerTableCommands } from './commands/table.ts';
import { errorLine } from './errors.ts';

/** Runs the `strata` command line; returns the exit code. Output and errors go to the given writers. */
export async function runCli(
  argv: readonly string[],
  io: { out: (line: string) => void; err: (line: string) => void } = {
    out: (l) => process.stdout.write(`${l}\n`),
    err: (l) => process.stderr.write(`${l}\n`),
  },
): Promise<number> {
  const program = new Command('strata')
    .description('Strata: a data platform for the medallion lakehouse')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.out(s.trimEnd()),
      writeErr: (s) => io.err(s.startsWith('error:') ? `[CLI_USAGE] ${s.trimEnd()}` : s.trimEnd()),
    });
  registerProjectCommands(program, io.out);
  registerQualityCommands(program, io.out);
  registerTableCommands(program, io.out);
  registerDbtCommands(program, io.out);
  for (const c of program.commands) c.exitOverride();
  for (const c of program.commands.flatMap((x) => x.commands)) c.exitOverride();
  try {
    await program.parseAsync(['node', 'strata', ...argv]);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      return e.exitCode || 2;
    }
    io.err(errorLine(e));
    return 1;
  }
}
