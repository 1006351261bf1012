// Product Q&A through the real stack (nginx → lonua workers → MariaDB → lonua jobs): asking on the
// product page (a form post, no JavaScript) and through the API, /me/questions with edit and
// delete until the question is answered (then 409), another shopper's question (404), secrecy for
// every kind of caller on the page and in the API, the seller's answer API (another brand's
// question is 404; answering sets answered_at and mails the asker once), escaping of hostile text,
// and bad input that changes nothing.
//
//   LONUA_BASE_URL=http://127.0.0.1:18080 LONUA_DB_ROOT_SOCKET=/path/to/mysql.sock \
//   LONUA_RUN_DIR=/path/to/run node tests/integration/questions.test.mjs
//
// Brands and products are made as root, shoppers and sellers sign up through the API (shop.mjs);
// the last test removes them with their questions and answers.
import { test, run, assert } from '../lib/tap.mjs';
import { describe, assertStatus, assertProblem } from './http.mjs';
import { SOCKET, RUN_DIR, bailUnlessSet, csrfOf, sql, num, val, assertRedirect, esc, t, mailsTo, formMessage, Client, pageLogin } from './client.mjs';
import {
  makeBrand, makeProduct, makeShopper, makeSeller, makeAdmin, loginSeller, loginPage, loginApi, guest, cleanup,
  communityVersion, productPages,
} from './shop.mjs';

bailUnlessSet([
  ['LONUA_DB_ROOT_SOCKET', SOCKET, "the private MariaDB's socket, to make and read rows as root"],
  ['LONUA_RUN_DIR', RUN_DIR, 'the run folder, whose mail/ holds the mails `lonua jobs` writes'],
]);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const brand = makeBrand(), otherBrand = makeBrand();
const XSS = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>'];
const questionRows = (p) => num(`SELECT COUNT(*) FROM questions WHERE product_id = ${p.id}`);
const ask = (api, p, body) => api.api('POST', `/api/v1/products/${p.id}/questions`, body);
const body = (over = {}) => ({ type: 'size', title: `사이즈 문의 ${Date.now()}`, content: '키 170에 M 맞을까요?', ...over });
const sellerPage = (s) => pageLogin(s, new Client(), { action: '/seller/login' });

async function waitMail(to, pred, what, timeout = 20000) {
  const until = Date.now() + timeout;
  for (;;) {
    const m = mailsTo(to).find(pred);
    if (m) return m;
    if (Date.now() > until) assert.fail(`no ${what} mail to ${to} after ${timeout} ms`);
    await sleep(100);
  }
}

test('API: ask (201 + Location), read it back, list newest first with the list envelope, edit, delete', async () => {
  const s = await makeShopper();
  const api = await loginApi(s);
  const p = makeProduct(brand);
  let res = await ask(api, p, body({ title: '첫 질문' }));
  assertStatus(res, 201);
  const first = res.json;
  assert.equal(res.headers.location, `/api/v1/questions/${first.id}`);
  assert.deepEqual([first.type, first.title, first.secret, first.answered, first.editable, first.answer],
    ['size', '첫 질문', false, false, true, null]);
  assert.equal(num(`SELECT brand_id FROM questions WHERE id = ${first.id}`), brand.id, 'brand_id not copied');
  res = await ask(api, p, body({ title: '두번째', type: 'restock', secret: true }));
  assertStatus(res, 201);
  const second = res.json;
  sql(`UPDATE questions SET created_at = UTC_TIMESTAMP() - INTERVAL 5 MINUTE WHERE id = ${first.id};`);
  res = await guest().get(`/api/v1/products/${p.id}/questions`);
  assertStatus(res, 200);
  assert.deepEqual(res.json.items.map((q) => q.id), [second.id, first.id], 'not newest first');
  assert.deepEqual([res.json.page, res.json.per_page, res.json.total, res.json.total_is_lower_bound], [1, 24, 2, false]);
  res = await api.get(`/api/v1/products/${p.id}/questions?per_page=1&page=2`);
  assert.deepEqual([res.json.items.map((q) => q.id), res.json.total], [[first.id], 2]);
  res = await api.api('PATCH', `/api/v1/questions/${first.id}`, { title: '고친 제목', type: 'delivery' });
  assertStatus(res, 200);
  assert.deepEqual([res.json.title, res.json.type, res.json.content], ['고친 제목', 'delivery', '키 170에 M 맞을까요?']);
  res = await api.get('/api/v1/me/questions');
  assertStatus(res, 200);
  assert.deepEqual(res.json.items.map((q) => q.id), [second.id, first.id]);
  assertStatus(await api.api('DELETE', `/api/v1/questions/${first.id}`), 204);
  assert.equal(num(`SELECT COUNT(*) FROM questions WHERE id = ${first.id}`), 0);
  assertProblem(await api.api('DELETE', `/api/v1/questions/${first.id}`), 404, 'NOT_FOUND');
});

