// The access matrix: who may call each route, read by tests/integration/access.test.mjs.
//
// Every route `lonua routes --json` prints (with LONUA_TEST_ROUTES=1, so the test-only routes too)
// needs a row in ROUTES below, keyed "METHOD /pattern" exactly as the route table spells it; the
// suite fails for a route without a row and for a row whose route is gone. A row names the
// route's access class (`access`, which must equal the "role" the route table declares); the
// class gives the expected outcome for each principal (CLASSES), and `expect` overrides single
// principals. docs/architecture.md ("The access matrix") says how to add a row.
//
// Outcomes (what the suite sees; it asks pages as a browser with the session cookie, /api/ routes
// with the bearer token and, for unsafe ones, once more with the cookie and X-CSRF-Token; a guest's
// unsafe API call carries the guest's CSRF cookie and X-CSRF-Token, as a guest's cart needs):
//   'allowed'   the access check let the call through: the answer is not a 401 or 403, not a
//               303 to a login page, not a 429 or 5xx (which prove nothing). An unsafe call that
//               gets through must answer 422 (its empty or deliberately invalid body refused, so
//               that the suite changes nothing) unless the row says `endsSession` or `ok`.
//   'login'     needs an account: a page answers 303 to /login?next=<the path> (/seller/login for
//               seller routes; a POST gets no next=), the API 401 problem+json NOT_AUTHENTICATED.
//   'ACCOUNT_NOT_VERIFIED', 'ACCOUNT_SUSPENDED', 'WRONG_ROLE'
//               403 with that problem code (problem+json on the API; on a page the error page with
//               the code's text from locales/ko.json, problem.<CODE>).
//   any other problem code, for a route whose access check passes but whose handler refuses with
//               a 401 or 403 of its own (none yet).
// Two rules that hold for every row: a bearer token the server refuses (the withdrawn shopper's)
// is 401 INVALID_TOKEN on every /api/ route, public ones too; the withdrawn shopper's cookie is
// ignored, so on pages (and on the API by cookie) it is a guest.

// The principals, in the order of every table below. The suite creates each one directly in
// MariaDB (named "access-matrix …") with sessions it makes itself.
export const PRINCIPALS = [
  'guest', //                 no session at all
  'pending', //               shopper who has not confirmed the e-mail address (status pending)
  'shopper', //               active shopper
  'other_shopper', //         a second active shopper (for rows about someone else's rows)
  'withdrawn', //             withdrawn shopper (status withdrawn, e-mail and password gone) who still holds sessions
  'seller', //                active seller of an active brand (brand A)
  'other_seller', //          active seller of another active brand (brand B)
  'suspended_seller', //      suspended seller of brand A
  'inactive_brand_seller', // active seller of an inactive brand (brand C)
  'admin', //                 active admin
];

const A = 'allowed', L = 'login', NV = 'ACCOUNT_NOT_VERIFIED', SU = 'ACCOUNT_SUSPENDED', WR = 'WRONG_ROLE';

// Per access class (src/http/router.c access_check, src/server/pipeline.c pipeline_role): the
// outcome of each principal, in PRINCIPALS order. ACCOUNT_NOT_VERIFIED only where verifying would
// let the shopper in, ACCOUNT_SUSPENDED only on seller routes; any other wrong kind of account is
// WRONG_ROLE.
//                   guest pend shop othr wdrn sell osel susp inac admin
export const CLASSES = {
  guest:           [A,    A,   A,   A,   A,   A,   A,   A,   A,   A],
  signed_in:       [L,    A,   A,   A,   L,   A,   A,   A,   A,   A],
  member:          [L,    A,   A,   A,   L,   WR,  WR,  WR,  WR,  WR],
  shopper:         [L,    NV,  A,   A,   L,   WR,  WR,  WR,  WR,  WR],
  seller:          [L,    WR,  WR,  WR,  L,   A,   A,   SU,  SU,  WR],
  admin:           [L,    WR,  WR,  WR,  L,   WR,  WR,  WR,  WR,  A],
};

