// The overview's charts (uPlot), drawn from the JSON of /dashboard/overview/series. Kept in a file
// because the pages' Content-Security-Policy allows no inline script. htmx refreshes the live tiles
// every 10 seconds; each refresh fetches the series again.
(function () {
  "use strict";
  var charts = [];
  var loadedAt = 0;
  var bucketSeconds = 60;

  var specs = [
    { id: "chart-accepted", series: [{ key: "accepted", label: "accepted/s", stroke: "#2563eb" }] },
    {
      id: "chart-attempts",
      series: [
        { key: "delivered", label: "delivered/s", stroke: "#15803d" },
        { key: "errorStatus", label: "error status/s", stroke: "#b45309" },
        { key: "noAnswer", label: "no answer/s", stroke: "#b91c1c" }
      ]
    },
    // Buckets without attempts have no rate: points, so a lone bucket shows between the gaps.
    {
      id: "chart-success",
      series: [{ key: "successRate", label: "success %", stroke: "#15803d", points: true }]
    },
    { id: "chart-latency", series: [{ key: "p95Ms", label: "p95 ms", stroke: "#7c3aed", points: true }] }
  ];

  function width(el) {
    return Math.max(240, el.clientWidth || 300);
  }

  function data(json, spec) {
    return [json.t].concat(spec.series.map(function (s) { return json[s.key]; }));
  }

  function draw(json) {
    specs.forEach(function (spec, i) {
      var el = document.getElementById(spec.id);
      if (!el) { return; }
      if (charts[i]) {
        charts[i].setData(data(json, spec));
        return;
      }
      var opts = {
        width: width(el),
        height: 180,
        series: [{}].concat(spec.series.map(function (s) {
          var series = { label: s.label, stroke: s.stroke, width: 2, spanGaps: false };
          if (s.points) { series.points = { show: true, size: 6, fill: s.stroke }; }
          return series;
        })),
        axes: [{}, { size: 60 }]
      };
      charts[i] = new uPlot(opts, data(json, spec), el);
    });
    var box = document.getElementById("charts");
    if (box) { box.setAttribute("data-loaded", String(json.t.length)); }
  }

  // The series of a long range cost more to read and change slowly: a refresh of the tiles
  // re-reads them only after a sixth of a bucket (10 s at 1 h, 150 s at 24 h, 20 min at 7 d).
  function stale() {
    return Date.now() - loadedAt >= bucketSeconds * 1000 / 6;
  }

  function load() {
    var box = document.getElementById("charts");
    if (!box || typeof uPlot === "undefined") { return; }
    loadedAt = Date.now();
    fetch(box.getAttribute("data-series"), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (json) {
        if (json) {
          bucketSeconds = json.bucketSeconds;
          draw(json);
        }
      });
  }

  window.addEventListener("resize", function () {
    specs.forEach(function (spec, i) {
      var el = document.getElementById(spec.id);
      if (charts[i] && el) { charts[i].setSize({ width: width(el), height: 180 }); }
    });
  });

  document.addEventListener("DOMContentLoaded", load);
  document.addEventListener("htmx:afterSwap", function (e) {
    if (e.detail && e.detail.target && e.detail.target.id === "live" && stale()) { load(); }
  });

  // Every htmx request carries the session's CSRF token, read from the page's sign-out form.
  document.addEventListener("htmx:configRequest", function (e) {
    var field = document.querySelector("input[name=_csrf]");
    if (field) { e.detail.headers["X-CSRF-Token"] = field.value; }
  });

  // A confirmation for forms that ask for one (data-confirm), without inline script.
  document.addEventListener("submit", function (e) {
    var message = e.target.getAttribute && e.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) { e.preventDefault(); }
  });
})();
