// The funnel's chart: Chart.js over the counts the server put in the page (#chart-data), one
// horizontal bar per step, labelled with the step names of the table below (the page's language).
(function () {
  var canvas = document.getElementById('chart');
  var source = document.getElementById('chart-data');
  if (!canvas || !source || typeof Chart === 'undefined') { return; }
  var data = JSON.parse(source.textContent);
  var labels = data.steps.map(function (step) {
    var row = document.querySelector('#steps tr[data-step="' + step + '"] td');
    return row ? row.textContent.trim() : step;
  });
  var colours = data.steps.map(function (step) {
    return step === 'declined' ? '#a3231a' : step === 'abandoned' ? '#8a4b00' : step === 'expired' ? '#5a5a5a'
      : '#1f5fbf';
  });
  new Chart(canvas, {
    type: 'bar',
    data: { labels: labels, datasets: [{ data: data.counts, backgroundColor: colours }] },
    options: {
      indexAxis: 'y', responsive: true, maintainAspectRatio: false, animation: false,
      plugins: { legend: { display: false } },
      scales: { x: { beginAtZero: true, ticks: { precision: 0 } } }
    }
  });
})();
