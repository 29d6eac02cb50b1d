// The only script: on a page waiting for a phone, asks every 2 s whether the activation moved on (its code
// is ready to scan, or the phone confirmed), and then reloads the page, which shows where it stands.
// Without JavaScript the page refreshes itself instead. "My devices" asks every 5 s (data-every) whether a
// push request came or went.
(function () {
  var waiting = document.querySelector('[data-poll]');
  if (!waiting) { return; }
  var url = waiting.getAttribute('data-poll');
  var shown = waiting.getAttribute('data-state');
  var every = parseInt(waiting.getAttribute('data-every'), 10) || 2000;
  function check() {
    fetch(url, { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
      .then(function (response) {
        if (!response.ok) { return { state: shown }; }  // the portal or a service is away: ask again later
        // Not JSON: the session ended and the answer is the sign-in page; reloading shows it.
        return (response.headers.get('Content-Type') || '').indexOf('json') >= 0 ? response.json() : { state: 'signed-out' };
      })
      .then(function (status) {
        if (status.state === shown) { setTimeout(check, every); } else { window.location.reload(); }
      })
      .catch(function () { setTimeout(check, 5000); });
  }
  setTimeout(check, every);
}());
