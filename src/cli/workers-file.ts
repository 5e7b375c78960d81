/**
 * The URL of `workers/<name>` beside this package's sources (`.ts`, run through tsx) or its build
 * (`.js` in dist/). src/ never imports workers/ (the workers import src/): the CLI reaches them at
 * run time only, to start them as a process (`gazette worker`) or to hand one to the server.
 */
export function workersFile(name: string): URL {
  const ext = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
  return new URL(`../../workers/${name}.${ext}`, import.meta.url);
}
