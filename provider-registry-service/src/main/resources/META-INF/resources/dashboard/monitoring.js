// Monitoring charts: uPlot over the columns the page carries in #charts[data-chart] (x = bucket start, epoch s).
(function () {
  'use strict';
  function draw() {
    var holder = document.getElementById('charts');
    if (!holder || typeof uPlot === 'undefined') { return; }
    var data = JSON.parse(holder.dataset.chart || '{}');
    if (!data.t || data.t.length === 0) {
      holder.querySelectorAll('figure').forEach(function (f) {
        var p = document.createElement('p'); p.className = 'muted'; p.textContent = 'No data in this window.';
        f.appendChild(p);
      });
      return;
    }
    var charts = [
      ['chart-requests', [['requests', 'Requests', '#0b5fcc']]],
      ['chart-errors', [['errors', 'Errors', '#b3261e'], ['error_rate', 'Error rate', '#8a5a00']]],
      ['chart-latency', [['latency_ms_p50', 'p50 ms', '#0b5fcc'], ['latency_ms_p95', 'p95 ms', '#6f42c1']]],
      ['chart-ttft', [['ttft_ms_p50', 'p50 ms', '#0b5fcc'], ['ttft_ms_p95', 'p95 ms', '#6f42c1']]],
      ['chart-tokens', [['prompt_tokens', 'Prompt', '#116329'], ['completion_tokens', 'Completion', '#0b5fcc']]],
      ['chart-cost', [['total_cost', 'USD', '#116329']]]
    ];
    charts.forEach(function (chart) {
      var el = document.getElementById(chart[0]);
      var width = Math.max(280, el.clientWidth - 16);
      var series = [{}];
      var columns = [data.t];
      chart[1].forEach(function (s) {
        series.push({ label: s[1], stroke: s[2], width: 2, spanGaps: false });
        columns.push(data[s[0]] || []);
      });
      new uPlot({ width: width, height: 200, series: series, axes: [{}, {}] }, columns, el);
    });
  }
  document.addEventListener('DOMContentLoaded', draw);
})();
