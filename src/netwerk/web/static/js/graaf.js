/* Network island: draws the server's laid-out graph with sigma.js (WebGL), opens a node's panel on
 * click or keyboard choice, and adds a node's neighbours on request. Works on #graaf[data-src]. */
(function () {
  "use strict";
  var box = document.getElementById("graaf");
  if (!box || typeof graphology === "undefined" || typeof Sigma === "undefined") { return; }
  var Graph = graphology.Graph || graphology;
  var graph = new Graph({ type: "undirected", multi: false });
  var panel = document.getElementById("paneel");
  var renderer = null;
  var selected = null;
  var started = performance.now();

  function status(text) {
    var s = document.getElementById("graaf-status");
    if (!s) {
      s = document.createElement("p");
      s.id = "graaf-status";
      s.setAttribute("role", "status");
      box.parentNode.insertBefore(s, box.nextSibling);
    }
    s.textContent = text;
  }

  function merge(data) {
    (data.nodes || []).forEach(function (n) { graph.mergeNode(n.key, n.attributes); });
    (data.edges || []).forEach(function (e) {
      if (graph.hasNode(e.source) && graph.hasNode(e.target) && !graph.hasEdge(e.source, e.target)) {
        graph.addEdge(e.source, e.target, e.attributes || {});
      }
    });
  }

  function select(node) {
    if (!graph.hasNode(node)) { return; }
    if (!box.getAttribute("data-paneel")) {  /* ego networks: a node opens its own page */
      window.location.href = "/verkennen/" + node.split(":").map(encodeURIComponent).join("/");
      return;
    }
    if (selected && graph.hasNode(selected)) { graph.setNodeAttribute(selected, "highlighted", false); }
    selected = node;
    graph.setNodeAttribute(node, "highlighted", true);
    box.setAttribute("data-gekozen", node);
    var query = box.getAttribute("data-query");
    fetch(box.getAttribute("data-paneel") + encodeURIComponent(node) + (query ? "?" + query : ""),
      { credentials: "same-origin" })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        panel.innerHTML = html;
        panel.setAttribute("data-persoon", node);
        panel.focus();
      });
  }

  function expand(node) {
    fetch(box.getAttribute("data-buren") + "id=" + encodeURIComponent(node), { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        var before = graph.order;
        merge(data);
        renderer.refresh();
        status((graph.order - before) + " buren toegevoegd; " + graph.order + " personen in beeld.");
        var count = document.getElementById("aantal-personen");
        if (count) { count.textContent = String(graph.order); }
      });
  }

  fetch(box.getAttribute("data-src"), { credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      merge(data);
      var big = graph.order > 2000;
      renderer = new Sigma(graph, box, {
        defaultEdgeColor: "#c8c8c8",
        hideEdgesOnMove: big,
        hideLabelsOnMove: big,
        labelRenderedSizeThreshold: big ? 14 : 8,
        zIndex: true
      });
      renderer.on("clickNode", function (e) { select(e.node); });
      window.netwerkGraaf = { graph: graph, renderer: renderer, select: select, expand: expand };
      requestAnimationFrame(function () {
        requestAnimationFrame(function () {
          var ms = performance.now() - started;
          box.setAttribute("data-getekend", "1");
          box.setAttribute("data-tekentijd-ms", String(Math.round(ms)));
          status(graph.order + " personen getekend.");
        });
      });
    })
    .catch(function (err) { status("Het netwerk kon niet worden getekend: " + err); });

  function camera() { return renderer && renderer.getCamera(); }
  function on(id, fn) { var el = document.getElementById(id); if (el) { el.addEventListener("click", fn); } }
  on("inzoomen", function () { if (camera()) { camera().animate({ ratio: camera().ratio / 1.5 }, { duration: 200 }); } });
  on("uitzoomen", function () { if (camera()) { camera().animate({ ratio: camera().ratio * 1.5 }, { duration: 200 }); } });
  on("herstel", function () { if (camera()) { camera().animate({ x: 0.5, y: 0.5, ratio: 1, angle: 0 }, { duration: 200 }); } });
  on("toon-persoon", function () {
    var v = document.getElementById("kies-persoon").value;
    if (v) { select(v); }
  });
  if (panel) {
    panel.addEventListener("click", function (e) {
      var t = e.target.closest("[data-buren]");
      if (t) { expand(t.getAttribute("data-buren")); }
    });
  }
})();
