/**
 * Spend suite: the ledger on real SQLite and on Debian's Postgres, the exporter scraped by Debian's Prometheus, and
 * the Grafana dashboard's queries, against an upstream that revises closed buckets (test/slow/spend/support).
 * Needs the packages postgresql and prometheus (.ci/run installs them).
 */
module.exports = require('./jest.base.cjs')('spend', ['spend/**/*.test.ts'], { testTimeout: 300_000 });
