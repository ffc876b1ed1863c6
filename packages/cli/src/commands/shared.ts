import { InvalidArgumentError } from 'commander';
import { StrataProject } from '@strata/core';
import { connectorComponents } from '@strata/connectors';

export type Out = (line: string) => void;

/** Opens the project (with the connectors' components), runs `fn`, closes it. */
export async function withProject<T>(dir: string, fn: (p: StrataProject) => Promise<T>): Promise<T> {
  const project = await StrataProject.open(dir, { components: connectorComponents });
  try {
    return await fn(project);
  } finally {
    await project.close();
  }
}

/** Runs `fn` with a signal that Ctrl-C (SIGINT) or SIGTERM aborts. */
export async function untilStopped<T>(fn: (signal: AbortSignal) => Promise<T>, onStop?: () => void): Promise<T> {
  const controller = new AbortController();
  const onSignal = () => {
    onStop?.();
    controller.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await fn(controller.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

export const collect = (v: string, prev: string[] = []) => [...prev, v];
export const positiveInt = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${name} must be a whole number ≥ 1`);
  return n;
};
