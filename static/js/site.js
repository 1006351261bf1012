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
