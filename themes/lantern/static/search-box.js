// The header search box, on every page: sends the words to the search page in the URL
// fragment (#q=…), which never reaches the server. The index and the search code
// (search.js) load only on the search page, so other pages stay light.
(function (doc) {
  Array.prototype.forEach.call(doc.querySelectorAll('form[data-search-form]'), function (f) {
    f.addEventListener('submit', function (e) {
      e.preventDefault();
      var v = f.querySelector('input').value;
      doc.location.href = f.action.split('#')[0] + '#q=' + encodeURIComponent(v);
    });
  });
})(document);