// One row per route. Fields:
//   access       the access class (CLASSES), as the route table declares it.
//   expect       { principal: outcome } where this route differs from its class.
//   id           what to put for {id}: 'product', 'category', 'style' (an active one, looked up as
//                root), 'brand' (the suite's own active brand A), or a number (any id: the
//                outcome is about access, a 404 after the check is 'allowed').
//   query        a query string to add (without '?').
//   body         the body of an unsafe call (an object: JSON for the API, urlencoded for a page,
//                which always gets its csrf_token too). Give one that fails validation when the
//                route has no required input, so that the call changes nothing (422). Without it
//                the body is empty ({} for the API).
//   endsSession  the call ends the session it comes with (logout): the suite makes a fresh
//                session for each call.
//   ok           the status every allowed principal gets (a number), or { principal: status }. On
//                an unsafe route it replaces the 422 the suite wants otherwise: give it only to a
//                call that changes nothing (an absent id: 404; clearing the cart the principals do
//                not have: 204 or 303).
//   testOnly     a test-only route (LONUA_TEST_ROUTES=1).
const E = 'not-an-e-mail';
// A guest form page: a guest sees it (as does the withdrawn shopper, a guest to the server); a
// signed-in caller is sent on to its own pages (303 to /me, /seller or /admin).
const GUEST_FORM = Object.fromEntries(PRINCIPALS.map((p) => [p, p === 'guest' || p === 'withdrawn' ? 200 : 303]));
// An id nothing has (a cart line, an order): the call is refused with 404 after the access check.
const ABSENT = 999999999;

