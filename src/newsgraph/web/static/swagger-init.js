// Starts the vendored Swagger UI on /docs (static/vendor/swagger-ui/) over this
// server's /openapi.json. A file of its own rather than an inline script, so /docs
// runs under the same Content-Security-Policy as every other page.
(function () {
  "use strict";

  function start() {
    var root = document.getElementById("swagger-ui");
    if (!root || typeof window.SwaggerUIBundle !== "function") {
      return;
    }
    window.ui = window.SwaggerUIBundle({
      url: root.getAttribute("data-openapi-url") || "/openapi.json",
      dom_id: "#swagger-ui",
      layout: "BaseLayout",
      deepLinking: true,
      showExtensions: true,
      showCommonExtensions: true,
      // Never send the spec to the public validator (it would be an outside request).
      validatorUrl: null,
      presets: [window.SwaggerUIBundle.presets.apis],
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