test('API: another shopper cannot edit or delete (404); a guest 401, a seller 403; nothing changes', async () => {
  const p = makeProduct(brand);
  const api = await loginApi(await makeShopper());
  const q = (await ask(api, p, body({ title: '내 질문' }))).json;
  const other = await loginApi(await makeShopper());
  assertProblem(await other.api('PATCH', `/api/v1/questions/${q.id}`, { title: '남의 것' }), 404, 'NOT_FOUND');
  assertProblem(await other.api('DELETE', `/api/v1/questions/${q.id}`), 404, 'NOT_FOUND');
  assertStatus(await guest().api('POST', `/api/v1/products/${p.id}/questions`, body()), 401);
  const seller = await loginSeller(await makeSeller(brand));
  assertProblem(await seller.api('POST', `/api/v1/products/${p.id}/questions`, body()), 403, 'WRONG_ROLE');
  assert.deepEqual([questionRows(p), val(`SELECT title FROM questions WHERE id = ${q.id}`)], [1, '내 질문']);
});

test('API: bad input is a 422 naming the fields, and stores nothing; a product not shown is 404', async () => {
  const api = await loginApi(await makeShopper());
  const p = makeProduct(brand);
  for (const [bad, field] of [
    [{ type: 'colour' }, 'type'], [{ title: '' }, 'title'], [{ title: '   ' }, 'title'], [{ title: 'x'.repeat(101) }, 'title'],
    [{ content: '' }, 'content'], [{ content: 'y'.repeat(1001) }, 'content'], [{ secret: 'maybe' }, 'secret'],
  ]) {
    const res = await ask(api, p, body(bad));
    assertProblem(res, 422, 'VALIDATION_FAILED');
    assert.ok(res.json.errors && res.json.errors[field], `no error for ${field}: ${describe(res)}`);
  }
  assertStatus(await ask(api, p, { type: 'size' }), 422);
  assert.equal(questionRows(p), 0, 'bad input stored a question');
  assertStatus(await ask(api, p, body({ title: 'x'.repeat(100) })), 201); // the bound itself is fine
  for (const hidden of [makeProduct(brand, { status: 'hidden' }), makeProduct(makeBrand({ status: 'inactive' }))]) {
    assertProblem(await ask(api, hidden, body()), 404, 'NOT_FOUND');
    assert.equal(questionRows(hidden), 0);
  }
  assertProblem(await ask(api, { id: 999999999 }, body()), 404, 'NOT_FOUND');
  const q = (await ask(api, p, body())).json;
  assertProblem(await api.api('PATCH', `/api/v1/questions/${q.id}`, { title: '' }), 422, 'VALIDATION_FAILED');
  assert.notEqual(val(`SELECT title FROM questions WHERE id = ${q.id}`), '');
});

