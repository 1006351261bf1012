// The admin console's pages for what its API already does (issue 10 item 2; SPEC §4 admin console):
// members searched, one member viewed with the numbers of their orders and reviews, withdrawn and
// erased through the page's forms, through the same handlers as the API
// (src/handlers/admin/console.c). Pages answer a guest with the login and a shopper with 403; a
// refused form (erase before withdrawal) is a 4xx that changes nothing.
//
//   LONUA_BASE_URL=http://127.0.0.1:18080 LONUA_DB_ROOT_SOCKET=/path/to/mysql.sock \
//   node tests/integration/admin-pages.test.mjs
import { test, run, assert } from '../lib/tap.mjs';
import { describe } from './http.mjs';
import { SOCKET, bailUnlessSet, val, one, Client, pageLogin } from './client.mjs';
import { makeShopper, makeAdmin, cleanup } from './shop.mjs';

bailUnlessSet([['LONUA_DB_ROOT_SOCKET', SOCKET, "the private MariaDB's socket, to make and read rows as root"]]);

let admin, page, member, shopper;
const ABSENT = 999999999;

test('setup: an admin signed in on the pages, two shoppers', async () => {
  admin = await makeAdmin();
  page = await pageLogin(admin);
  member = await makeShopper();
  shopper = await makeShopper();
  member.name = val(`SELECT name FROM users WHERE id = ${member.id}`);
  assert.ok(member.name.length > 0);
});

test('members: a guest is sent to the login, a shopper is refused', async () => {
  const guest = await new Client().get('/admin/members');
  assert.equal(guest.status, 303, describe(guest));
  assert.match(guest.headers.location, /^\/login\?next=/);
  const other = await pageLogin(shopper);
  for (const p of ['/admin/members', `/admin/members/${member.id}`]) {
    const res = await other.get(p);
    assert.equal(res.status, 403, `${p}: ${describe(res)}`);
  }
  const token = await other.csrf('/me');
  const res = await other.post(`/admin/members/${member.id}/withdraw`, { csrf_token: token });
  assert.equal(res.status, 403, describe(res));
  assert.equal(val(`SELECT status FROM users WHERE id = ${member.id}`), 'active');
});

test('members page: searched by e-mail and by name prefix, the menu marks it, the query drawn again', async () => {
  const byEmail = await page.get(`/admin/members?q=${encodeURIComponent(member.email)}`);
  assert.equal(byEmail.status, 200, describe(byEmail));
  assert.match(byEmail.text, /href="\/admin\/members" aria-current="page"/);
  assert.ok(byEmail.text.includes(`href="/admin/members/${member.id}"`), 'the member is listed');
  assert.ok(!byEmail.text.includes(`href="/admin/members/${shopper.id}"`), 'only the one searched');
  assert.ok(byEmail.text.includes(`value="${member.email}"`), 'the search box keeps the query');
  const prefix = member.name;
  const byName = await page.get(`/admin/members?q=${encodeURIComponent(prefix)}&per_page=100`);
  assert.equal(byName.status, 200);
  assert.ok(byName.text.includes(`href="/admin/members/${member.id}"`));
  const none = await page.get('/admin/members?q=nobody-at-all-zz%40');
  assert.match(none.text, /data-count="total">0</);
  const tooLong = await page.get(`/admin/members?q=${'x'.repeat(101)}`);
  assert.ok(tooLong.status >= 400 && tooLong.status < 500, describe(tooLong));
});

test('one member: the numbers of orders and reviews; an unknown or admin id is 404', async () => {
  const res = await page.get(`/admin/members/${member.id}`);
  assert.equal(res.status, 200, describe(res));
  const orders = val(`SELECT COUNT(*) FROM orders WHERE user_id = ${member.id}`);
  const reviews = val(`SELECT COUNT(*) FROM reviews WHERE user_id = ${member.id}`);
  assert.match(res.text, new RegExp(`data-count="orders">${orders}<`));
  assert.match(res.text, new RegExp(`data-count="reviews">${reviews}<`));
  assert.ok(res.text.includes(member.email));
  assert.ok(res.text.includes(`action="/admin/members/${member.id}/withdraw"`));
  assert.ok(!res.text.includes(`action="/admin/members/${member.id}/erase"`), 'no erase before withdrawal');
  assert.equal((await page.get(`/admin/members/${ABSENT}`)).status, 404);
  assert.equal((await page.get(`/admin/members/${admin.id}`)).status, 404);
});

test('erase before withdrawal is refused (409) and changes nothing; withdraw, then erase, through the forms', async () => {
  const token = await page.csrf(`/admin/members/${member.id}`);
  const before = one(`SELECT status, name, email, erased_at FROM users WHERE id = ${member.id}`).join();
  const early = await page.post(`/admin/members/${member.id}/erase`, { csrf_token: token });
  assert.equal(early.status, 409, describe(early));
  assert.equal(one(`SELECT status, name, email, erased_at FROM users WHERE id = ${member.id}`).join(), before);
  const w = await page.post(`/admin/members/${member.id}/withdraw`, { csrf_token: token });
  assert.deepEqual([w.status, w.headers.location], [303, `/admin/members/${member.id}?updated=1`], describe(w));
  assert.equal(val(`SELECT status FROM users WHERE id = ${member.id}`), 'withdrawn');
  const after = await page.get(`/admin/members/${member.id}?updated=1`);
  assert.match(after.text, /role="status"/);
  assert.ok(after.text.includes(`action="/admin/members/${member.id}/erase"`));
  assert.ok(!after.text.includes(member.email), 'the e-mail is gone');
  const e = await page.post(`/admin/members/${member.id}/erase`, { csrf_token: token });
  assert.equal(e.status, 303, describe(e));
  const [name, erased] = one(`SELECT COALESCE(name, ''), erased_at IS NOT NULL FROM users WHERE id = ${member.id}`);
  assert.deepEqual([name, erased], ['', '1']);
  const gone = await page.get(`/admin/members/${member.id}`);
  assert.ok(!gone.text.includes(member.name), 'the name is gone');
  assert.ok(!gone.text.includes(`action="/admin/members/${member.id}/erase"`));
  const absent = await page.post(`/admin/members/${ABSENT}/withdraw`, { csrf_token: token });
  assert.equal(absent.status, 404, describe(absent));
});

test('cleanup', () => {
  assert.deepEqual(cleanup(), {});
});

await run();
