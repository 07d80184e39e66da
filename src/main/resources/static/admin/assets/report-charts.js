// The reports' charts: Chart.js over the data the server put in the page. Each
// <canvas class="report-chart" data-source="ID"> draws the JSON of the <script id="ID">:
// {type, labels, datasets: [{label, data}], percent}. The table under each chart has the same figures.
(function () {
  if (typeof Chart === 'undefined') { return; }
  var colours = ['#1f5fbf', '#1d6b3a', '#8a4b00', '#a3231a', '#5b3cc4', '#00707a', '#6b6b00', '#b0306a'];
  var canvases = document.querySelectorAll('canvas.report-chart');
  Array.prototype.forEach.call(canvases, function (canvas) {
    var source = document.getElementById(canvas.getAttribute('data-source'));
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    var horizontal = canvas.getAttribute('data-horizontal') === 'true';
    var scale = data.percent ? { beginAtZero: true, max: 100, ticks: { callback: function (v) { return v + ' %'; } } }
                             : { beginAtZero: true };
    new Chart(canvas, {
      type: data.type,
      data: {
        labels: data.labels,
        datasets: data.datasets.map(function (s, i) {
          var colour = colours[i % colours.length];
          return { label: s.label, data: s.data, backgroundColor: colour, borderColor: colour, maxBarThickness: 56 };
        })
      },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        indexAxis: horizontal ? 'y' : 'x',
        plugins: { legend: { display: data.datasets.length > 1 || !horizontal } },
        scales: horizontal ? { x: { beginAtZero: true, ticks: { precision: 0 } } } : { y: scale }
      }
    });
  });
})();
