/* Network island: draws the server's laid-out graph with sigma.js (WebGL), opens a node's panel on
 * click or keyboard choice, and adds a node's neighbours on request. Works on #graaf[data-src].
 *
 * Speed (bench/bench_web.py, 5,000 persons on software WebGL): the data is preloaded by the page
 * (<link rel=preload>), the graph is drawn once, the keyboard person list (#kies-persoon) is filled
 * after that first draw; above 2,000 nodes nodes are drawn as points and links as 1-pixel lines, and
 * while the camera moves (mouse, wheel, buttons or script) only the nodes are drawn; lines and labels
 * come back as soon as it stands still. */
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

  /* performance marks for bench/bench_web.py (data in, graph built, sigma drawn once, shown) */
  function mark(name) { if (performance.mark) { performance.mark(name); } }

  function merge(data) {
    if (graph.order === 0) {  /* first load: graphology's own import, much faster than one by one */
      try { graph.import(data); return; } catch (err) { graph.clear(); }  /* else the careful way */
    }
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

  /* The keyboard route to every person of the drawing: one <option> per node, sorted, as the server
   * used to write them ("P-… (G1) ★ voorgesteld"). Built in one DocumentFragment after the first draw. */
  function fillPersonList() {
    var list = document.getElementById("kies-persoon");
    if (!list || list.options.length > 1) { return; }
    var frag = document.createDocumentFragment();
    graph.nodes().sort().forEach(function (n) {
      var a = graph.getNodeAttributes(n);
      var o = document.createElement("option");
      o.value = n;
      o.textContent = n + (a.group ? " (" + a.group + ")" : "") + (a.highlight ? " \u2605 " + a.highlight : "");
      frag.appendChild(o);
    });
    list.appendChild(frag);
  }

  /* sigma hides lines and labels only while the mouse drags or the wheel turns (hideEdgesOnMove);
   * here every camera change counts (buttons, keyboard, touch, script): a render caused by a camera
   * change draws the nodes only, and once the camera has stood still for STILL_MS one full render
   * follows. On software WebGL the lines cost as much as the nodes, so pan/zoom stays fluid. */
  var STILL_MS = 120;
  function hideWhileMoving(r) {
    var cam = r.getCamera();
    var animated = cam.isAnimated.bind(cam);
    var moved = false;      /* the camera changed since the last render */
    var moving = false;     /* the current (or last) render was one of a moving camera */
    var timer = null;
    function settle() {
      if (moved) { timer = setTimeout(settle, STILL_MS); return; }
      timer = null;
      if (moving) { r.scheduleRender(); }
    }
    cam.isAnimated = function () { return animated() || moving; };
    r.on("beforeRender", function () { moving = moved; moved = false; });
    cam.on("updated", function () {
      moved = true;
      clearTimeout(timer);
      timer = setTimeout(settle, STILL_MS);
    });
  }

  fetch(box.getAttribute("data-src"), { credentials: "same-origin" })  /* answered by the preload */
    .then(function (r) { return r.json(); })
    .then(function (data) {
      mark("graaf-data");
      merge(data);
      mark("graaf-graph");
      var big = graph.order > 2000;
      var settings = {
        defaultEdgeColor: "#c8c8c8",
        hideEdgesOnMove: big,
        hideLabelsOnMove: big,
        renderEdgeLabels: false,
        labelRenderedSizeThreshold: big ? 14 : 8,
        zIndex: true
      };
      if (big && Sigma.rendering) {
        /* Points and 1-pixel lines instead of instanced triangles: the same discs and thin lines, about
         * four times cheaper per frame on software WebGL (a node whose centre leaves the view is
         * clipped a little early, which only shows when zoomed in far). */
        settings.nodeProgramClasses = { circle: Sigma.rendering.NodePointProgram };
        settings.edgeProgramClasses = { line: Sigma.rendering.EdgeLineProgram };
      }
      renderer = new Sigma(graph, box, settings);
      mark("graaf-sigma");
      if (big) { hideWhileMoving(renderer); }
      renderer.on("clickNode", function (e) { select(e.node); });
      window.netwerkGraaf = { graph: graph, renderer: renderer, select: select, expand: expand };
      requestAnimationFrame(function () {
        requestAnimationFrame(function () {
          var ms = performance.now() - started;
          mark("graaf-getekend");
          box.setAttribute("data-getekend", "1");
          box.setAttribute("data-tekentijd-ms", String(Math.round(ms)));
          status(graph.order + " personen getekend.");
          /* after the drawing is shown; a choice made before it is filled waits for it */
          if (window.requestIdleCallback) { requestIdleCallback(fillPersonList, { timeout: 1000 }); }
          else { setTimeout(fillPersonList, 0); }
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
