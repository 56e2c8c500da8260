/* Share button: shown only when this script runs (the page works without it). Uses the
   device's own share menu (Web Share API) where there is one, else copies the link.
   No third-party code and nothing sent anywhere. */
(function () {
  'use strict';
  var button = document.getElementById('share');
  var status = document.getElementById('share-status');
  if (!button || !(navigator.share || (navigator.clipboard && navigator.clipboard.writeText))) return;
  var canonical = document.querySelector('link[rel="canonical"]');
  var url = canonical ? canonical.href : window.location.href;
  function say(key) {
    if (status) status.textContent = button.getAttribute('data-' + key) || '';
  }
  button.hidden = false;
  button.addEventListener('click', function () {
    if (navigator.share) {
      navigator.share({ title: button.getAttribute('data-title') || document.title, url: url }).catch(function () {});
      return;
    }
    navigator.clipboard.writeText(url).then(function () { say('copied'); }, function () { say('failed'); });
  });
})();
