// Process wiring for `aft-launcher`: argv, environment, streams and the exit code. The
// behaviour lives in args.ts and start.ts, which tests run in-process.
import { readFileSync } from 'node:fs';
import { createAftClient } from '../core/aft/client.ts';
import { systemClock } from '../core/clock.ts';
import { HELP_TEXT, parseCommandLine } from './args.ts';
import { EXIT_CODES } from './exit-codes.ts';
import { runStart } from './start.ts';

function version(): string {
  const packageJson = JSON.parse(
    readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
  ) as { version: string };
  return packageJson.version;
}

async function main(argv: readonly string[]): Promise<number> {
  const command = parseCommandLine(argv, process.env);
  switch (command.kind) {
    case 'help':
      process.stdout.write(HELP_TEXT);
      return EXIT_CODES.ok;
    case 'version':
      process.stdout.write(`aft-launcher ${version()}\n`);
      return EXIT_CODES.ok;
    case 'usage-error':
      process.stderr.write(
        `aft-launcher: ${command.message}\nRun "aft-launcher --help" for usage.\n`,
      );
      return EXIT_CODES.usage;
    case 'start': {
      const { timeoutMs } = command.options;
      // With --wait, the first Ctrl-C stops waiting with a word on the job (it keeps running on
      // the server); the handler is removed after one use, so a second Ctrl-C ends at once.
      const interrupt = new AbortController();
      if (command.options.wait) process.once('SIGINT', () => interrupt.abort());
      const client = createAftClient(
        timeoutMs === undefined
          ? {}
          : { connectTimeoutMs: timeoutMs, responseTimeoutMs: timeoutMs },
      );
      try {
        return await runStart(command.options, {
          client,
          clock: systemClock,
          stdout: process.stdout,
          stderr: process.stderr,
          signal: interrupt.signal,
        });
      } finally {
        client.close();
      }
    }
  }
}

// process.exitCode (not process.exit) lets stdout drain when it is a pipe.
process.exitCode = await main(process.argv.slice(2));
