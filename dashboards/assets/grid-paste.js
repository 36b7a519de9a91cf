/*
 * Data entry grid (/app/indicators/{id}/data): paste a block copied from a spreadsheet (rows on lines, cells
 * separated by tabs) into the value inputs, starting at the one pasted into. Nothing is saved until Save.
 * Cells are read as spreadsheets write them: a cell holding a tab, a line break or a quote comes in double quotes
 * with its quotes doubled (Excel, LibreOffice, Google Sheets), so such a cell stays one cell.
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

  /** Rows of cells of tab-separated text, honouring quoted cells: 'a\t"b\nc"\n1' → [['a', 'b\nc'], ['1']]. */
  function parseTable(text) {
    var rows = [[]];
    var i = 0;
    while (i < text.length) {
      var quoted = text.charAt(i) === '"' ? readQuoted(text, i) : null;
      var cell = quoted ? quoted.cell : /^[^\t\r\n]*/.exec(text.slice(i))[0];
      i = quoted ? quoted.next : i + cell.length;
      rows[rows.length - 1].push(cell);
      var next = text.charAt(i);
      if (next === '\t') {
        i++;
        if (i === text.length) rows[rows.length - 1].push('');
      } else if (next === '\r' || next === '\n') {
        i += text.slice(i, i + 2) === '\r\n' ? 2 : 1;
        if (i < text.length) rows.push([]);
      }
    }
    return rows;
  }

  /** The quoted cell starting at `start` ("" stands for a quote) and where it ends; null when it never closes. */
  function readQuoted(text, start) {
    var cell = '';
    var at = start + 1;
    for (;;) {
      var quote = text.indexOf('"', at);
      if (quote < 0) return null;
      cell += text.slice(at, quote);
      if (text.charAt(quote + 1) === '"') {
        cell += '"';
        at = quote + 2;
        continue;
      }
      var rest = /^[^\t\r\n]*/.exec(text.slice(quote + 1))[0];
      return { cell: cell + rest, next: quote + 1 + rest.length };
    }
  }

  form.addEventListener('paste', function (event) {
    var start = event.target;
    var at = /^v\.(\d+)\.(\d+)$/.exec((start && start.name) || '');
    var text = event.clipboardData ? event.clipboardData.getData('text/plain') : '';
    if (!at || !/[\t\r\n]/.test(text)) return;
    event.preventDefault();
    var rows = parseTable(text);
    var filled = 0;
    var leftOut = 0;
    rows.forEach(function (cells, i) {
      cells.forEach(function (cell, j) {
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
