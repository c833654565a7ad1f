/**
 * Debian's Chromium (`apt-get install -y chromium`; never `npx playwright install`) and the flags every suite
 * launches it with: no sandbox (CI runs as root), no GPU, and none of the background networking that this
 * machine's closed network would refuse.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
