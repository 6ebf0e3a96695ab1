// Draws the stacked grade bar charts from the JSON blocks the pages carry (no inline script).
// A canvas with data-chart="ID" is drawn from the JSON in element ID: {labels, datasets: [{grade,
// label?, counts}]}. data-horizontal lays the bars sideways; data-count-title and
// data-label-title name the axes.
(function () {
  "use strict";
  var COLOURS = {
    "outstanding": "#14532d",
    "good": "#4ade80",
    "adequate": "#facc15",
    "requires improvement": "#fb923c",
    "inadequate": "#991b1b",
    "ungraded": "#9ca3af"
  };
  function title(text) { return { display: Boolean(text), text: text || "" }; }
  function draw(canvas) {
    var data = document.getElementById(canvas.getAttribute("data-chart"));
    if (!data || typeof Chart === "undefined") { return; }
    var chart = JSON.parse(data.textContent);
    var horizontal = canvas.hasAttribute("data-horizontal");
    var counts = { stacked: true, beginAtZero: true, ticks: { precision: 0 }, title: title(canvas.getAttribute("data-count-title")) };
    var labels = { stacked: true, title: title(canvas.getAttribute("data-label-title")) };
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: chart.labels,
        datasets: chart.datasets.map(function (d) {
          return {
            label: d.label || d.grade.charAt(0).toUpperCase() + d.grade.slice(1),
            data: d.counts,
            backgroundColor: COLOURS[d.grade] || "#9ca3af",
            borderColor: "#1b1f24",
            borderWidth: 1
          };
        })
      },
      options: {
        indexAxis: horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: horizontal ? { x: counts, y: labels } : { x: labels, y: counts },
        plugins: { legend: { position: "bottom" } }
      }
    });
    canvas.setAttribute("data-rendered", "true");
  }
  function drawAll() { document.querySelectorAll("canvas[data-chart]").forEach(draw); }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
