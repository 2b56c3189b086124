// Playground: POST the form, read the server-sent events of the answer as they arrive (fetch + stream reader).
(function () {
  'use strict';
  function $(id) { return document.getElementById(id); }
  function reset() {
    ['answer', 'served-provider', 'served-endpoint', 'attempts', 'latency', 'ttft', 'tokens', 'cost', 'router-headers']
      .forEach(function (id) { $(id).textContent = ''; });
    $('playground-error').hidden = true;
  }
  function handle(event) {
    if (event.type === 'meta') {
      var h = event.headers || {};
      $('router-headers').textContent = 'HTTP ' + event.status + '\n' + Object.keys(h).map(function (k) {
        return k + ': ' + h[k];
      }).join('\n');
      if (h['x-visca-provider']) { $('served-provider').textContent = h['x-visca-provider']; }
      if (h['x-visca-endpoint']) { $('served-endpoint').textContent = h['x-visca-endpoint']; }
      if (h['x-visca-attempts']) { $('attempts').textContent = h['x-visca-attempts']; }
    } else if (event.type === 'delta') {
      $('answer').textContent += event.text;
    } else if (event.type === 'done') {
      $('served-provider').textContent = event.provider || '';
      $('served-endpoint').textContent = event.endpoint || '';
      $('attempts').textContent = event.attempts || '';
      $('latency').textContent = event.latency_ms + ' ms';
      $('ttft').textContent = event.ttft_ms == null ? '' : event.ttft_ms + ' ms';
      $('tokens').textContent = event.prompt_tokens == null ? '' : event.prompt_tokens + ' prompt, '
        + event.completion_tokens + ' completion';
      $('cost').textContent = event.cost_usd == null ? 'not priced' : '$' + event.cost_usd;
    } else if (event.type === 'failure') {
      $('playground-error').textContent = event.message;
      $('playground-error').hidden = false;
    }
  }
  document.addEventListener('DOMContentLoaded', function () {
    var form = $('playground-form');
    if (!form) { return; }
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      reset();
      var send = $('send');
      send.disabled = true;
      var body = new URLSearchParams(new FormData(form));
      fetch(form.action, { method: 'POST', body: body, credentials: 'same-origin',
        headers: { 'X-CSRF-Token': window.viscaCsrf ? window.viscaCsrf() : '', 'Accept': 'text/event-stream',
          'HX-Request': 'true' } })
        .then(function (response) {
          if (response.status === 401) { window.location = '/login?next=/playground'; return; }
          if (!response.ok || !response.body) { throw new Error('HTTP ' + response.status); }
          var reader = response.body.getReader();
          var decoder = new TextDecoder();
          var buffer = '';
          function pump() {
            return reader.read().then(function (chunk) {
              if (chunk.done) { return; }
              buffer += decoder.decode(chunk.value, { stream: true });
              var parts = buffer.split('\n\n');
              buffer = parts.pop();
              parts.forEach(function (part) {
                var data = part.split('\n').filter(function (l) { return l.indexOf('data:') === 0; })
                  .map(function (l) { return l.substring(5).replace(/^ /, ''); }).join('\n');
                if (data) { handle(JSON.parse(data)); }
              });
              return pump();
            });
          }
          return pump();
        })
        .catch(function (err) { handle({ type: 'failure', message: 'the answer could not be read: ' + err.message }); })
        .finally(function () { send.disabled = false; });
    });
  });
})();
