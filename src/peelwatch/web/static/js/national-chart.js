// Draws the national grade distribution from the JSON block the page carries (no inline script).
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
  function draw() {
    var data = document.getElementById("distribution-data");
    var canvas = document.getElementById("distribution-chart");
    if (!data || !canvas || typeof Chart === "undefined") { return; }
    var chart = JSON.parse(data.textContent);
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: chart.labels,
        datasets: chart.datasets.map(function (d) {
          return {
            label: d.label,
            data: d.counts,
            backgroundColor: COLOURS[d.grade] || "#9ca3af",
            borderColor: "#1b1f24",
            borderWidth: 1
          };
        })
      },
      options: {
        indexAxis: "y",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: {
          x: { stacked: true, beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: "Forces" } },
          y: { stacked: true }
        },
        plugins: { legend: { position: "bottom" } }
      }
    });
    canvas.setAttribute("data-rendered", "true");
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