test('answer API: another brand\'s seller 404; the brand\'s seller answers (answered_at set, mail once with the link); the asker can then neither edit nor delete (409); the answer can be edited', async () => {
  const s = await makeShopper();
  const api = await loginApi(s);
  const p = makeProduct(brand);
  const q = (await ask(api, p, body({ title: '재입고 되나요', type: 'restock' }))).json;
  const mine = await loginSeller(await makeSeller(brand));
  const foreign = await loginSeller(await makeSeller(otherBrand));
  assertProblem(await foreign.api('POST', `/api/v1/seller/questions/${q.id}/answer`, { content: '남의 답' }), 404, 'NOT_FOUND');
  assertProblem(await mine.api('POST', '/api/v1/seller/questions/999999999/answer', { content: '없음' }), 404, 'NOT_FOUND');
  assertProblem(await mine.api('POST', `/api/v1/seller/questions/${q.id}/answer`, { content: '' }), 422, 'VALIDATION_FAILED');
  assert.equal(num(`SELECT COUNT(*) FROM answers WHERE question_id = ${q.id}`), 0);
  assert.equal(val(`SELECT answered_at IS NULL FROM questions WHERE id = ${q.id}`), '1');
  let open = await mine.get('/api/v1/seller/questions?answered=0');
  assertStatus(open, 200);
  assert.ok(open.json.items.some((x) => x.id === q.id), 'the open question is not in the brand\'s open list');
  assert.ok(!(await foreign.get('/api/v1/seller/questions')).json.items.some((x) => x.id === q.id), 'another brand lists it');
  let res = await mine.api('POST', `/api/v1/seller/questions/${q.id}/answer`, { content: '다음 주에 들어와요' });
  assertStatus(res, 200);
  assert.deepEqual([res.json.answered, res.json.answer.content], [true, '다음 주에 들어와요']);
  assert.equal(val(`SELECT answered_at IS NOT NULL FROM questions WHERE id = ${q.id}`), '1');
  open = await mine.get('/api/v1/seller/questions?answered=0');
  assert.ok(!open.json.items.some((x) => x.id === q.id), 'an answered question is still open');
  assert.ok((await mine.get('/api/v1/seller/questions?answered=1')).json.items.some((x) => x.id === q.id));
  const m = await waitMail(s.email, (x) => x.subject === t('qna.mail_subject'), 'answered');
  assert.ok(m.body.includes(`/me/questions#question-${q.id}`), `no link in the mail: ${m.body}`);
  assert.ok(m.body.includes('재입고 되나요'), 'the mail does not name the question');
  res = await mine.api('POST', `/api/v1/seller/questions/${q.id}/answer`, { content: '수정: 내일 들어와요' });
  assertStatus(res, 200);
  assert.equal(res.json.answer.content, '수정: 내일 들어와요');
  assert.equal(num(`SELECT COUNT(*) FROM answers WHERE question_id = ${q.id}`), 1);
  await sleep(1500);
  assert.equal(mailsTo(s.email).filter((x) => x.subject === t('qna.mail_subject')).length, 1, 'an edited answer mailed again');
  res = await api.api('PATCH', `/api/v1/questions/${q.id}`, { title: '늦은 수정' });
  assertProblem(res, 409, 'QUESTION_ANSWERED');
  assertProblem(await api.api('DELETE', `/api/v1/questions/${q.id}`), 409, 'QUESTION_ANSWERED');
  assert.equal(val(`SELECT title FROM questions WHERE id = ${q.id}`), '재입고 되나요');
  // the page forms say so too
  const page = await loginPage(s);
  const list = await page.get('/me/questions');
  res = await page.post(`/me/questions/${q.id}/delete`, { csrf_token: csrfOf(list) });
  assertStatus(res, 409);
  assert.equal(formMessage(res), esc(t('qna.answered_locked')));
  res = await page.get(`/me/questions/${q.id}/edit`);
  assertStatus(res, 409);
  assert.ok(res.text.includes(esc(t('qna.answered_locked'))) && !res.text.includes(`action="/me/questions/${q.id}"`));
  assert.equal(num(`SELECT COUNT(*) FROM questions WHERE id = ${q.id}`), 1);
});

