import { Worker } from 'node:worker_threads';

/** A thread's script beside this module: the built one (dist/server) or, run from the sources, the TypeScript. */
export function threadScript(name: string): URL {
  return new URL(import.meta.url.endsWith('.ts') ? `./${name}.ts` : `./${name}.js`, import.meta.url);
}

/** Starts `script` on a thread of its own, handing it `workerData`. */
export function startThread(script: URL, workerData: unknown): Worker {
  return script.pathname.endsWith('.ts')
    // Run from the sources (tests, `npm run dev`): the thread loads TypeScript as this process does, through tsx.
    ? new Worker(`import { register } from 'tsx/esm/api'; register(); await import(${JSON.stringify(script.href)});`, { eval: true, workerData })
    : new Worker(script, { workerData });
}
