/*
 * Embed pages' script (served by this server; no other origin is contacted).
 * 1. Replace the server-rendered SVG with the interactive chart (Vega, CSP-safe expression interpreter).
 * 2. Tell the parent window how tall the page is, now and whenever it changes:
 *    window.parent.postMessage({ type: 'rba-embed:height', embedId, height }, '*')
 */
(function () {
  'use strict';
  var body = document.body;
  var embedId = body.getAttribute('data-embed-id');
  var messageType = body.getAttribute('data-message-type');
  var lastHeight = 0;

  function reportHeight() {
    var height = Math.ceil(document.documentElement.scrollHeight);
    if (height === lastHeight || window.parent === window) return;
    lastHeight = height;
    window.parent.postMessage({ type: messageType, embedId: embedId, height: height }, '*');
  }

  /** The bundled fonts, loaded before Vega measures a label (never waits more than 3 s). */
  function fontsReady() {
    if (!document.fonts || !document.fonts.load) return Promise.resolve();
    var loads = Promise.all([
      document.fonts.load('400 12px "Source Sans 3"'),
      document.fonts.load('600 12px "Source Sans 3"'),
    ]);
    var timeout = new Promise(function (resolve) {
      setTimeout(resolve, 3000);
    });
    return Promise.race([loads, timeout]).catch(function () {});
  }

  function renderChart() {
    var specElement = document.getElementById('vega-spec');
    var chart = document.getElementById('chart');
    if (!specElement || !chart || typeof window.vegaEmbed !== 'function') return Promise.resolve();
    var spec = JSON.parse(specElement.textContent);
    // Render next to the static SVG (in the page, so the chart can measure its width), then swap.
    var holder = document.createElement('div');
    holder.className = 'chart-live';
    chart.appendChild(holder);
    return window
      .vegaEmbed(holder, spec, { mode: 'vega', renderer: 'svg', actions: false, ast: true })
      .then(function () {
        chart.replaceChildren(holder);
        chart.setAttribute('data-rendered', 'interactive');
      })
      .catch(function (error) {
        holder.remove();
        chart.setAttribute('data-rendered', 'server');
        if (window.console) console.warn('Interactive chart unavailable; showing the static chart.', error);
      });
  }

  function start() {
    fontsReady().then(renderChart).then(reportHeight);
    reportHeight();
    if (typeof ResizeObserver === 'function') new ResizeObserver(reportHeight).observe(document.documentElement);
    window.addEventListener('load', reportHeight);
    document.addEventListener('toggle', reportHeight, true);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