test('secrecy: a secret question (and its answer) is masked for guests, other shoppers and other brands\' sellers, and readable by the asker, the brand\'s sellers and admins, on the page and in the API; the count shows either way', async () => {
  const s = await makeShopper();
  const api = await loginApi(s);
  const p = makeProduct(brand);
  const secretTitle = `비밀 제목 ${Date.now()}`, secretContent = '비밀 내용 허리 치수', answerText = '비밀 답변 32인치';
  const q = (await ask(api, p, body({ title: secretTitle, content: secretContent, secret: true }))).json;
  const sellerApi = await loginSeller(await makeSeller(brand));
  assertStatus(await sellerApi.api('POST', `/api/v1/seller/questions/${q.id}/answer`, { content: answerText }), 200);
  const open = (await ask(api, p, body({ title: '공개 질문' }))).json;
  const admin = await makeAdmin();
  const viewers = {
    guest: { page: guest(), api: guest(), sees: false },
    asker: { page: await loginPage(s), api, sees: true },
    other_shopper: { page: await loginPage(await makeShopper()), api: await loginApi(await makeShopper()), sees: false },
    seller: { page: await sellerPage(await makeSeller(brand)), api: sellerApi, sees: true },
    other_seller: { page: await sellerPage(await makeSeller(otherBrand)), api: await loginSeller(await makeSeller(otherBrand)), sees: false },
    admin: { page: await loginPage(admin), api: await loginApi(admin), sees: true },
  };
  for (const [who, v] of Object.entries(viewers)) {
    const html = await v.page.get(`/products/${p.id}`);
    assertStatus(html, 200);
    assert.ok(html.text.includes(`(2)</span>`), `${who}: the count is not shown`);
    assert.ok(html.text.includes('공개 질문'), `${who}: the open question is not shown`);
    for (const secret of [secretTitle, secretContent, answerText]) {
      assert.equal(html.text.includes(secret), v.sees, `${who}: secret text ${v.sees ? 'not shown' : 'shown'} on the page`);
    }
    assert.equal(html.text.includes(esc(t('qna.private'))), !v.sees, `${who}: the private mark`);
    const list = await v.api.get(`/api/v1/products/${p.id}/questions`);
    assertStatus(list, 200);
    assert.equal(list.json.total, 2);
    const item = list.json.items.find((x) => x.id === q.id);
    assert.equal(item.masked, !v.sees, `${who}: masked`);
    assert.equal(item.title, v.sees ? secretTitle : t('qna.private'), `${who}: title`);
    assert.equal(item.answer.content, v.sees ? answerText : t('qna.private'), `${who}: answer`);
    assert.ok(!JSON.stringify(list.json).includes(secretContent) || v.sees, `${who}: content in the API`);
    const one = await v.api.get(`/api/v1/questions/${q.id}`);
    assertStatus(one, 200);
    assert.equal(one.json.content === secretContent, v.sees, `${who}: GET /api/v1/questions/{id}`);
    assert.equal(list.json.items.find((x) => x.id === open.id).title, '공개 질문');
  }
  // the asker's name is shown masked to everyone
  const item = (await guest().get(`/api/v1/products/${p.id}/questions`)).json.items[0];
  assert.match(item.asker, /^.\*+$/u, `asker not masked: ${item.asker}`);
});

