// The pictures (neighbourhood, funding) made interactive: pointing at or focusing a node
// shows its full label beside it and lights the links that reach it. Without JavaScript
// the pictures stay static SVG whose nodes are links with <title> tooltips.
(function () {
  "use strict";
  var tip = document.createElement("div");
  tip.className = "picture-tip";
  tip.setAttribute("aria-hidden", "true"); // the node's link already names it
  tip.hidden = true;
  document.body.appendChild(tip);

  function show(node) {
    var svg = node.ownerSVGElement;
    var iri = node.getAttribute("data-iri");
    var title = node.querySelector("title");
    svg.classList.add("lighting");
    Array.prototype.forEach.call(svg.querySelectorAll("[data-to], [data-from]"), function (e) {
      var lit = e.getAttribute("data-to") === iri || e.getAttribute("data-from") === iri;
      e.classList.toggle("lit", lit);
    });
    if (title) {
      var box = node.getBoundingClientRect();
      tip.textContent = title.textContent;
      tip.hidden = false;
      tip.style.left = Math.max(4, box.left + window.scrollX) + "px";
      tip.style.top = box.bottom + window.scrollY + 6 + "px";
    }
  }

  function hide(node) {
    var svg = node.ownerSVGElement;
    svg.classList.remove("lighting");
    Array.prototype.forEach.call(svg.querySelectorAll(".lit"), function (e) {
      e.classList.remove("lit");
    });
    tip.hidden = true;
  }

  var nodes = document.querySelectorAll("svg.interactive .node[data-iri]");
  Array.prototype.forEach.call(nodes, function (node) {
    node.addEventListener("mouseenter", function () { show(node); });
    node.addEventListener("focus", function () { show(node); });
    node.addEventListener("mouseleave", function () { hide(node); });
    node.addEventListener("blur", function () { hide(node); });
  });
})();
