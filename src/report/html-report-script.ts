/*
 * The browser side of the HTML report, as a string inlined into the page: it reads the embedded data, draws
 * three uPlot charts per test with the chaos windows as shaded bands and start markers, and publishes what it
 * drew on `window.__stressReport` (and `data-bands` on each chart) so a browser test can check the drawing.
 */
export const HTML_REPORT_SCRIPT = String.raw`
(function () {
  var data = JSON.parse(document.getElementById('stress-data').textContent);
  var drawn = { charts: [], errors: [] };
  window.__stressReport = drawn;
  var palette = ['#d9480f', '#1971c2', '#2f9e44', '#ae3ec9', '#f08c00', '#0c8599', '#e03131', '#5c940d'];
  var kinds = [];
  function kindColor(kind, alpha) {
    var i = kinds.indexOf(kind);
    if (i < 0) { kinds.push(kind); i = kinds.length - 1; }
    var hex = palette[i % palette.length];
    var n = parseInt(hex.slice(1), 16);
    return 'rgba(' + (n >> 16) + ',' + ((n >> 8) & 255) + ',' + (n & 255) + ',' + alpha + ')';
  }
  var pending = 0;
  function chaosPlugin(chaos, record, done) {
    return {
      hooks: {
        drawClear: [function (u) {
          var ctx = u.ctx, top = u.bbox.top, height = u.bbox.height;
          ctx.save();
          record.length = 0;
          chaos.forEach(function (e) {
            var x0 = u.valToPos(e.start_ms / 1000, 'x', true);
            var x1 = Math.max(x0 + 3 * devicePixelRatio, u.valToPos(e.end_ms / 1000, 'x', true));
            ctx.fillStyle = kindColor(e.kind, 0.16);
            ctx.fillRect(x0, top, x1 - x0, height);
            record.push({ kind: e.kind, start_s: e.start_ms / 1000, end_s: e.end_ms / 1000, x0: x0, x1: x1 });
          });
          ctx.restore();
        }],
        draw: [function (u) {
          var ctx = u.ctx, top = u.bbox.top, height = u.bbox.height;
          ctx.save();
          ctx.font = (10 * devicePixelRatio) + 'px sans-serif';
          chaos.forEach(function (e, i) {
            var x = u.valToPos(e.start_ms / 1000, 'x', true);
            ctx.strokeStyle = kindColor(e.kind, 0.9);
            ctx.lineWidth = devicePixelRatio;
            ctx.setLineDash([4 * devicePixelRatio, 3 * devicePixelRatio]);
            ctx.beginPath(); ctx.moveTo(x, top); ctx.lineTo(x, top + height); ctx.stroke();
            ctx.fillStyle = kindColor(e.kind, 1);
            ctx.fillText('\u25BC ' + e.kind + (e.agent ? ' ' + e.agent : ''), x + 3 * devicePixelRatio, top + (11 + (i % 3) * 11) * devicePixelRatio);
          });
          ctx.restore();
          done();
        }],
      },
    };
  }
  function chart(el, test, title, unit, series, columns) {
    var bands = [];
    var points = columns.reduce(function (n, c) { return n + c.filter(function (v) { return v !== null; }).length; }, 0);
    var entry = { test: test.name, title: title, points: points, bands: [], element: el.id };
    var first = true;
    pending++;
    // Runs after each redraw: publish the bands as drawn (canvas pixels) for readers and tests.
    function done() {
      entry.bands = bands.slice();
      el.setAttribute('data-bands', JSON.stringify(entry.bands));
      if (first) {
        first = false;
        if (--pending === 0) document.body.setAttribute('data-ready', 'true');
      }
    }
    var width = Math.max(320, el.clientWidth || 900);
    var opts = {
      title: title, width: width, height: 220,
      plugins: [chaosPlugin(test.series.chaos, bands, done)],
      scales: { x: { time: false } },
      axes: [{ label: 'run time (s)' }, { label: unit }],
      series: [{ label: 't (s)' }].concat(series),
    };
    el.setAttribute('data-points', String(points));
    drawn.charts.push(entry);
    return new uPlot(opts, [test.series.t].concat(columns), el);
  }
  data.tests.forEach(function (test, n) {
    if (!test.series) return;
    var s = test.series;
    chart(document.getElementById('throughput-' + n), test, 'Throughput', 'per second',
      [{ label: 'delivered/s', stroke: '#2f9e44', width: 2 }, { label: 'failed calls/s', stroke: '#e03131', width: 1 }],
      [s.throughput, s.failures]);
    chart(document.getElementById('latency-' + n), test, 'Latency percentiles', 'ms',
      [{ label: 'p50', stroke: '#1971c2', width: 1 }, { label: 'p95', stroke: '#f08c00', width: 2 }, { label: 'p99', stroke: '#c2255c', width: 1 }],
      [s.p50, s.p95, s.p99]);
    chart(document.getElementById('depth-' + n), test, 'Queue depth', 'units',
      [{ label: 'mean', stroke: '#5f3dc4', width: 2 }, { label: 'max', stroke: '#868e96', width: 1, dash: [4, 3] }],
      [s.depthMean, s.depthMax]);
  });
  if (pending === 0) document.body.setAttribute('data-ready', 'true');
})();
`;
