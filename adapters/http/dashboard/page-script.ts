/*
 * The page's script, plain browser JavaScript with no build step. It knows the three ways a
 * panel is drawn (line, bar, table) and nothing about any panel, so a panel registered on the
 * server shows without a change here. Charts are Chart.js's (served by the same server, from
 * the package); every chart's numbers are also on the page as text, for reading and for
 * assistive technology. Kept free of backticks and backslashes: it lives in a template string.
 */

/** `GET /dashboard/app.js`: the page's script. */
export const DASHBOARD_JS = `(function () {
  'use strict';
  var STORAGE = 'attune.dashboard.key';
  var COLORS = ['#3366cc', '#dc3912', '#ff9900', '#109618', '#990099', '#0099c6', '#dd4477', '#66aa00'];
  var charts = {};
  var timer = null;

  function $(id) { return document.getElementById(id); }
  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = String(text);
    return e;
  }
  function key() { return sessionStorage.getItem(STORAGE); }
  function status(text) { $('status').textContent = text; }
  function pad(n) { return n < 10 ? '0' + n : String(n); }
  function time(ms) { var d = new Date(ms); return pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds()); }

  function showLogin(message) {
    if (timer) clearTimeout(timer);
    timer = null;
    $('login').hidden = false;
    $('logout').hidden = true;
    $('login-error').textContent = message || '';
    $('panels').replaceChildren();
    Object.keys(charts).forEach(function (id) { charts[id].destroy(); delete charts[id]; });
    status('');
  }

  function load() {
    var k = key();
    if (!k) return showLogin();
    fetch('data', { headers: { Authorization: 'Bearer ' + k }, cache: 'no-store', credentials: 'omit' })
      .then(function (res) {
        if (res.status === 401) { sessionStorage.removeItem(STORAGE); return showLogin('That key was not accepted.'); }
        if (res.status === 403) { sessionStorage.removeItem(STORAGE); return showLogin('That key is not an admin key.'); }
        if (res.status === 429) { status('Too many requests; trying again shortly.'); return schedule(30000); }
        if (!res.ok) { status('Could not load the data (HTTP ' + res.status + '); trying again.'); return schedule(15000); }
        return res.json().then(function (data) {
          $('login').hidden = true;
          $('logout').hidden = false;
          render(data.panels);
          status('Updated ' + time(Date.parse(data.generatedAt)));
          schedule(data.refreshMs);
        });
      })
      .catch(function () { status('The server did not answer; trying again.'); schedule(15000); });
  }

  function schedule(ms) {
    if (timer) clearTimeout(timer);
    timer = setTimeout(load, ms);
  }

  function render(panels) {
    var root = $('panels');
    var seen = {};
    panels.forEach(function (p) {
      seen[p.id] = true;
      var section = $('panel-' + p.id);
      if (!section || section.dataset.render !== p.render || section.dataset.failed !== String(Boolean(p.error))) {
        if (charts[p.id]) { charts[p.id].destroy(); delete charts[p.id]; }
        var fresh = el('section', 'panel');
        fresh.id = 'panel-' + p.id;
        fresh.dataset.panel = p.id;
        fresh.dataset.render = p.render;
        fresh.dataset.failed = String(Boolean(p.error));
        fresh.appendChild(el('h2', '', p.title));
        if (p.description) fresh.appendChild(el('p', 'description', p.description));
        if (section) root.replaceChild(fresh, section); else root.appendChild(fresh);
        section = fresh;
      }
      if (p.error) return replaceBody(section, el('p', 'error', p.error));
      if (p.render === 'line') return drawLine(section, p);
      if (p.render === 'bar') return drawBar(section, p);
      replaceBody(section, table(p.data.columns, p.data.rows));
    });
    Array.prototype.slice.call(root.children).forEach(function (section) {
      if (!seen[section.dataset.panel]) root.removeChild(section);
    });
  }

  function replaceBody(section, body) {
    var old = section.querySelector('.body');
    body.classList.add('body');
    if (old) section.replaceChild(body, old); else section.appendChild(body);
  }

  function datasets(series, type) {
    return series.map(function (s, i) {
      var color = COLORS[i % COLORS.length];
      // Points only while they are few: a line of one or two samples is otherwise invisible.
      var points = type === 'line' && s.values.length <= 20 ? 3 : 0;
      // Straight segments: counts are whole numbers, and a smoothed curve would dip below zero.
      return { label: s.label, data: s.values, borderColor: color, backgroundColor: color, borderWidth: type === 'line' ? 2 : 0, pointRadius: points, tension: 0 };
    });
  }

  function chart(section, id, type, labels, series) {
    var existing = charts[id];
    if (existing) {
      existing.data.labels = labels;
      existing.data.datasets = datasets(series, type);
      existing.update('none');
      return;
    }
    var box = el('div', 'chart');
    var canvas = el('canvas');
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', section.querySelector('h2').textContent);
    box.appendChild(canvas);
    var description = section.querySelector('.description');
    section.insertBefore(box, description ? description.nextSibling : section.querySelector('h2').nextSibling);
    charts[id] = new Chart(canvas, {
      type: type,
      data: { labels: labels, datasets: datasets(series, type) },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: 'index', intersect: false },
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
        plugins: { legend: { position: 'bottom' } }
      }
    });
  }

  function drawLine(section, p) {
    chart(section, p.id, 'line', p.data.x.map(time), p.data.series);
    var totals = el('dl', 'totals');
    var t = p.data.totals || {};
    Object.keys(t).forEach(function (label) {
      var item = el('div');
      item.dataset.series = label;
      item.appendChild(el('dt', '', label));
      item.appendChild(el('dd', '', t[label]));
      totals.appendChild(item);
    });
    replaceBody(section, totals);
  }

  function drawBar(section, p) {
    chart(section, p.id, 'bar', p.data.labels, p.data.series);
    var columns = [''].concat(p.data.series.map(function (s) { return s.label; }));
    var rows = p.data.labels.map(function (label, i) {
      return [label].concat(p.data.series.map(function (s) { return s.values[i]; }));
    });
    replaceBody(section, table(columns, rows));
  }

  function table(columns, rows) {
    var t = el('table');
    var head = el('tr');
    columns.forEach(function (c) { head.appendChild(el('th', '', c)); });
    t.appendChild(el('thead')).appendChild(head);
    var body = t.appendChild(el('tbody'));
    rows.forEach(function (r) {
      var tr = el('tr');
      tr.dataset.row = String(r[0]);
      r.forEach(function (cell, i) {
        var td = el('td', typeof cell === 'number' ? 'number' : '', cell);
        if (i > 0) td.dataset.column = columns[i];
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    return t;
  }

  $('login').addEventListener('submit', function (event) {
    event.preventDefault();
    sessionStorage.setItem(STORAGE, $('key').value.trim());
    $('key').value = '';
    load();
  });
  $('logout').addEventListener('click', function () {
    sessionStorage.removeItem(STORAGE);
    showLogin();
  });
  load();
})();
`;
