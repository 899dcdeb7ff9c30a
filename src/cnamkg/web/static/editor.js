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
    autofocus: false, // the page opens at its top, not in the editor (WCAG 2.4.3)
    yasqe: { value: config.query, autofocus: false },
  });
  var yasqe = yasgui.getTab().getYasqe();
  // no keyboard trap (WCAG 2.1.2): Tab and Shift-Tab leave the editor as they leave any
  // field (CodeMirror would indent)
  var keys = Object.assign({}, yasqe.getOption("extraKeys") || {});
  keys.Tab = false;
  keys["Shift-Tab"] = false;
  yasqe.setOption("extraKeys", keys);
  // names for the editor's fields (WCAG 4.1.2): YASGUI leaves its textarea and its
  // endpoint field unlabelled
  var labels = {
    ".yasqe textarea": config.labels.query,
    ".autocomplete": config.labels.endpoint,
    ".tableSizer": config.labels.rows,
    ".tableFilter": config.labels.filter,
  };
  // YASGUI's own words in the page language: exact texts and attributes, then the
  // sentences with numbers (config.words is empty for English)
  var words = config.words || {};
  var sentences = (config.sentences || []).map(function (pair) {
    return [new RegExp("^" + pair[0] + "$"), pair[1]];
  });
  function say(text) {
    var trimmed = text.trim();
    if (Object.prototype.hasOwnProperty.call(words, trimmed)) {
      return text.replace(trimmed, words[trimmed]);
    }
    for (var i = 0; i < sentences.length; i++) {
      if (sentences[i][0].test(trimmed)) {
        return text.replace(trimmed, trimmed.replace(sentences[i][0], sentences[i][1]));
      }
    }
    return text;
  }
  function translate(root) {
    if (!Object.keys(words).length) {
      return;
    }
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    var node;
    while ((node = walker.nextNode())) {
      if (node.parentNode.closest(".CodeMirror, .yasr table tbody")) {
        continue; // the query and the results stay as they are
      }
      var said = say(node.nodeValue);
      if (said !== node.nodeValue) {
        node.nodeValue = said;
      }
    }
    ["title", "placeholder", "aria-label"].forEach(function (attribute) {
      Array.prototype.forEach.call(root.querySelectorAll("[" + attribute + "]"), function (el) {
        var value = el.getAttribute(attribute);
        var said = say(value);
        if (said !== value) {
          el.setAttribute(attribute, said);
        }
      });
    });
  }
  function name(root) {
    Object.keys(labels).forEach(function (selector) {
      Array.prototype.forEach.call(root.querySelectorAll(selector), function (el) {
        if (el.getAttribute("aria-label") !== labels[selector]) {
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
  // run the query; a query that fails (a syntax error, a refusal) shows its message in
  // the results area, and its rejected promise is no uncaught error
  function run() {
    var done = yasqe.query();
    if (done && typeof done.catch === "function") {
      done.catch(function () {});
    }
  }
  var served = document.getElementById("server-results");
  var servedGraph = document.getElementById("result-graph");
  if (servedGraph) {
    // the result graph is drawn by the server below: the editor's result area is empty
    Array.prototype.forEach.call(holder.querySelectorAll(".yasr"), function (el) {
      el.hidden = true;
    });
  }
  if (config.given && served && !servedGraph) {
    // a query in the URL: the editor shows its results; the table rendered by the
    // server stays for readers without JavaScript
    served.hidden = true;
    run();
  }
  // a CONSTRUCT or DESCRIBE query: a button to its result graph, drawn by the server as
  // a table of triples whose IRIs link to their pages, with downloads in each RDF format
  var graphLink = document.getElementById("graph-link");
  function offerGraph() {
    if (!graphLink) {
      return;
    }
    var form = yasqe.getQueryType();
    graphLink.hidden = form !== "CONSTRUCT" && form !== "DESCRIBE";
    // posted, not linked: a long query does not fit in a URL
    graphLink.querySelector("input[name=query]").value = yasqe.getValue();
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
    // a term of our ontology links to its entry on the ontology page, as without script
    anchors = root.querySelectorAll('a[href^="' + config.ontology + '"]');
    Array.prototype.forEach.call(anchors, function (a) {
      var rest = a.getAttribute("href").slice(config.ontology.length);
      a.setAttribute("href", config.ontologyPage + "?lang=" + config.lang + "#" + rest);
      a.removeAttribute("target");
    });
  }
  new MutationObserver(function (records) {
    // typing in the editor brings nothing to link, name or translate; our own changes
    // (attributes, text) are not observed
    var outside = records.some(function (record) {
      var el = record.target.nodeType === 1 ? record.target : record.target.parentNode;
      return !el || !el.closest(".CodeMirror");
    });
    if (outside) {
      localise(holder);
      name(holder);
      translate(holder);
    }
  }).observe(holder, { childList: true, subtree: true });
  translate(holder);
  var links = document.querySelectorAll("a[data-example]");
  Array.prototype.forEach.call(links, function (link) {
    link.addEventListener("click", function (event) {
      var example = config.examples[link.getAttribute("data-example")];
      if (!example) {
        return;
      }
      event.preventDefault();
      yasqe.setValue(example);
      run();
      holder.scrollIntoView();
    });
  });
})();
