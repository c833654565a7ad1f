/**
 * The openai package, the client the bench compares against. It is no devDependency (scripts/slow/suite-tools.sh
 * installs its pinned version into the bench's prefix; run.ts links it into bench/.build/node_modules), so it is
 * imported by a computed name: type-checking and linting the project must not need it installed. Untyped here.
 */
const SPECIFIER = 'openai';

/** The package's default export, the `OpenAI` class. */
export async function loadOpenAI(): Promise<any> {
  return ((await import(SPECIFIER)) as { default: unknown }).default;
}
