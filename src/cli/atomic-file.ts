/**
 * Writing an output file the user named (`-o focus.csv`) so that a reader never sees half of it: the text goes to a
 * temporary file beside it (same file system, unpredictable name, created exclusively, so nothing planted there is
 * followed), is fsync'd, then renamed over the target. A crash or SIGKILL at any point leaves the old file or the new
 * one, never a truncated one, and at worst a `*.tmp` beside it. Renaming replaces a symbolic link at the path rather
 * than writing through it.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';

/**
 * Replaces `path` with `text` atomically (mode 0644 for a new file).
 *
 * @example
 * await writeFileAtomic('focus.csv', csv);
 */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.${randomBytes(8).toString('hex')}.tmp`;
  const file = await open(tmp, 'wx', 0o644);
  try {
    try {
      await file.writeFile(text);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
