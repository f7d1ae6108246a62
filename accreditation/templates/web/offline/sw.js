/* The service worker of the expert's offline scoring (rendered by
 * accreditation.web.views.offline.service_worker). Pages: network first, the cached
 * copy when the network fails (and every page fetched online refreshes its copy);
 * static files: cache first. Writes (anything but GET) and the API always go to the
 * network: the page keeps unsent changes in IndexedDB and syncs them itself. */
"use strict";
var CACHE = {{ cache_json|safe }};
var STATIC = {{ static_json|safe }};

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches
      .open(CACHE)
      .then(function (cache) {
        return cache.addAll(STATIC);
      })
      .then(function () {
        return self.skipWaiting();
      })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches
      .keys()
      .then(function (names) {
        return Promise.all(
          names
            .filter(function (name) {
              return name.indexOf("accreditation-offline-") === 0 && name !== CACHE;
            })
            .map(function (name) {
              return caches.delete(name);
            })
        );
      })
      .then(function () {
        return self.clients.claim();
      })
  );
});

function cacheable(url) {
  return url.pathname.indexOf("/expert/") === 0 || url.pathname.indexOf("/static/") === 0;
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin || !cacheable(url)) return;
  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(
      caches.match(request).then(function (hit) {
        return (
          hit ||
          fetch(request).then(function (response) {
            if (response.ok) {
              var copy = response.clone();
              caches.open(CACHE).then(function (cache) {
                cache.put(request, copy);
              });
            }
            return response;
          })
        );
      })
    );
    return;
  }
  event.respondWith(
    fetch(request)
      .then(function (response) {
        if (response.ok && !response.redirected) {
          var copy = response.clone();
          caches.open(CACHE).then(function (cache) {
            cache.put(url.pathname, copy);
          });
        }
        return response;
      })
      .catch(function () {
        return caches.match(url.pathname, { ignoreVary: true }).then(function (hit) {
          return hit || Response.error();
        });
      })
  );
});
