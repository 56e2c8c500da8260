/* Quick exit: enhances the "Exit this page" link (which works without JavaScript).
   - Activating the link blanks the page, then replaces this history entry with the
     neutral site, so Back does not return here.
   - Pressing Shift three times within 5 seconds does the same.
   - A page restored from the back/forward cache is shown again.
   Loaded as an external file with `defer`: the site runs under a strict CSP. */
(function () {
  'use strict';
  var link = document.getElementById('qe-link');
  if (!link) return;
  var root = document.documentElement;
  var hint = document.getElementById('qe-hint');
  var status = document.getElementById('qe-status');
  var presses = 0;
  var timer = null;
  var lastWasModified = false;

  if (hint) hint.hidden = false;

  function say(key) {
    if (status) status.textContent = key ? status.getAttribute('data-' + key) || '' : '';
  }

  function exit(event) {
    if (event) event.preventDefault();
    say('done');
    root.classList.add('exiting');
    try {
      window.location.replace(link.href);
    } catch (e) {
      window.location.href = link.href;
    }
  }

  function reset() {
    presses = 0;
    if (timer) window.clearTimeout(timer);
    timer = null;
    say('');
  }

  link.addEventListener('click', exit);
  // A middle click would open a new tab: leave in this one instead.
  link.addEventListener('auxclick', function (event) {
    if (event.button === 1) exit(event);
  });

  // Count Shift pressed on its own: Shift+A gives a keyup for A with shiftKey set, and
  // then one for Shift itself, which is ignored (the pattern GOV.UK uses).
  document.addEventListener('keyup', function (event) {
    if ((event.key === 'Shift' || event.keyCode === 16) && !lastWasModified) {
      presses += 1;
      if (presses >= 3) {
        reset();
        exit();
        return;
      }
      say(presses === 1 ? 'two' : 'one');
      if (!timer) timer = window.setTimeout(reset, 5000);
    }
    lastWasModified = event.shiftKey;
  });

  window.addEventListener('pageshow', function () {
    root.classList.remove('exiting');
    reset();
  });
})();
