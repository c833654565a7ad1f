/**
 * Attack suite: real node:http and node:net servers on 127.0.0.1 playing a hostile or broken API or proxy
 * (bombs, redirects, key echoes, endless pages, malformed requests to the emulator), on both transports.
 * Tests that can take the host down run the client in a child process and assert it survived.
 */
module.exports = require('./jest.base.cjs')('attack', ['attack/**/*.test.ts'], { testTimeout: 60_000 });
