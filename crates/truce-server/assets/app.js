// truce dashboard: map, timeline, compliance table and event panel over /api/v1.
// No network access beyond this server: the basemap and libraries are served by truce itself.
(function () {
  'use strict';
  var API = '/api/v1';
  var FILTERS = ['agreement', 'from', 'to', 'perpetrator', 'target', 'verdict', 'admin1'];
  var RANK = { violation_alleged: 3, indeterminate: 2, not_applicable: 1 };
  var COLOURS = { violation_alleged: '#b2182b', indeterminate: '#8a4b00', not_applicable: '#2166ac', none: '#555555' };
  var state = { agreements: [], events: [], markers: {}, selected: null, plot: null };

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) {
      if (k === 'text') e.textContent = attrs[k];
      else if (k === 'class') e.className = attrs[k];
      else e.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return e;
  }

  function getJSON(url) {
    return fetch(url, { headers: { Accept: 'application/json' } }).then(function (r) {
      if (!r.ok) return r.json().catch(function () { return {}; }).then(function (b) {
        throw new Error((b && b.message) || ('HTTP ' + r.status + ' for ' + url));
      });
      return r.json();
    });
  }

  // Filters live in the query string, so any view can be shared as a link.
  function readFilters() {
    var q = new URLSearchParams(location.search), f = {};
    FILTERS.forEach(function (k) { var v = q.get(k); if (v) f[k] = v; });
    return f;
  }
  function filtersToForm(f) {
    FILTERS.forEach(function (k) { document.getElementById('f-' + k).value = f[k] || ''; });
  }
  function formToFilters() {
    var f = {};
    FILTERS.forEach(function (k) { var v = document.getElementById('f-' + k).value.trim(); if (v) f[k] = v; });
    return f;
  }
  function query(f) {
    var q = new URLSearchParams();
    FILTERS.forEach(function (k) { if (f[k]) q.set(k, f[k]); });
    return q.toString();
  }

  function fetchAll(path, f) {
    var items = [];
    function page(cursor, n) {
      var q = query(f), sep = q ? '&' : '';
      var url = API + path + '?' + q + sep + 'limit=500' + (cursor ? '&cursor=' + encodeURIComponent(cursor) : '');
      return getJSON(url).then(function (p) {
        items = items.concat(p.items);
        if (p.next_cursor && n < 40) return page(p.next_cursor, n + 1);
        return items;
      });
    }
    return page(null, 0);
  }

  // The verdict that colours an event: the one on the chosen agreement, else the gravest.
  function verdictOf(ev, agreement) {
    var best = null;
    (ev.verdicts || []).forEach(function (v) {
      if (agreement && v.agreement !== agreement) return;
      if (!best || (RANK[v.verdict] || 0) > (RANK[best.verdict] || 0)) best = v;
    });
    return best;
  }

  function label(ev) {
    return (ev.date || 'undated') + ' — ' + (ev.place || ev.admin1 || 'unknown place') +
      ' (' + (ev.targets || []).join(', ') + ')';
  }

  // ---- map ----
  var map = L.map('map', { zoomControl: true, attributionControl: true, keyboard: true, preferCanvas: false })
    .fitBounds([[43.8, 22.0], [52.6, 41.0]]);
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution('Natural Earth; Visionscarto world atlas; geoBoundaries (CC BY 3.0 IGO)');
  var eventsLayer = L.layerGroup().addTo(map);

  function loadBasemap() {
    var world = getJSON('/assets/data/world-50m.topo.json').then(function (topo) {
      var countries = topojson.feature(topo, topo.objects.countries);
      var keep = { UKR: 1, RUS: 1, BLR: 1, MDA: 1, POL: 1, ROU: 1, SVK: 1, HUN: 1, LTU: 1, LVA: 1, EST: 1,
        FIN: 1, GEO: 1, TUR: 1, BGR: 1, KAZ: 1, AZE: 1, ARM: 1, SRB: 1, CZE: 1, DEU: 1, AUT: 1, GRC: 1,
        MKD: 1, NOR: 1, SWE: 1, DNK: 1, HRV: 1, BIH: 1, MNE: 1, ALB: 1, SVN: 1, KOS: 1, XKX: 1, CYP: 1,
        IRN: 1, UZB: 1, TKM: 1, SYR: 1, IRQ: 1 };
      countries.features = countries.features.filter(function (c) { return c.properties && keep[c.properties.a3]; });
      L.geoJSON(countries, {
        interactive: false,
        style: function (c) {
          var ua = c.properties.a3 === 'UKR';
          return { color: '#6b6b6b', weight: ua ? 1.5 : 0.8, fillColor: ua ? '#fbf7e9' : '#ececec', fillOpacity: 1 };
        }
      }).addTo(map).bringToBack();
    });
    var oblasts = getJSON('/assets/data/ukraine-adm1.geojson').then(function (gj) {
      L.geoJSON(gj, {
        interactive: false,
        style: { color: '#9a9a9a', weight: 0.7, fill: false }
      }).addTo(map);
    });
    return Promise.all([world, oblasts]);
  }

  function drawEvents(agreement) {
    eventsLayer.clearLayers();
    state.markers = {};
    state.events.forEach(function (ev) {
      if (typeof ev.lat !== 'number' || typeof ev.lon !== 'number') return;
      var v = verdictOf(ev, agreement), key = v ? v.verdict : 'none';
      var m = L.circleMarker([ev.lat, ev.lon], {
        radius: 8, color: '#111', weight: 1.5, fillColor: COLOURS[key] || COLOURS.none, fillOpacity: 0.9,
        className: 'event-marker verdict-' + key
      });
      m.on('click', function () { select(ev.id, false); });
      m.bindTooltip(label(ev));
      m.addTo(eventsLayer);
      var path = m.getElement();
      if (path) {
        path.setAttribute('tabindex', '0');
        path.setAttribute('role', 'button');
        path.setAttribute('aria-label', label(ev) + ', ' + key.replace('_', ' '));
        path.setAttribute('data-event', ev.id);
        path.addEventListener('keydown', function (e) {
          if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); select(ev.id, false); }
        });
      }
      state.markers[ev.id] = m;
    });
  }

  function drawList(agreement) {
    var ol = document.getElementById('events-list');
    ol.textContent = '';
    state.events.forEach(function (ev) {
      var v = verdictOf(ev, agreement), key = v ? v.verdict : 'none';
      var b = el('button', { type: 'button', 'data-event': ev.id, 'aria-pressed': 'false' },
        [el('span', { class: 'dot v-' + key, 'aria-hidden': 'true' }), label(ev) + ' — ' + key.replace('_', ' ')]);
      b.addEventListener('click', function () { select(ev.id, true); });
      ol.appendChild(el('li', null, [b]));
    });
    if (!state.events.length) ol.appendChild(el('li', { text: 'No events match these filters.' }));
    document.getElementById('count').textContent = '(' + state.events.length + ' shown)';
  }

  function fig(c) {
    if (!c) return 'not given';
    var q = { exact: '', at_least: 'at least ', more_than: 'more than ', approx: 'about ', up_to: 'up to ' }[c.q] || '';
    return q + c.n;
  }
  function est(e) {
    if (!e || (e.low == null && e.best == null && e.high == null)) return 'not given';
    return 'low ' + (e.low == null ? '?' : e.low) + ', best ' + (e.best == null ? '?' : e.best) +
      ', high ' + (e.high == null ? '?' : e.high);
  }
  function agreementTitle(id) {
    var a = state.agreements.find(function (x) { return x.id === id; });
    return a ? a.title : id;
  }

  function select(id, fromList) {
    var ev = state.events.find(function (e) { return e.id === id; });
    if (!ev) return;
    state.selected = id;
    document.querySelectorAll('#events-list button').forEach(function (b) {
      b.setAttribute('aria-pressed', b.getAttribute('data-event') === id ? 'true' : 'false');
    });
    var p = document.getElementById('panel');
    p.textContent = '';
    p.appendChild(el('h2', { id: 'panel-h', text: label(ev) }));
    p.appendChild(el('dl', null, [
      el('dt', { text: 'Date' }), el('dd', { text: (ev.date || 'unknown') + ' (' + ev.date_precision + ')' }),
      el('dt', { text: 'Place' }), el('dd', { text: [ev.place, ev.admin1, ev.country].filter(Boolean).join(', ') || 'unknown' }),
      el('dt', { text: 'Perpetrator' }), el('dd', { text: ev.perpetrator }),
      el('dt', { text: 'Targets' }), el('dd', { text: (ev.targets || []).join(', ') || 'unknown' }),
      el('dt', { text: 'Weapons' }), el('dd', { text: (ev.weapons || []).join(', ') || 'unknown' }),
      el('dt', { text: 'Killed' }), el('dd', { text: est(ev.killed) }),
      el('dt', { text: 'Injured' }), el('dd', { text: est(ev.injured) }),
      el('dt', { text: 'Sources' }), el('dd', { text: (ev.sources || []).length + ' (' + (ev.independent_sources != null ? ev.independent_sources + ' independent' : 'independence not assessed') + ')' + (ev.assertion ? ', ' + ev.assertion.replace(/_/g, ' ') : '') })
    ]));
    p.appendChild(el('h3', { text: 'Verdicts' }));
    var vs = el('ul', { class: 'verdicts' });
    (ev.verdicts || []).forEach(function (v) {
      vs.appendChild(el('li', { class: 'verdict' }, [
        el('span', { class: 'tag v-' + v.verdict, text: v.verdict.replace('_', ' ') }), ' ',
        el('strong', { text: agreementTitle(v.agreement) }),
        v.strength ? ' — strength: ' + v.strength.replace(/_/g, ' ') : '',
        el('div', { class: 'reason', text: v.reason })
      ]));
    });
    if (!(ev.verdicts || []).length) vs.appendChild(el('li', { text: 'No verdicts yet.' }));
    p.appendChild(vs);
    p.appendChild(el('h3', { text: 'Sources (' + (ev.sources || []).length + ')' }));
    (ev.sources || []).forEach(function (s) {
      p.appendChild(el('div', { class: 'source' }, [
        el('dl', null, [
          el('dt', { text: 'Reported by' }), el('dd', { text: s.reported_by }),
          el('dt', { text: 'Document' }), el('dd', { text: (s.source || s.document.slice(0, 16) + '…') + (s.published ? ' (' + s.published + ')' : '') }),
          el('dt', { text: 'Killed' }), el('dd', { text: fig(s.killed) }),
          el('dt', { text: 'Injured' }), el('dd', { text: fig(s.injured) })
        ]),
        el('blockquote', { class: 'evidence', text: s.evidence ? s.evidence.text : '' })
      ]));
    });
    var m = state.markers[id];
    if (m) { map.panTo(m.getLatLng()); m.openTooltip(); }
    if (fromList) p.focus();
  }

  // ---- timeline (uPlot): events per day, agreement windows shaded ----
  function drawTimeline(agreement) {
    var box = document.getElementById('timeline');
    box.textContent = '';
    if (state.plot) { state.plot.destroy(); state.plot = null; }
    var perDay = {};
    state.events.forEach(function (ev) {
      if (!ev.date) return;
      var t = Date.parse(ev.date + 'T00:00:00Z') / 1000;
      if (!isNaN(t)) perDay[t] = (perDay[t] || 0) + 1;
    });
    var windows = [];
    state.agreements.forEach(function (a, i) {
      if (agreement && a.id !== agreement) return;
      var ws = (a.windows && a.windows.length) ? a.windows : (a.start && a.end ? [{ start: a.start, end: a.end }] : []);
      ws.forEach(function (w) { windows.push({ a: a, i: i, start: w.start, end: w.end, s: Date.parse(w.start) / 1000, e: Date.parse(w.end) / 1000 }); });
    });
    var xs = Object.keys(perDay).map(Number);
    windows.forEach(function (w) { xs.push(w.s, w.e); });
    if (!xs.length) xs = [Date.parse('2025-03-01') / 1000, Date.parse('2025-06-01') / 1000];
    var lo = Math.min.apply(null, xs) - 5 * 86400, hi = Math.max.apply(null, xs) + 5 * 86400;
    var days = [], counts = [];
    for (var t = Math.floor(lo / 86400) * 86400; t <= hi; t += 86400) { days.push(t); counts.push(perDay[t] || 0); }
    var shades = ['rgba(33,102,172,0.16)', 'rgba(178,24,43,0.14)', 'rgba(90,174,97,0.18)', 'rgba(153,112,171,0.18)', 'rgba(224,130,20,0.18)'];
    var opts = {
      width: Math.max(320, box.clientWidth || 800), height: 220,
      scales: { x: { time: true }, y: { range: function (u, mn, mx) { return [0, Math.max(2, mx + 1)]; } } },
      axes: [{}, { label: 'events' }],
      series: [{}, { label: 'events per day', stroke: '#1a1a1a', fill: 'rgba(26,26,26,0.35)', paths: uPlot.paths.bars({ size: [0.9, 12] }), points: { show: false } }],
      hooks: {
        drawClear: [function (u) {
          var ctx = u.ctx;
          windows.forEach(function (w) {
            var x0 = u.valToPos(w.s, 'x', true), x1 = u.valToPos(w.e, 'x', true);
            ctx.save();
            ctx.fillStyle = shades[w.i % shades.length];
            ctx.fillRect(x0, u.bbox.top, Math.max(1, x1 - x0), u.bbox.height);
            ctx.restore();
          });
        }]
      }
    };
    state.plot = new uPlot(opts, [days, counts], box);
    var ul = document.getElementById('windows');
    ul.textContent = '';
    windows.forEach(function (w) {
      var sw = el('span', { class: 'dot', 'aria-hidden': 'true' });
      sw.style.background = shades[w.i % shades.length].replace(/0\.1[0-9]\)/, '0.6)');
      ul.appendChild(el('li', null, [sw, w.a.title + ': ' + w.start.replace('T', ' ') + ' to ' + w.end.replace('T', ' ')]));
    });
  }

  function drawCompliance(agreement) {
    var url = API + '/compliance' + (agreement ? '?agreement=' + encodeURIComponent(agreement) : '');
    return getJSON(url).then(function (rows) {
      var tb = document.querySelector('#compliance tbody');
      tb.textContent = '';
      rows.forEach(function (r) {
        var tr = el('tr', null, [el('th', { scope: 'row', text: agreementTitle(r.agreement) }), el('td', { text: r.party })]);
        ['violations_alleged', 'one_party_claim', 'corroborated', 'contested', 'analyst_reviewed', 'indeterminate', 'not_applicable']
          .forEach(function (k) { tr.appendChild(el('td', { class: 'n', text: String(r[k]) })); });
        tb.appendChild(tr);
      });
      if (!rows.length) tb.appendChild(el('tr', null, [el('td', { colspan: '9', text: 'No agreements.' })]));
    });
  }

  function setLinks(f) {
    var q = query(f);
    var share = document.getElementById('share');
    share.href = location.pathname + (q ? '?' + q : '');
    ['csv', 'geojson', 'jsonl'].forEach(function (x) {
      document.getElementById('export-' + x).href = API + '/export/events.' + x + (q ? '?' + q : '');
    });
  }

  function refresh(f) {
    setLinks(f);
    return fetchAll('/events', f).then(function (events) {
      state.events = events;
      drawEvents(f.agreement);
      drawList(f.agreement);
      drawTimeline(f.agreement);
      if (state.selected && !events.some(function (e) { return e.id === state.selected; })) state.selected = null;
      return drawCompliance(f.agreement);
    }).catch(function (e) {
      var ol = document.getElementById('events-list');
      ol.textContent = '';
      ol.appendChild(el('li', { role: 'alert', text: 'Could not load events: ' + e.message }));
    }).then(function () { document.body.setAttribute('data-ready', '1'); });
  }

  document.getElementById('filters').addEventListener('submit', function (e) {
    e.preventDefault();
    var f = formToFilters(), q = query(f);
    history.pushState(null, '', location.pathname + (q ? '?' + q : ''));
    document.body.removeAttribute('data-ready');
    refresh(f);
  });
  document.getElementById('reset').addEventListener('click', function () {
    filtersToForm({});
    history.pushState(null, '', location.pathname);
    document.body.removeAttribute('data-ready');
    refresh({});
  });
  window.addEventListener('popstate', function () { var f = readFilters(); filtersToForm(f); refresh(f); });

  var initial = readFilters();
  Promise.all([
    getJSON(API + '/agreements').then(function (p) {
      state.agreements = p.items || [];
      var sel = document.getElementById('f-agreement');
      state.agreements.forEach(function (a) { sel.appendChild(el('option', { value: a.id, text: a.title })); });
    }),
    loadBasemap().catch(function () { /* the map still shows events without a basemap */ })
  ]).then(function () {
    filtersToForm(initial);
    return refresh(initial);
  }, function (e) {
    document.getElementById('events-list').appendChild(el('li', { role: 'alert', text: 'Could not load agreements: ' + e.message }));
    document.body.setAttribute('data-ready', '1');
  });
})();
