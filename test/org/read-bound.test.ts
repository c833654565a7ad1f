/** The organisation reader collects whole lists, but not without end: a server paginating forever is stopped. */
import { OpenAIAdmin, PaginationError } from '../../src/index.js';
import { ORG_LIST_MAX } from '../../src/org/collect.js';
import { readOrg } from '../../src/org/index.js';

/** A server whose user list never ends: every page is full and hands out a fresh cursor. */
function endlessUsers() {
  let requests = 0;
  const fetch = async (input: RequestInfo | URL) => {
    requests++;
    const url = new URL(input instanceof Request ? input.url : String(input));
    const after = Number(url.searchParams.get('after')?.slice(5) ?? -1);
    const data = Array.from({ length: 100 }, (_, i) => ({
      object: 'organization.user',
      id: `user_${after + 1 + i}`,
      name: `User ${after + 1 + i}`,
      email: `u${after + 1 + i}@example.com`,
      role: 'reader',
      added_at: 0,
    }));
    const body = { object: 'list', data, first_id: data[0].id, last_id: data[99].id, has_more: true };
    return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
  };
  return { fetch, requests: () => requests };
}

test('reading an organisation whose user list never ends stops past the bound with an error naming the list', async () => {
  const server = endlessUsers();
  const admin = new OpenAIAdmin({ apiKey: 'sk-admin-test', baseURL: 'http://127.0.0.1:9/v1', fetch: server.fetch });
  const read = readOrg(admin, { only: ['users'] });
  await expect(read).rejects.toThrow(PaginationError);
  await expect(read).rejects.toThrow(/^Reading users: the server listed more than 200,000 items/);
  // It stopped at the first page past the bound, not later.
  expect(server.requests()).toBe(ORG_LIST_MAX / 100 + 1);
});
