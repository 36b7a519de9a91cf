/*
 * Data entry grid (/app/indicators/{id}/data): paste a block copied from a spreadsheet (rows on lines, cells
 * separated by tabs) into the value inputs, starting at the one pasted into. Nothing is saved until Save.
 * The words shown come from the page (data-* attributes of #paste-status, server/pages/text.ts).
 */
(function () {
  'use strict';
  var form = document.querySelector('form.grid');
  var status = document.getElementById('paste-status');
  if (!form || !status) return;

  function say(count, one, many) {
    return count === 1 ? status.getAttribute(one) : status.getAttribute(many).replace('{count}', String(count));
  }

  form.addEventListener('paste', function (event) {
    var start = event.target;
    var at = /^v\.(\d+)\.(\d+)$/.exec((start && start.name) || '');
    var text = event.clipboardData ? event.clipboardData.getData('text/plain') : '';
    if (!at || !/[\t\r\n]/.test(text)) return;
    event.preventDefault();
    var rows = text.replace(/(\r\n|\r|\n)$/, '').split(/\r\n|\r|\n/);
    var filled = 0;
    var leftOut = 0;
    rows.forEach(function (line, i) {
      line.split('\t').forEach(function (cell, j) {
        var input = form.elements.namedItem('v.' + (+at[1] + i) + '.' + (+at[2] + j));
        if (!input || input.type !== 'text') {
          leftOut++;
          return;
        }
        var value = cell.trim();
        if (value.indexOf('.') < 0 && value.split(',').length === 2) value = value.replace(',', '.');
        input.value = value;
        input.dispatchEvent(new Event('input', { bubbles: true }));
        filled++;
      });
    });
    var message = say(filled, 'data-filled-one', 'data-filled');
    if (leftOut) message += ' ' + say(leftOut, 'data-left-out-one', 'data-left-out');
    status.textContent = '';
    setTimeout(function () {
      status.textContent = message;
    }, 50);
  });
})();
