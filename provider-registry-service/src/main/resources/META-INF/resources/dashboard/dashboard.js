// Visca AI Gateway dashboard: the few behaviours htmx does not cover. No framework, no inline scripts (CSP).
(function () {
  'use strict';

  function csrf() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : '';
  }

  // Delete with a confirmation dialog in the page.
  document.addEventListener('click', function (e) {
    var del = e.target.closest('button.delete[data-provider]');
    if (del) {
      e.preventDefault();
      var dialog = document.getElementById('confirm-delete');
      var form = document.getElementById('confirm-delete-form');
      form.action = '/providers/' + encodeURIComponent(del.dataset.provider) + '/delete';
      document.getElementById('confirm-delete-name').textContent = del.dataset.provider;
      dialog.showModal();
      document.getElementById('confirm-delete-no').focus();
      return;
    }
    if (e.target.id === 'confirm-delete-no') {
      e.preventDefault();
      document.getElementById('confirm-delete').close();
      return;
    }
    var copy = e.target.closest('#copy-key');
    if (copy) {
      var key = document.getElementById('new-key').textContent.trim();
      var done = function () { copy.textContent = 'Copied'; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(key).then(done, function () { selectText(); });
      } else {
        selectText();
        try { document.execCommand('copy'); done(); } catch (ignored) { /* the key stays selected */ }
      }
      return;
    }
    var addRow = e.target.closest('#add-endpoint, #add-model');
    if (addRow) {
      e.preventDefault();
      var kind = addRow.id === 'add-endpoint' ? 'endpoints' : 'models';
      var container = document.getElementById(kind + '-rows');
      var template = document.getElementById(kind + '-row-template');
      var index = container.querySelectorAll('.row-group').length;
      var html = template.innerHTML.replace(/__INDEX__/g, String(index)).replace(/__NUMBER__/g, String(index + 1));
      container.insertAdjacentHTML('beforeend', html);
      var first = container.lastElementChild.querySelector('input');
      if (first) { first.focus(); }
    }
  });

  function selectText() {
    var range = document.createRange();
    range.selectNodeContents(document.getElementById('new-key'));
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  // Auth fields: show only those of the chosen auth type.
  function syncAuth() {
    var select = document.querySelector('select[name="auth_type"]');
    if (!select) { return; }
    document.querySelectorAll('[data-auth-types]').forEach(function (el) {
      el.hidden = el.dataset.authTypes.split(' ').indexOf(select.value) < 0;
    });
  }
  document.addEventListener('change', function (e) {
    if (e.target.matches('select[name="auth_type"]')) { syncAuth(); }
    if (e.target.matches('#window, .monitoring-filter')) { e.target.form.submit(); }
  });
  document.addEventListener('DOMContentLoaded', syncAuth);

  window.viscaCsrf = csrf;
})();
