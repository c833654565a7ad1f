/** Terminal suite: the bin in real shells and terminals (zsh and fish completion, tmux at 80 columns). Debian's zsh, fish, tmux. */
module.exports = require('./jest.base.cjs')('terminal', ['terminal/**/*.test.ts'], { testTimeout: 120_000 });
