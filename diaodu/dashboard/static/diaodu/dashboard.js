/* Diaodu dispatch room: charts, maps, the source drawer and auto-submitting selects.
   No inline scripts: data comes from <script type="application/json"> (json_script) and data-
   attributes, so a Content-Security-Policy of 'self' holds. */
(function () {
  "use strict";

  var charts = [];
  var mapCache = {};
  var GREY = "#8a99a8";
  // Maps: a sequential blue palette, never the status red/yellow/green (README: 颜色).
  var SEQUENTIAL = ["#e8f0fa", "#8fb3e0", "#1f4e8c"];
  // Series and bars: the unit itself in navy, the others light — red stays the status colour.
  var NAVY = "#1f4e8c", LIGHT_BLUE = "#8fb3e0";

  function readJSON(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function fmt(v, d) {
    return v === null || v === undefined ? "—" : Number(v).toFixed(d === undefined ? 1 : d);
  }

  function make(el) {
    var old = echarts.getInstanceByDom(el);
    if (old) { old.dispose(); }
    var chart = echarts.init(el, null, { renderer: "canvas" });
    charts.push(chart);
    return chart;
  }

  function drawSeries(el, data) {
    var months = data.months;
    var pick = function (m) { return months.map(function (k) { var v = m[String(k)]; return v === undefined ? null : v; }); };
    var series = [
      { name: data.year + "年", type: "line", data: pick(data.this_year), connectNulls: true, symbolSize: 8,
        lineStyle: { width: 3, color: NAVY }, itemStyle: { color: NAVY }, label: { show: true, formatter: function (p) { return p.value === null ? "" : fmt(p.value); } } },
      { name: (data.year - 1) + "年", type: "line", data: pick(data.last_year), connectNulls: true,
        lineStyle: { width: 2, type: "dashed", color: GREY }, itemStyle: { color: GREY } }
    ];
    if (data.target !== null && data.target !== undefined) {
      series.push({ name: "目标增速", type: "line", data: months.map(function () { return data.target; }), symbol: "none",
        lineStyle: { width: 2, color: "#1e8449", type: "dotted" }, itemStyle: { color: "#1e8449" } });
    }
    var chart = make(el);
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis", valueFormatter: function (v) { return fmt(v) + "%"; } },
      legend: { top: 0 },
      grid: { left: 48, right: 16, top: 36, bottom: 28 },
      xAxis: { type: "category", data: months.map(function (m) { return m === 1 ? "1月" : "1-" + m + "月"; }) },
      yAxis: { type: "value", axisLabel: { formatter: "{value}%" }, scale: true },
      series: series
    });
    el.dataset.rendered = "1";
  }

  function nothingToDraw(el, size, ink, top) {
    // Bare axes or a blank map read as "zero" or "all equal": say there is nothing instead.
    el.dataset.empty = "1";
    return [{ type: "text", left: "center", top: top,
      style: { text: "本期暂无数据", fill: ink, fontSize: size } }];
  }

  function drawTrends(el, data) {
    // The wall's trend chart: this year's cumulative growth of a few main indicators, month by month.
    var palette = ["#ffd166", "#8fb3e0", "#5fd38d", "#f4a3c0"];
    var size = Math.max(12, Math.round(el.clientWidth / 60));
    var chart = make(el);
    var any = data.lines.some(function (line) {
      return Object.keys(line.points).some(function (m) { return line.points[m] !== null; });
    });
    if (!any) {
      chart.setOption({ animation: false, graphic: nothingToDraw(el, size * 1.5, "#dfe9f5", "middle") });
      el.dataset.rendered = "1";
      return;
    }
    chart.setOption({
      animation: false,
      textStyle: { fontSize: size, color: "#dfe9f5" },
      tooltip: { trigger: "axis", valueFormatter: function (v) { return fmt(v) + "%"; } },
      legend: { top: 0, textStyle: { color: "#dfe9f5", fontSize: size } },
      grid: { left: size * 3.5, right: size * 2, top: size * 2.5, bottom: size * 2 },
      xAxis: { type: "category", data: data.months.map(function (m) { return m === 1 ? "1月" : "1-" + m + "月"; }),
        axisLabel: { color: "#dfe9f5", fontSize: size } },
      yAxis: { type: "value", scale: true, axisLabel: { formatter: "{value}%", color: "#dfe9f5", fontSize: size },
        splitLine: { lineStyle: { color: "#2b4262" } } },
      series: data.lines.map(function (line, i) {
        return { name: line.name, type: "line", connectNulls: true, symbolSize: size / 2,
          lineStyle: { width: 3, color: palette[i % palette.length] }, itemStyle: { color: palette[i % palette.length] },
          data: data.months.map(function (m) { var v = line.points[String(m)]; return v === undefined ? null : v; }) };
      })
    });
    el.dataset.rendered = "1";
  }

  function drawBars(el, rows) {
    rows = rows.filter(function (r) { return r.value !== null; });
    var chart = make(el);
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: function (v) { return fmt(v) + "%"; } },
      grid: { left: 110, right: 48, top: 8, bottom: 24 },
      xAxis: { type: "value", axisLabel: { formatter: "{value}%" } },
      yAxis: { type: "category", inverse: true, data: rows.map(function (r) { return r.rank + ". " + r.name; }) },
      series: [{ type: "bar", data: rows.map(function (r) {
        return { value: r.value, itemStyle: { color: r.home ? NAVY : LIGHT_BLUE } };
      }), label: { show: true, position: "right", formatter: function (p) { return fmt(p.value); } } }]
    });
    el.dataset.rendered = "1";
    el.dataset.bars = String(rows.length);
  }

  function loadMap(name, url) {
    if (!mapCache[name]) {
      mapCache[name] = fetch(url, { credentials: "same-origin" }).then(function (r) {
        if (!r.ok) { throw new Error("地图加载失败：" + r.status); }
        return r.json();
      }).then(function (geo) { echarts.registerMap(name, geo); return geo; });
    }
    return mapCache[name];
  }

  function drawMap(el, data) {
    var name = el.dataset.map;
    loadMap(name, el.dataset.mapUrl).then(function (geo) {
      var values = data.items.map(function (i) { return i.value; }).filter(function (v) { return v !== null; });
      var min = values.length ? Math.min.apply(null, values) : 0, max = values.length ? Math.max.apply(null, values) : 1;
      var byCode = {};
      data.items.forEach(function (i) { byCode[i.code] = i; });
      var chart = make(el);
      chart.on("finished", function () {
        // What ECharts drew: the regions of the map series holding a value (read by the tests).
        var data = chart.getModel().getSeriesByIndex(0).getData();
        var valued = [];
        for (var i = 0; i < data.count(); i++) {
          if (!isNaN(data.get("value", i))) { valued.push(data.getName(i)); }
        }
        el.dataset.drawnValued = valued.join(",");
        el.dataset.rendered = "1";
      });
      if (el.dataset.link) {
        // A county on the map opens its profile (一县一档).
        chart.on("click", function (p) {
          if (byCode[p.name]) { window.location.href = el.dataset.link.replace("{code}", p.name); }
        });
      }
      chart.setOption({
        animation: false,
        tooltip: { trigger: "item", formatter: function (p) {
          var i = byCode[p.name];
          return i ? i.name + "<br>" + fmt(i.value, data.measure === "growth" ? 1 : 2) + data.unit + "（第" + (i.rank || "—") + "位）" : p.name;
        } },
        // without a value the scale would be a made-up 0–1: no scale, and the map says so
        visualMap: values.length ? { min: min, max: max === min ? min + 1 : max, calculable: true, left: 8, bottom: 8,
          itemHeight: Math.max(100, Math.round(el.clientHeight / 4)), itemWidth: Math.max(20, Math.round(el.clientWidth / 45)),
          textStyle: { color: el.dataset.ink || "#333", fontSize: Math.max(12, Math.round(el.clientWidth / 50)) },
          inRange: { color: SEQUENTIAL }, text: ["高", "低"] } : [],
        graphic: values.length ? [] : nothingToDraw(el, Math.max(14, Math.round(el.clientWidth / 30)), el.dataset.ink || "#667085", 8),
        series: [{ type: "map", map: name, nameProperty: "adcode", roam: false, selectedMode: false,
          label: { show: true, fontSize: Math.max(11, Math.round(el.clientWidth / 45)), color: "#10202f",
            textBorderColor: "#fff", textBorderWidth: 2, formatter: function (p) {
            var i = byCode[p.name];
            return i ? (i.name.replace(/回族自治州|藏族自治州/, "州").replace(/市$/, "")) + "\n" + fmt(i.value, data.measure === "growth" ? 1 : 0) : "";
          } },
          data: data.items.map(function (i) { return { name: i.code, value: i.value }; }) }]
      });
      var drawn = geo.features.filter(function (f) { return byCode[f.properties.adcode] && byCode[f.properties.adcode].value !== null; });
      el.dataset.features = String(geo.features.length);
      el.dataset.regionsDrawn = String(drawn.length);
      el.dataset.regionCodes = drawn.map(function (f) { return f.properties.adcode; }).join(",");
    }).catch(function (err) {
      el.textContent = String(err.message || err);
      el.dataset.error = "1";
    });
  }

  function init(root) {
    if (typeof echarts === "undefined") { return; }
    (root || document).querySelectorAll("[data-chart]").forEach(function (el) {
      var data = readJSON(el.dataset.source);
      if (!data) { return; }
      if (el.dataset.chart === "series") { drawSeries(el, data); }
      else if (el.dataset.chart === "bars") { drawBars(el, data); }
      else if (el.dataset.chart === "map") { drawMap(el, data); }
      else if (el.dataset.chart === "trends") { drawTrends(el, data); }
    });
  }

  function openDrawer() {
    var drawer = document.getElementById("drawer");
    if (!drawer) { return; }
    drawer.classList.add("open");
    drawer.setAttribute("aria-hidden", "false");
    document.getElementById("drawer-backdrop").hidden = false;
  }

  function closeDrawer() {
    var drawer = document.getElementById("drawer");
    if (!drawer) { return; }
    drawer.classList.remove("open");
    drawer.setAttribute("aria-hidden", "true");
    document.getElementById("drawer-backdrop").hidden = true;
  }

  document.addEventListener("change", function (ev) {
    var el = ev.target;
    if (el.matches("select[data-navigate]")) {
      var params = new URLSearchParams(window.location.search);
      params.delete("indicator");
      window.location.href = el.dataset.navigate.replace("{code}", el.value) + (params.toString() ? "?" + params : "");
    } else if (el.matches("select[data-autosubmit]")) {
      el.form.requestSubmit();
    }
  });

  document.addEventListener("click", function (ev) {
    if (ev.target.closest(".drawer-close") || ev.target.id === "drawer-backdrop") { closeDrawer(); }
  });
  document.addEventListener("keydown", function (ev) { if (ev.key === "Escape") { closeDrawer(); } });

  document.addEventListener("htmx:afterSwap", function (ev) {
    if (ev.detail.target && ev.detail.target.id === "drawer-body") { openDrawer(); }
    else { init(document); }
  });

  window.diaodu = { init: init };  // the big screen redraws the panels it swaps in
  window.addEventListener("resize", function () { charts.forEach(function (c) { if (!c.isDisposed()) { c.resize(); } }); });
  document.addEventListener("DOMContentLoaded", function () { init(document); });
}());
