// RefStack web UI: the little the pages do in the browser. Everything works
// without this script; it only spares a click.
(function () {
  "use strict";

  // RefStack's UI addressed pages with hash routes; its upload answers and
  // old links point at <ui>/#/results/<id>. Send them to our pages.
  var routes = [
    [/^#\/results\/([^\/?#]+)/, function (m) { return "/results/" + encodeURIComponent(decodeURIComponent(m[1])); }],
    [/^#\/guidelines\b/, function () { return "/guidelines"; }],
    [/^#\/community_results\b/, function () { return "/"; }]
  ];
  for (var i = 0; i < routes.length; i++) {
    var m = routes[i][0].exec(window.location.hash);
    if (m) {
      window.location.replace(routes[i][1](m));
      return;
    }
  }

  // Forms marked data-autosubmit submit when a choice changes. When the
  // program moves between the core and an add-on guideline list, the
  // guideline choice of the old list is dropped so that the server picks the
  // default of the new one.
  document.addEventListener("DOMContentLoaded", function () {
    var forms = document.querySelectorAll("form[data-autosubmit]");
    Array.prototype.forEach.call(forms, function (form) {
      form.classList.add("js-autosubmit");
      form.addEventListener("change", function (ev) {
        var t = ev.target;
        if (t.name === "target" && t.selectedOptions && t.selectedOptions[0]) {
          var group = t.selectedOptions[0].getAttribute("data-group");
          var version = form.querySelector("select[name=guideline]");
          if (version && group !== form.getAttribute("data-group")) {
            version.disabled = true;
          }
        }
        form.submit();
      });
    });
  });
})();
