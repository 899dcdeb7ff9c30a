// The SPARQL query editor: YASGUI (vendored) over this endpoint, with the dataset's
// prefixes and the example queries. Without JavaScript the plain form stays usable.
(function () {
  "use strict";
  var holder = document.getElementById("yasgui");
  var configEl = document.getElementById("yasgui-config");
  if (!holder || !configEl || typeof window.Yasgui !== "function") {
    return;
  }
  var config = JSON.parse(configEl.textContent);
  var yasgui = new window.Yasgui(holder, {
    requestConfig: { endpoint: config.endpoint, method: "POST" },
    copyEndpointOnNewTab: false,
    populateFromUrl: false,
    persistenceId: null,
    yasqe: { value: config.query },
  });
  var yasqe = yasgui.getTab().getYasqe();
  // names for the editor's fields (WCAG 4.1.2): YASGUI leaves its textarea and its
  // endpoint field unlabelled
  var labels = {
    ".yasqe textarea": config.labels.query,
    ".autocomplete": config.labels.endpoint,
    ".tableSizer": config.labels.rows,
    ".tableFilter": config.labels.filter,
  };
  function name(root) {
    Object.keys(labels).forEach(function (selector) {
      Array.prototype.forEach.call(root.querySelectorAll(selector), function (el) {
        if (!el.hasAttribute("aria-label")) {
          el.setAttribute("aria-label", labels[selector]);
        }
      });
    });
    // one tab: the tab strip (whose ARIA roles YASGUI leaves incomplete) is not shown
    Array.prototype.forEach.call(root.querySelectorAll(".tabsList"), function (el) {
      el.style.display = "none";
    });
  }
  name(holder);
  if (!config.given) {
    // a new query starts with the dataset's prefixes; a given one is left as written,
    // so that error positions match the text
    yasqe.addPrefixes(config.prefixes);
  }
  var form = document.getElementById("query-form");
  if (form) {
    form.hidden = true;
  }
  var served = document.getElementById("server-results");
  var servedGraph = document.getElementById("result-graph");
  if (config.given && served && !servedGraph) {
    // a query in the URL: the editor shows its results; the table rendered by the
    // server stays for readers without JavaScript
    served.hidden = true;
    yasqe.query();
  }
  // a CONSTRUCT or DESCRIBE query: a link to its result graph, drawn by the server as a
  // table of triples whose IRIs link to their pages, with downloads in each RDF format
  var graphLink = document.getElementById("graph-link");
  function offerGraph() {
    if (!graphLink) {
      return;
    }
    var form = yasqe.getQueryType();
    graphLink.hidden = form !== "CONSTRUCT" && form !== "DESCRIBE";
    graphLink.querySelector("a").setAttribute(
      "href",
      config.page + "?query=" + encodeURIComponent(yasqe.getValue()) +
        "&lang=" + config.lang + "#result-graph"
    );
  }
  offerGraph();
  yasqe.on("change", offerGraph);
  // an entity IRI in the results links to its page on this host (its canonical IRI
  // dereferences there too, but only once the site is published under it)
  function localise(root) {
    var anchors = root.querySelectorAll('a[href^="' + config.entities + '"]');
    Array.prototype.forEach.call(anchors, function (a) {
      var rest = a.getAttribute("href").slice(config.entities.length);
      a.setAttribute("href", config.local + rest + "?lang=" + config.lang);
      a.removeAttribute("target");
    });
  }
  new MutationObserver(function () {
    localise(holder);
    name(holder);
  }).observe(holder, { childList: true, subtree: true });
  var links = document.querySelectorAll("a[data-example]");
  Array.prototype.forEach.call(links, function (link) {
    link.addEventListener("click", function (event) {
      var example = config.examples[link.getAttribute("data-example")];
      if (!example) {
        return;
      }
      event.preventDefault();
      yasqe.setValue(example);
      yasqe.query();
      holder.scrollIntoView();
    });
  });
})();