test('page: a guest gets a login link, a shopper the form (no JavaScript): CSRF checked, invalid fields drawn again with the values and nothing stored, a good one stored and shown (303 back)', async () => {
  const p = makeProduct(brand);
  const g = await guest().get(`/products/${p.id}`);
  assert.ok(g.text.includes(`href="/login?next=%2Fproducts%2F${p.id}"`) && g.text.includes(esc(t('qna.login'))));
  assert.ok(!g.text.includes(`action="/products/${p.id}/questions"`), 'a guest is given the question form');
  const s = await makeShopper();
  const page = await loginPage(s);
  let res = await page.get(`/products/${p.id}`);
  assert.match(res.text, new RegExp(`<form class="form qna__form" action="/products/${p.id}/questions" method="post">`));
  const form = { type: 'details', title: '소재 문의', content: '면 100%인가요?', csrf_token: csrfOf(res) };
  assertStatus(await page.post(`/products/${p.id}/questions`, { ...form, csrf_token: undefined }), 403);
  res = await page.post(`/products/${p.id}/questions`, { ...form, title: 'x'.repeat(101) });
  assertStatus(res, 422);
  assert.ok(res.text.includes('id="question-title-error"'), 'no message beside the title');
  assert.ok(res.text.includes('면 100%인가요?</textarea>'), 'the content entered is not drawn again');
  assert.ok(res.text.includes('value="details" required checked'), 'the type chosen is not drawn again');
  res = await page.post(`/products/${p.id}/questions`, { ...form, type: 'colour' });
  assertStatus(res, 422);
  assert.equal(questionRows(p), 0, 'an invalid form stored a question');
  assertRedirect(await page.post(`/products/${p.id}/questions`, { ...form, secret: '1' }), `/products/${p.id}#questions`);
  assert.equal(val(`SELECT CONCAT(type, '|', title, '|', is_secret) FROM questions WHERE product_id = ${p.id}`), 'details|소재 문의|1');
  res = await page.get(`/products/${p.id}`);
  assert.ok(res.text.includes('소재 문의') && res.text.includes('면 100%인가요?'), 'the asker does not see the question');
  // more than the page shows: a link to all of them, paged
  const api = await loginApi(s);
  for (let i = 0; i < 6; i++) assertStatus(await ask(api, p, body({ title: `질문 ${i}` })), 201);
  res = await guest().get(`/products/${p.id}`);
  assert.ok(res.text.includes(`href="/products/${p.id}/questions"`), 'no link to all questions');
  res = await guest().get(`/products/${p.id}/questions?per_page=5`);
  assertStatus(res, 200);
  assert.ok(res.text.includes('(7)') && res.text.includes('rel="next"'), 'the questions page is not paged');
  assertStatus(await guest().get('/products/999999999/questions'), 404);
});

test('page: /me/questions lists the questions with answers; edit through the edit page; delete; another shopper\'s edit page is 404', async () => {
  const s = await makeShopper();
  const page = await loginPage(s), api = await loginApi(s);
  const p = makeProduct(brand);
  let res = await page.get('/me/questions');
  assertStatus(res, 200);
  assert.ok(res.text.includes(esc(t('qna.mine_empty'))));
  const q = (await ask(api, p, body({ title: '편집할 질문' }))).json;
  res = await page.get('/me/questions');
  assert.ok(res.text.includes('편집할 질문') && res.text.includes(`href="/me/questions/${q.id}/edit"`));
  res = await page.get(`/me/questions/${q.id}/edit`);
  assertStatus(res, 200);
  assert.ok(res.text.includes('value="편집할 질문"'), 'the edit form does not start with the question');
  res = await page.post(`/me/questions/${q.id}`, { type: 'size', title: '', content: '내용', csrf_token: csrfOf(res) });
  assertStatus(res, 422);
  assert.equal(val(`SELECT title FROM questions WHERE id = ${q.id}`), '편집할 질문');
  assertRedirect(await page.post(`/me/questions/${q.id}`, { type: 'delivery', title: '고친 질문', content: '언제 와요?',
    csrf_token: csrfOf(res) }), '/me/questions?saved=1');
  assert.equal(val(`SELECT CONCAT(type, '|', title, '|', body) FROM questions WHERE id = ${q.id}`), 'delivery|고친 질문|언제 와요?');
  const other = await loginPage(await makeShopper());
  assertStatus(await other.get(`/me/questions/${q.id}/edit`), 404);
  const otherList = await other.get('/me/questions');
  assertStatus(await other.post(`/me/questions/${q.id}/delete`, { csrf_token: csrfOf(otherList) }), 404);
  assertStatus(await other.post(`/me/questions/${q.id}`, { type: 'size', title: '남의 것', content: 'x', csrf_token: csrfOf(otherList) }), 404);
  assert.equal(num(`SELECT COUNT(*) FROM questions WHERE id = ${q.id}`), 1);
  res = await page.get('/me/questions?saved=1');
  assert.ok(res.text.includes(esc(t('qna.saved'))));
  assertRedirect(await page.post(`/me/questions/${q.id}/delete`, { csrf_token: csrfOf(res) }), '/me/questions?deleted=1');
  assert.equal(num(`SELECT COUNT(*) FROM questions WHERE id = ${q.id}`), 0);
  assertRedirect(await guest().get('/me/questions'), '/login?next=%2Fme%2Fquestions');
});