export const ROUTES = {
  // ---- the shop's pages
  'GET /': { access: 'guest', ok: 200 },
  'GET /products': { access: 'guest', ok: 200 },
  'GET /products/{id}': { access: 'guest', id: 'product', ok: 200 },
  'GET /categories/{id}': { access: 'guest', id: 'category', ok: 200 },
  'GET /styles/{id}': { access: 'guest', id: 'style', ok: 200 },
  'GET /brands': { access: 'guest', ok: 200 },
  'GET /brands/{id}': { access: 'guest', id: 'brand', ok: 200 },
  'GET /products/{id}/reviews': { access: 'guest', id: 'product', ok: 200 },
  'GET /for-me': { access: 'guest', ok: 200 },

  // ---- the cart: anyone's (a guest's lives under the lonua_cart cookie). The principals have no
  // cart and no line: a change is refused by validation, or finds nothing to change.
  'GET /cart': { access: 'guest', ok: 200 },
  'POST /products/{id}/cart': { access: 'guest', id: 'product' },
  'POST /cart/items/{id}': { access: 'guest', id: ABSENT },
  'POST /cart/items/{id}/coupon': { access: 'guest', id: ABSENT },
  'POST /cart/items/{id}/delete': { access: 'guest', id: ABSENT, ok: 404 },
  'POST /cart/clear': { access: 'guest', ok: 303 },

  // ---- checkout: an empty cart goes back to /cart; an absent order is 404
  'GET /checkout': { access: 'shopper', ok: 303 },
  'POST /checkout': { access: 'shopper' },
  'GET /me/orders/{id}/complete': { access: 'shopper', id: ABSENT, ok: 404 },

  // ---- the buyer's orders, coupons and mileage. Order 1 and its lines are the seed's (a demo
  // shopper's, brand 2's): another buyer's order is 404 to every principal. A change names an
  // order or a line nobody has (404), or fails validation (422), so that nothing changes.
  'GET /me/orders': { access: 'shopper', ok: 200 },
  'GET /me/orders/{id}': { access: 'shopper', id: 1, ok: 404 },
  'POST /me/orders/{id}/cancel': { access: 'shopper', id: ABSENT, ok: 404 },
  'POST /me/order-lines/{id}/confirm': { access: 'shopper', id: ABSENT, ok: 404 },
  'POST /me/order-lines/{id}/return': { access: 'shopper', id: ABSENT },
  'GET /me/coupons': { access: 'shopper', ok: 200 },
  'GET /me/likes': { access: 'shopper', ok: 200 },
  // a like form without its like field: refused by validation (a like is the shopper's own state)
  'POST /products/{id}/like': { access: 'shopper', id: 'product' },
  'GET /me/mileage': { access: 'shopper', ok: 200 },
  // Reviews: of a line or a review nobody has (404); a form without its rating (422).
  'GET /me/order-lines/{id}/review': { access: 'shopper', id: ABSENT, ok: 404 },
  'POST /me/order-lines/{id}/review': { access: 'shopper', id: ABSENT },
  'GET /me/reviews': { access: 'shopper', ok: 200 },
  'GET /me/reviews/{id}/edit': { access: 'shopper', id: ABSENT, ok: 404 },
  'POST /me/reviews/{id}': { access: 'shopper', id: ABSENT },
  'POST /me/reviews/{id}/delete': { access: 'shopper', id: ABSENT, ok: 404 },
  // Paying through the gateway: the payment page of another buyer's order is 404; the gateway's
  // return without an imp_uid goes back to the payment page (which then decides) without asking
  // the gateway.
  'GET /me/orders/{id}/pay': { access: 'shopper', id: 1, ok: 404 },
  'POST /me/orders/{id}/pay': { access: 'shopper', id: ABSENT },
  'GET /me/orders/{id}/pay/return': { access: 'shopper', id: ABSENT, ok: 303 },

  // ---- accounts: sign-up, verification, login, passwords
  'GET /signup': { access: 'guest', ok: GUEST_FORM },
  'POST /signup': { access: 'guest' },
  'GET /signup/done': { access: 'guest', ok: 200 },
  'GET /verify': { access: 'guest', ok: 200 },
  'POST /verify': { access: 'guest' },
  'POST /verify/resend': { access: 'guest', body: { email: E } },
  'GET /login': { access: 'guest', ok: GUEST_FORM },
  'POST /login': { access: 'guest' },
  'POST /logout': { access: 'signed_in', endsSession: true, ok: 303 },
  'GET /password/forgot': { access: 'guest', ok: 200 },
  'POST /password/forgot': { access: 'guest' },
  'GET /password/reset': { access: 'guest', ok: 200 },
  'POST /password/reset': { access: 'guest' },
  // Kakao login (the stack runs against tests/fakes/kakao-fake.mjs): leaving for Kakao is open to
  // anyone; coming back without a state this browser started is refused whoever calls; the
  // profile of a new Kakao account sends anyone else on to /me.
  'GET /auth/kakao': { access: 'guest', ok: 303 },
  'GET /auth/kakao/callback': {
    access: 'guest',
    expect: Object.fromEntries(PRINCIPALS.map((p) => [p, 'KAKAO_STATE'])),
  },
  'GET /signup/kakao': { access: 'member', ok: 303 },
  'POST /signup/kakao': { access: 'member', body: { email: E } },

  // ---- the shopper's own pages
  'GET /me': { access: 'member', ok: 200 },
  'GET /me/profile': { access: 'shopper', ok: 200 },
  'POST /me/profile/reauth': { access: 'shopper' },
  'POST /me/profile': { access: 'shopper' },
  'POST /me/password': { access: 'shopper' },
  'GET /me/withdraw': { access: 'member', ok: 200 },
  'POST /me/withdraw': { access: 'member' },

  // ---- sellers
  'GET /seller/signup': { access: 'guest', ok: GUEST_FORM },
  'POST /seller/signup': { access: 'guest' },
  'GET /seller/login': { access: 'guest', ok: GUEST_FORM },
  'POST /seller/login': { access: 'guest' },
  'GET /seller': { access: 'seller', ok: 200 },
  'GET /seller/account': { access: 'seller', ok: 200 },
  'POST /seller/account/password': { access: 'seller' },
  'GET /seller/account/delete': { access: 'seller', ok: 200 },
  // The console's products (an absent product: 404 after the access check; the forms' empty bodies: 422)
  'GET /seller/products': { access: 'seller', ok: 200 },
  'GET /seller/products/new': { access: 'seller', ok: 200 },
  'POST /seller/products': { access: 'seller' },
  'GET /seller/products/{id}': { access: 'seller', id: ABSENT, ok: 404 },
  'POST /seller/products/{id}': { access: 'seller', id: ABSENT },
  'POST /seller/products/{id}/delete': { access: 'seller', id: ABSENT, ok: 404 },
  'POST /seller/products/{id}/variants': { access: 'seller', id: ABSENT },
  'POST /seller/products/{id}/variants/{vid}': { access: 'seller', id: ABSENT },
  'POST /seller/products/{id}/variants/{vid}/delete': { access: 'seller', id: ABSENT, ok: 404 },
  'POST /seller/account/delete': { access: 'seller' },
  // the seller console (issue 10): another brand's rows are 404 after the check (seller-ops.test.mjs)
  'GET /seller/stock': { access: 'seller', ok: 200 },
  'POST /seller/stock/upload': { access: 'seller' },
  'GET /seller/stock/{id}': { access: 'seller', id: ABSENT, ok: 404 },
  'POST /seller/stock/{id}': { access: 'seller', id: ABSENT },
  'GET /seller/orders': { access: 'seller', ok: 200 },
  'GET /seller/orders.csv': { access: 'seller', ok: 200 },
  'POST /seller/orders/{id}/prepare': { access: 'seller', id: ABSENT, ok: 404 },
  'POST /seller/orders/{id}/ship': { access: 'seller', id: ABSENT },
  'POST /seller/orders/{id}/deliver': { access: 'seller', id: ABSENT, ok: 404 },
  'POST /seller/orders/{id}/return/approve': { access: 'seller', id: ABSENT, ok: 404 },
  'POST /seller/orders/{id}/return/reject': { access: 'seller', id: ABSENT },
  'GET /seller/questions': { access: 'seller', ok: 200 },
  'POST /seller/questions/{id}/answer': { access: 'seller', id: ABSENT },
  'GET /seller/branches': { access: 'seller', ok: 200 },
  'POST /seller/branches': { access: 'seller' },
  'GET /seller/branches/{id}': { access: 'seller', id: ABSENT, ok: 404 },
  'POST /seller/branches/{id}': { access: 'seller', id: ABSENT },
  'POST /seller/branches/{id}/delete': { access: 'seller', id: ABSENT, ok: 404 },

  // ---- JSON API
  'GET /api/v1/categories': { access: 'guest', ok: 200 },
  'GET /api/v1/categories/{id}': { access: 'guest', id: 'category', ok: 200 },
  'GET /api/v1/styles': { access: 'guest', ok: 200 },
  'GET /api/v1/styles/{id}': { access: 'guest', id: 'style', ok: 200 },
  'GET /api/v1/products': { access: 'guest', ok: 200 },
  'GET /api/v1/products/{id}': { access: 'guest', id: 'product', ok: 200 },
  'GET /api/v1/brands': { access: 'guest', ok: 200 },
  'GET /api/v1/brands/{id}': { access: 'guest', id: 'brand', ok: 200 },
  'GET /api/v1/openapi.json': { access: 'guest', ok: 200 },
  'GET /api/v1/cart': { access: 'guest', ok: 200 },
  'DELETE /api/v1/cart': { access: 'guest', ok: 204 },
  'POST /api/v1/cart/items': { access: 'guest' },
  'PATCH /api/v1/cart/items/{id}': { access: 'guest', id: ABSENT, body: { quantity: 0 } },
  'DELETE /api/v1/cart/items/{id}': { access: 'guest', id: ABSENT, ok: 404 },
  // Its declared inputs are checked before the Idempotency-Key header (400 without one).
  'POST /api/v1/orders': { access: 'shopper', body: { mileage: -1 } },
  'GET /api/v1/orders': { access: 'shopper', ok: 200 },
  'GET /api/v1/orders/{id}': { access: 'shopper', id: 1, ok: 404 },
  'POST /api/v1/orders/{id}/cancel': { access: 'shopper', id: ABSENT, ok: 404 },
  'POST /api/v1/order-lines/{id}/confirm': { access: 'shopper', id: ABSENT, ok: 404 },
  'POST /api/v1/order-lines/{id}/return': { access: 'shopper', id: ABSENT },
  'GET /api/v1/me/coupons': { access: 'shopper', ok: 200 },
  'GET /api/v1/me/likes': { access: 'shopper', ok: 200 },
  'POST /api/v1/products/{id}/like': { access: 'shopper', id: ABSENT, ok: 404 },
  'DELETE /api/v1/products/{id}/like': { access: 'shopper', id: ABSENT, ok: 404 },
  'GET /api/v1/products/{id}/size-advice': { access: 'shopper', id: 'product', ok: 200 },
  'GET /api/v1/products/{id}/reviews': { access: 'guest', id: 'product', ok: 200 },
  'POST /api/v1/order-lines/{id}/review': { access: 'shopper', id: ABSENT },
  'GET /api/v1/reviews/{id}': { access: 'shopper', id: ABSENT, ok: 404 },
  'PATCH /api/v1/reviews/{id}': { access: 'shopper', id: ABSENT, body: { rating: 9 } },
  'DELETE /api/v1/reviews/{id}': { access: 'shopper', id: ABSENT, ok: 404 },
  'GET /api/v1/me/reviews': { access: 'shopper', ok: 200 },
  'GET /api/v1/me/mileage': { access: 'shopper', ok: 200 },
  'POST /api/v1/payments/portone/complete': { access: 'shopper' },
  // The gateway's webhook: anyone (no CSRF token); without an imp_uid it is refused before the
  // gateway is asked.
  'POST /api/v1/payments/portone/webhook': { access: 'guest' },
  'POST /api/v1/users': { access: 'guest' },
  'POST /api/v1/auth/login': { access: 'guest' },
  'POST /api/v1/auth/logout': { access: 'signed_in', endsSession: true, ok: 204 },
  'POST /api/v1/auth/verify': { access: 'guest' },
  'POST /api/v1/auth/verify/resend': { access: 'guest', body: { email: E } },
  'POST /api/v1/auth/password/forgot': { access: 'guest' },
  'POST /api/v1/auth/password/reset': { access: 'guest' },
  'GET /api/v1/me': { access: 'member', ok: 200 },
  'PATCH /api/v1/me': { access: 'shopper', body: { phone: 'not-a-phone' } },
  'POST /api/v1/me/password': { access: 'shopper' },
  'POST /api/v1/me/withdraw': { access: 'member', body: { password: 'x'.repeat(1001) } },
  'POST /api/v1/sellers': { access: 'guest' },
  'POST /api/v1/seller/auth/login': { access: 'guest' },
  'GET /api/v1/seller/me': { access: 'seller', ok: 200 },
  'DELETE /api/v1/seller/me': { access: 'seller' },
  'POST /api/v1/seller/me/password': { access: 'seller' },
  // Fulfilment: the brand's lines only (line 1 is brand 2's, a seed brand: 404 to every seller
  // here); a move names a line nobody has, or fails validation.
  'GET /api/v1/seller/dashboard': { access: 'seller', ok: 200 },
  'GET /api/v1/seller/variants': { access: 'seller', ok: 200 },
  'GET /api/v1/seller/variants/{id}': { access: 'seller', id: ABSENT, ok: 404 },
  'POST /api/v1/seller/variants/{id}/stock': { access: 'seller', id: ABSENT },
  'POST /api/v1/seller/stock/csv': { access: 'seller' },
  'GET /api/v1/seller/branches': { access: 'seller', ok: 200 },
  'POST /api/v1/seller/branches': { access: 'seller' },
  'GET /api/v1/seller/branches/{id}': { access: 'seller', id: ABSENT, ok: 404 },
  'PATCH /api/v1/seller/branches/{id}': { access: 'seller', id: ABSENT, body: { postal_code: '1' } },
  'DELETE /api/v1/seller/branches/{id}': { access: 'seller', id: ABSENT, ok: 404 },
  'GET /api/v1/seller/order-lines': { access: 'seller', ok: 200 },
  'GET /api/v1/seller/order-lines/{id}': { access: 'seller', id: 1, ok: 404 },
  'POST /api/v1/seller/order-lines/{id}/prepare': { access: 'seller', id: ABSENT, ok: 404 },
  'POST /api/v1/seller/order-lines/{id}/ship': { access: 'seller', id: ABSENT },
  'POST /api/v1/seller/order-lines/{id}/deliver': { access: 'seller', id: ABSENT, ok: 404 },
  'POST /api/v1/seller/order-lines/{id}/return/approve': { access: 'seller', id: ABSENT, ok: 404 },
  'POST /api/v1/seller/order-lines/{id}/return/reject': { access: 'seller', id: ABSENT },
  // Payments and refunds for admins: any order (order 1 is there); a change names an order or a
  // refund nobody has, or fails validation.
  'GET /api/v1/admin/orders': { access: 'admin', ok: 200 },
  'GET /api/v1/admin/orders/{id}': { access: 'admin', id: 'order', ok: 200 },
  'POST /api/v1/admin/orders/{id}/payment': { access: 'admin', id: ABSENT },
  'GET /api/v1/admin/refunds': { access: 'admin', ok: 200 },
  'POST /api/v1/admin/refunds/{id}/record': { access: 'admin', id: ABSENT, ok: 404 },
  // The admin console: a change names a review, seller or brand nobody has (404), or fails
  // validation (422), so that nothing changes.
  'GET /admin': { access: 'admin', ok: 200 },
  'GET /admin/orders': { access: 'admin', ok: 200 },
  'POST /admin/orders/{id}/payment': { access: 'admin', id: ABSENT },
  'GET /admin/refunds': { access: 'admin', ok: 200 },
  'GET /admin/sellers': { access: 'admin', ok: 200 },
  'POST /admin/sellers/{id}/suspend': { access: 'admin', id: ABSENT, ok: 404 },
  'POST /admin/sellers/{id}/reinstate': { access: 'admin', id: ABSENT, ok: 404 },
  'GET /admin/reviews': { access: 'admin', ok: 200 },
  'POST /admin/reviews/{id}/hide': { access: 'admin', id: ABSENT },
  'POST /admin/reviews/{id}/unhide': { access: 'admin', id: ABSENT, ok: 404 },
  'POST /admin/refunds/{id}/record': { access: 'admin', id: ABSENT, ok: 404 },
  'GET /api/v1/admin/dashboard': { access: 'admin', ok: 200 },
  'POST /api/v1/admin/reviews/{id}/hide': { access: 'admin', id: ABSENT },
  'POST /api/v1/admin/reviews/{id}/unhide': { access: 'admin', id: ABSENT, ok: 404 },
  'GET /api/v1/admin/sellers': { access: 'admin', ok: 200 },
  'POST /api/v1/admin/sellers/{id}/suspend': { access: 'admin', id: ABSENT, ok: 404 },
  'POST /api/v1/admin/sellers/{id}/reinstate': { access: 'admin', id: ABSENT, ok: 404 },
  'POST /api/v1/admin/brands/{id}/key': { access: 'admin', id: ABSENT, ok: 404 },
  'POST /api/v1/admin/brands': { access: 'admin' },
  'PATCH /api/v1/admin/brands/{id}': { access: 'admin', id: ABSENT, ok: 404 },
  'POST /api/v1/admin/brands/{id}/deactivate': { access: 'admin', id: ABSENT, ok: 404 },
  'POST /api/v1/admin/brands/{id}/reactivate': { access: 'admin', id: ABSENT, ok: 404 },
  'POST /api/v1/admin/coupons': { access: 'admin' },
  'POST /api/v1/admin/coupons/{id}/revoke': { access: 'admin', id: ABSENT, ok: 404 },
  'GET /api/v1/admin/members': { access: 'admin', ok: 200 },
  'GET /api/v1/admin/members/{id}': { access: 'admin', id: ABSENT, ok: 404 },
  'POST /api/v1/admin/members/{id}/withdraw': { access: 'admin', id: ABSENT, ok: 404 },
  'POST /api/v1/admin/members/{id}/erase': { access: 'admin', id: ABSENT, ok: 404 },
  // The console's brand pages (the changes are the API's handlers): a brand nobody has is 404.
  'GET /admin/brands': { access: 'admin', ok: 200 },
  'GET /admin/brands/new': { access: 'admin', ok: 200 },
  'POST /admin/brands': { access: 'admin' },
  'GET /admin/brands/{id}': { access: 'admin', id: ABSENT, ok: 404 },
  'POST /admin/brands/{id}': { access: 'admin', id: ABSENT, ok: 404 },
  'POST /admin/brands/{id}/key': { access: 'admin', id: ABSENT, ok: 404 },
  'POST /admin/brands/{id}/deactivate': { access: 'admin', id: ABSENT, ok: 404 },
  'POST /admin/brands/{id}/reactivate': { access: 'admin', id: ABSENT, ok: 404 },
  // The console's coupons page: an empty issue form is 422; a coupon nobody has is 404.
  'GET /admin/coupons': { access: 'admin', ok: 200 },
  'POST /admin/coupons': { access: 'admin' },
  'POST /admin/coupons/{id}/revoke': { access: 'admin', id: ABSENT, ok: 404 },
  // Categories, styles and grades (API and pages): an edit names one nobody has (404).
  'GET /api/v1/admin/categories': { access: 'admin', ok: 200 },
  // adding one without its fields: refused by validation (422), nothing added
  'POST /api/v1/admin/categories': { access: 'admin' },
  'POST /api/v1/admin/styles': { access: 'admin' },
  'POST /admin/categories': { access: 'admin' },
  'POST /admin/styles': { access: 'admin' },
  'PATCH /api/v1/admin/categories/{id}': { access: 'admin', id: ABSENT, ok: 404 },
  'GET /api/v1/admin/styles': { access: 'admin', ok: 200 },
  'PATCH /api/v1/admin/styles/{id}': { access: 'admin', id: ABSENT, ok: 404 },
  'GET /api/v1/admin/grades': { access: 'admin', ok: 200 },
  'PATCH /api/v1/admin/grades/{id}': { access: 'admin', id: ABSENT, ok: 404 },
  'GET /admin/categories': { access: 'admin', ok: 200 },
  'GET /admin/categories/{id}': { access: 'admin', id: ABSENT, ok: 404 },
  'POST /admin/categories/{id}': { access: 'admin', id: ABSENT, ok: 404 },
  'GET /admin/styles': { access: 'admin', ok: 200 },
  'GET /admin/styles/{id}': { access: 'admin', id: ABSENT, ok: 404 },
  'POST /admin/styles/{id}': { access: 'admin', id: ABSENT, ok: 404 },
  'GET /admin/grades': { access: 'admin', ok: 200 },
  'GET /admin/grades/{id}': { access: 'admin', id: ABSENT, ok: 404 },
  'POST /admin/grades/{id}': { access: 'admin', id: ABSENT, ok: 404 },
  // The console's members pages (the same handlers): a member nobody has is 404.
  'GET /admin/members': { access: 'admin', ok: 200 },
  'GET /admin/members/{id}': { access: 'admin', id: ABSENT, ok: 404 },
  'POST /admin/members/{id}/withdraw': { access: 'admin', id: ABSENT, ok: 404 },
  'POST /admin/members/{id}/erase': { access: 'admin', id: ABSENT, ok: 404 },

  // ---- product questions and answers: the product's (a shown product), the asker's, the brand's. A
  // change names a question nobody has (404), or fails validation (422), so that nothing changes.
  'GET /products/{id}/questions': { access: 'guest', id: 'product', ok: 200 },
  'POST /products/{id}/questions': { access: 'shopper', id: 'product' },
  'GET /me/questions': { access: 'shopper', ok: 200 },
  'GET /me/questions/{id}/edit': { access: 'shopper', id: ABSENT, ok: 404 },
  'POST /me/questions/{id}': { access: 'shopper', id: ABSENT },
  'POST /me/questions/{id}/delete': { access: 'shopper', id: ABSENT, ok: 404 },
  'GET /api/v1/products/{id}/questions': { access: 'guest', id: 'product', ok: 200 },
  'POST /api/v1/products/{id}/questions': { access: 'shopper', id: 'product' },
  'GET /api/v1/questions/{id}': { access: 'guest', id: ABSENT, ok: 404 },
  'PATCH /api/v1/questions/{id}': { access: 'shopper', id: ABSENT, body: { type: 'colour' } },
  'DELETE /api/v1/questions/{id}': { access: 'shopper', id: ABSENT, ok: 404 },
  'GET /api/v1/me/questions': { access: 'shopper', ok: 200 },
  'GET /api/v1/seller/products': { access: 'seller', ok: 200 },
  'POST /api/v1/seller/products': { access: 'seller' },
  'GET /api/v1/seller/products/{id}': { access: 'seller', id: ABSENT, ok: 404 },
  'PATCH /api/v1/seller/products/{id}': { access: 'seller', id: ABSENT, ok: 404 },
  'DELETE /api/v1/seller/products/{id}': { access: 'seller', id: ABSENT, ok: 404 },
  'POST /api/v1/seller/products/{id}/variants': { access: 'seller', id: ABSENT },
  'PATCH /api/v1/seller/products/{id}/variants/{vid}': { access: 'seller', id: ABSENT, ok: 404 },
  'DELETE /api/v1/seller/products/{id}/variants/{vid}': { access: 'seller', id: ABSENT, ok: 404 },
  'GET /api/v1/seller/questions': { access: 'seller', ok: 200 },
  'POST /api/v1/seller/questions/{id}/answer': { access: 'seller', id: ABSENT },

  // ---- operations
  'GET /healthz': { access: 'guest', ok: 200 },
  'GET /readyz': { access: 'guest', ok: 200 },
  'GET /metrics': { access: 'guest', ok: 200 },

  // ---- test-only routes (LONUA_TEST_ROUTES=1)
  'GET /api/v1/test/echo/{id}': { access: 'guest', id: 1, testOnly: true, ok: 422 },
  'POST /api/v1/test/echo/{id}': { access: 'guest', id: 1, testOnly: true },
  'GET /api/v1/test/sleep': { access: 'guest', query: 'ms=0', testOnly: true, ok: 200 },
};
