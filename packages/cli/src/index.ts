export { runCli } from './program.ts';
export { CliError, errorLine } from './errors.ts';