test('XSS: hostile title, content and answer come back escaped on the product page, /me/questions and the questions page, and as plain strings in the API', async () => {
  const s = await makeShopper();
  const api = await loginApi(s), page = await loginPage(s);
  const p = makeProduct(brand);
  const q = (await ask(api, p, body({ title: XSS[0], content: XSS[1] }))).json;
  assert.deepEqual([q.title, q.content], XSS);
  const seller = await loginSeller(await makeSeller(brand));
  assertStatus(await seller.api('POST', `/api/v1/seller/questions/${q.id}/answer`, { content: `${XSS[1]} ${XSS[0]}` }), 200);
  for (const [who, client, path] of [['guest', guest(), `/products/${p.id}`], ['asker', page, `/products/${p.id}`],
    ['asker', page, '/me/questions'], ['guest', guest(), `/products/${p.id}/questions`]]) {
    const res = await client.get(path);
    assertStatus(res, 200);
    for (const x of XSS) {
      assert.ok(!res.text.includes(x), `${who} ${path}: unescaped ${x}`);
      assert.ok(res.text.includes(esc(x)), `${who} ${path}: ${x} not shown escaped`);
    }
  }
  const list = await guest().get(`/api/v1/products/${p.id}/questions`);
  assert.equal(list.headers['content-type'], 'application/json');
  assert.deepEqual([list.json.items[0].title, list.json.items[0].content, list.json.items[0].answer.content],
    [XSS[0], XSS[1], `${XSS[1]} ${XSS[0]}`]);
});

// Each worker keeps a product page's newest questions and their count while the product's
// community version (schema/020) stays: every write to what they show must move it, and show on
// every worker's next page. 8 requests in a row reach the 4 workers (each kept the list before).
test('the product page\'s questions follow every write at once, on every worker: a question, an edit, an answer and its edit, the asker\'s name, a deletion', async () => {
  const s = await makeShopper();
  const api = await loginApi(s);
  const p = makeProduct(brand);
  const moved = communityVersion(p.id).moved;
  const pages = (what, check) => productPages(p.id, what, check);
  const mark = `kept${Date.now()}`;
  await pages('before any question', (text) => !text.includes(mark));
  const q = (await ask(api, p, body({ title: `${mark} 질문` }))).json;
  moved('a question');
  await pages('a question', (text) => text.includes(`${mark} 질문`));
  assertStatus(await api.api('PATCH', `/api/v1/questions/${q.id}`, { title: `${mark} 고친 질문` }), 200);
  moved('an edit');
  await pages('an edit', (text) => text.includes(`${mark} 고친 질문`));
  const seller = await loginSeller(await makeSeller(brand));
  assertStatus(await seller.api('POST', `/api/v1/seller/questions/${q.id}/answer`, { content: `${mark} 답변` }), 200);
  moved('an answer');
  await pages('an answer', (text) => text.includes(`${mark} 답변`));
  assertStatus(await seller.api('POST', `/api/v1/seller/questions/${q.id}/answer`, { content: `${mark} 고친 답변` }), 200);
  moved('an edited answer');
  await pages('an edited answer', (text) => text.includes(`${mark} 고친 답변`));
  sql(`UPDATE users SET name = 'Ω${mark}' WHERE id = ${s.id};`);
  moved('the asker\'s new name');
  await pages('the asker\'s new name', (text) => text.includes('Ω*'));
  const other = await loginApi(await makeShopper());
  const second = (await ask(other, p, body({ title: `${mark} 두번째` }))).json;
  moved('a second question');
  await pages('a second question', (text) => text.includes(`${mark} 두번째`));
  assertStatus(await other.api('DELETE', `/api/v1/questions/${second.id}`), 204);
  moved('a deletion');
  await pages('a deletion', (text) => !text.includes(`${mark} 두번째`) && text.includes(`${mark} 고친 질문`));
});

test('cleanup: every brand, product, shopper, seller, question and answer of this run is removed', () => {
  assert.deepEqual(cleanup(), {});
});

await run();
