// Progressive enhancement only: every page works without this file.
// The header menus are <details> elements; here we make them behave like menus:
// one open at a time, closed by Escape or by a click elsewhere.
(function () {
  'use strict';
  var menus = Array.prototype.slice.call(document.querySelectorAll('details.menu'));
  if (!menus.length) return;

  function closeAll(except) {
    menus.forEach(function (m) { if (m !== except) m.open = false; });
  }

  menus.forEach(function (menu) {
    menu.addEventListener('toggle', function () { if (menu.open) closeAll(menu); });
  });

  document.addEventListener('click', function (e) {
    if (!e.target.closest || !e.target.closest('details.menu')) closeAll(null);
  });

  document.addEventListener('keydown', function (e) {
    if (e.key !== 'Escape') return;
    var open = menus.filter(function (m) { return m.open; })[0];
    if (!open) return;
    open.open = false;
    open.querySelector('summary').focus(); // give focus back to the menu's button
  });
})();

// The listing's filter form is a <details> too: folded on phones, a sidebar that stays open from
// 1024 px (the width where site.css puts it beside the results). Without this script it simply
// stays folded on every screen and opens with a click.
(function () {
  'use strict';
  var filters = document.querySelector('details.filters');
  if (!filters || !window.matchMedia) return;
  var wide = window.matchMedia('(min-width: 1024px)');

  function fit() {
    filters.open = wide.matches;
    filters.classList.toggle('filters--pinned', wide.matches);
  }
  fit();
  if (wide.addEventListener) wide.addEventListener('change', fit);
  else if (wide.addListener) wide.addListener(fit); // older Safari

  // While pinned, the summary is a heading: clicking it must not fold the sidebar away.
  filters.querySelector('summary').addEventListener('click', function (e) {
    if (wide.matches) e.preventDefault();
  });
})();

// On phones the sort links are one line that scrolls sideways: bring the current one into view.
(function () {
  'use strict';
  var box = document.querySelector('.sorts');
  var current = box && box.querySelector('[aria-current]');
  if (!current || box.scrollWidth <= box.clientWidth) return;
  var b = box.getBoundingClientRect(), c = current.getBoundingClientRect();
  box.scrollLeft += (c.left - b.left) - (b.width - c.width) / 2;
})();

// The filter form leaves out the filters left blank ("전체", no price), so the address it opens
// reads /products?category=3 rather than /products?category=3&style=&brand=&size=&…
(function () {
  'use strict';
  var form = document.querySelector('form.filters__form');
  if (!form) return;
  form.addEventListener('submit', function () {
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.name && (el.tagName === 'SELECT' || el.tagName === 'INPUT') && el.type !== 'checkbox' && el.value === '') {
        el.disabled = true;
      }
    });
  });
  // Coming back with the browser's Back button restores the page from its cache: enable them again.
  window.addEventListener('pageshow', function () {
    Array.prototype.forEach.call(form.elements, function (el) { el.disabled = false; });
  });
})();

// A form drawn again with errors: put the cursor in the first field to fix. Its message is tied
// to it with aria-describedby, so a screen reader reads it out with the field. Without this
// script the form's message at the top (role="alert") still says what to do.
(function () {
  'use strict';
  var field = document.querySelector('main .field--invalid');
  var input = field && field.querySelector('input:not([type="hidden"]), select, textarea');
  if (input) input.focus();
})();

