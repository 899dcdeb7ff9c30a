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
  if (config.given && served) {
    // a query in the URL: the editor shows its results; the table rendered by the
    // server stays for readers without JavaScript
    served.hidden = true;
    yasqe.query();
  }
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
