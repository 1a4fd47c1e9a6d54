// Sulh's service worker: the monitor's pages and the app's files, available with no connection.
"use strict";

var CACHE = "sulh-shell-v1";
var SHELL = [
  "/monitor",
  "/static/css/sulh.css",
  "/static/js/sulh.js",
  "/static/js/sign.js",
  "/static/js/offline.js"
];

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(SHELL); }));
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) { return n !== CACHE; }).map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) { return; }
  var url = new URL(request.url);
  if (url.pathname.indexOf("/static/") === 0) {
    // Files: from the cache when there, refreshed from the network when possible.
    event.respondWith(caches.match(request).then(function (hit) {
      var fetched = fetch(request).then(function (response) {
        if (response.ok) {
          var copy = response.clone();
          caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
        }
        return response;
      });
      return hit || fetched;
    }));
  } else if (request.mode === "navigate") {
    // Pages: fresh from the network; the kept copy only when there is no connection.
    event.respondWith(fetch(request).then(function (response) {
      if (response.ok && url.pathname === "/monitor") {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { cache.put("/monitor", copy); });
      }
      return response;
    }).catch(function () {
      return caches.match(request, { ignoreSearch: true }).then(function (hit) {
        return hit || caches.match("/monitor");
      });
    }));
  }
});
