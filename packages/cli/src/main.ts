import { runCli } from './program.ts';

// The AWS SDK prints a nine-line deprecation warning under Node 20, which Strata supports; on stderr it
// would bury the one `[CODE] message` line the command line promises.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// A reader that stops early (`strata table history t | head`) closes the pipe: output is dropped and
// the command finishes normally, instead of crashing on an unhandled EPIPE.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE' && e.code !== 'ERR_STREAM_DESTROYED') throw e;
});

process.exitCode = await runCli(process.argv.slice(2));
