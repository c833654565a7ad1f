/**
 * Command words from the library's names. Its own module, importing nothing: scripts/lib/cli-groups.ts names the
 * generated command groups with it before generated/ exists.
 */

/** camelCase → kebab-case, snake_case → kebab-case. */
export const kebab = (word: string): string =>
  word
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/_/g, '-')
    .toLowerCase();
