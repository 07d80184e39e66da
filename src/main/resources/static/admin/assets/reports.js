// The report's chart: Chart.js over the data the server put in the page (#chart-data).
(function () {
  var canvas = document.getElementById('chart');
  var source = document.getElementById('chart-data');
  if (!canvas || !source || typeof Chart === 'undefined') { return; }
  var data = JSON.parse(source.textContent);
  var colours = ['#1f5fbf', '#1d6b3a', '#8a4b00', '#a3231a'];
  new Chart(canvas, {
    type: 'bar',
    data: {
      labels: data.labels,
      datasets: data.series.map(function (s, i) {
        return { label: s.currency, data: s.net, backgroundColor: colours[i % colours.length] };
      })
    },
    options: { responsive: true, maintainAspectRatio: false, animation: false }
  });
})();