// The product page's add-to-cart form works as a plain POST (303 to the cart). With this script it
// is sent to the cart API instead, so the shopper stays on the page: a note with a link to the cart
// appears and the header's count follows. A refusal falls back to the plain POST, whose answer (the
// page drawn again with its message) says what went wrong; no answer at all is not posted again
// (the size may have been added), and a note says to look in the cart.
(function () {
  'use strict';
  var form = document.querySelector('form[data-add-to-cart]');
  if (!form || !window.fetch || !window.JSON) return;
  var note = form.querySelector('.sizes__added');
  var failed = form.querySelector('.sizes__failed');
  var sending = false;

  function showCount(count) {
    var link = document.querySelector('[data-cart-link]');
    if (!link) return;
    var badge = link.querySelector('.account-links__count');
    if (!badge) {
      badge = document.createElement('span');
      badge.className = 'account-links__count';
      badge.setAttribute('aria-label', link.getAttribute('data-count-label') || '');
      link.appendChild(badge);
    }
    badge.textContent = String(count);
  }

  form.addEventListener('submit', function (e) {
    var size = form.querySelector('input[name="variant_id"]:checked');
    if (!size || sending) return; // no size: the browser asks for one (the radios are required)
    e.preventDefault();
    sending = true;
    fetch('/api/v1/cart/items', {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        'Content-Type': 'application/json',
        'Accept': 'application/json',
        'X-CSRF-Token': form.elements.csrf_token.value,
      },
      body: JSON.stringify({ variant_id: Number(size.value), quantity: Number(form.elements.quantity.value || 1) }),
    }).then(function (r) {
      // Refused (nothing changed): the form itself posts, and the page says why.
      if (r.status !== 201) return form.submit();
      return r.json().then(function (cart) {
        sending = false;
        showCount(cart.count);
        if (failed) failed.hidden = true;
        if (note) note.hidden = false;
      });
    }).catch(function () {
      // No answer: the size may have been added, so it is not posted again; the shopper decides.
      sending = false;
      if (note) note.hidden = true;
      if (failed) failed.hidden = false;
    });
  });
})();

// Like buttons are plain POSTs (303 back to the page): the product page's is a form of its own;
// a product card's is a button of the page's one form#card-like, posting to its product's address.
// With this script each goes to the like API (POST to like, DELETE to take it back) and the button
// and count change in place. Liking is a state, not a toggle, so falling back to the plain POST on
// any failure is safe. A product shown twice (home's rows) changes in both places.
(function () {
  'use strict';
  if (!window.fetch || !window.JSON) return;
  var controls = document.querySelectorAll('form[data-like], button[data-like]');
  // The element whose value is the like to send (1) or take back (0), and its button.
  function likeField(c) { return c.tagName === 'FORM' ? c.elements.like : c; }
  function buttonOf(c) { return c.tagName === 'FORM' ? c.querySelector('button') : c; }

  function show(id, state) {
    Array.prototype.forEach.call(controls, function (c) {
      if (c.getAttribute('data-like') !== id) return;
      var count = c.querySelector('[data-like-count]');
      buttonOf(c).setAttribute('aria-pressed', state.liked ? 'true' : 'false');
      likeField(c).value = state.liked ? '0' : '1';
      if (count) count.textContent = String(state.like_count);
    });
  }

  // The plain POST, as without this script.
  function postPlain(c, form) {
    if (c === form) return form.submit();
    if (form.requestSubmit) return form.requestSubmit(c);
    var like = document.createElement('input');
    like.type = 'hidden';
    like.name = 'like';
    like.value = c.value;
    form.appendChild(like);
    form.action = c.formAction;
    form.submit();
  }

  Array.prototype.forEach.call(controls, function (c) {
    var form = c.tagName === 'FORM' ? c : c.form;
    if (!form || !form.elements.csrf_token) return;
    c.addEventListener(c === form ? 'submit' : 'click', function (e) {
      e.preventDefault();
      var id = c.getAttribute('data-like');
      fetch('/api/v1/products/' + id + '/like', {
        method: likeField(c).value === '1' ? 'POST' : 'DELETE',
        credentials: 'same-origin',
        headers: { 'Accept': 'application/json', 'X-CSRF-Token': form.elements.csrf_token.value },
      }).then(function (r) {
        if (r.status !== 200) throw new Error('HTTP ' + r.status);
        return r.json();
      }).then(function (state) {
        show(id, state);
      }).catch(function () {
        postPlain(c, form);
      });
    });
  });
})();
