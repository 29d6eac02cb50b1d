// The only script: on a page waiting for a phone, asks every 2 s whether the activation moved on, and
// then reloads the page, which shows where it stands. Without JavaScript the page refreshes itself instead.
(function () {
  var waiting = document.querySelector('[data-poll]');
  if (!waiting) { return; }
  var url = waiting.getAttribute('data-poll');
  function check() {
    fetch(url, { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
      .then(function (response) { return response.ok ? response.json() : { state: 'waiting' }; })
      .then(function (status) {
        if (status.state === 'waiting') { setTimeout(check, 2000); } else { window.location.reload(); }
      })
      .catch(function () { setTimeout(check, 5000); });
  }
  setTimeout(check, 2000);
}());
