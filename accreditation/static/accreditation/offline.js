/* Offline scoring for experts (loaded before checklist.js on the scoring page and on
 * the tasks page). It
 *  - registers the service worker (/sw.js, scope /) and keeps the expert's assigned
 *    scoring pages and the static files in its cache (the list comes from
 *    /expert/offline/bundle/), marking <html data-offline-ready="1"> when done;
 *  - offers window.OfflineStore, the IndexedDB store checklist.js keeps every typed
 *    value in (store "items", one record per assessment and item) and the photo queue
 *    (store "photos": blobs waiting for upload).
 * Photos are uploaded by checklist.js through the API's photo endpoint when online; an
 * endpoint answering 404 (not deployed yet) leaves the photo queued.
 */
(function () {
  "use strict";

  var DB_NAME = "accreditation-offline";
  var DB_VERSION = 1;
  var dbPromise = null;

  function open() {
    if (dbPromise) return dbPromise;
    dbPromise = new Promise(function (resolve, reject) {
      if (!window.indexedDB) {
        reject(new Error("no IndexedDB"));
        return;
      }
      var request = window.indexedDB.open(DB_NAME, DB_VERSION);
      request.onupgradeneeded = function () {
        var db = request.result;
        if (!db.objectStoreNames.contains("items")) db.createObjectStore("items");
        if (!db.objectStoreNames.contains("photos"))
          db.createObjectStore("photos", { keyPath: "id", autoIncrement: true });
      };
      request.onsuccess = function () {
        resolve(request.result);
      };
      request.onerror = function () {
        reject(request.error);
      };
    });
    return dbPromise;
  }

  // Writes not yet committed, on <html data-store-writes> (tests wait for 0).
  var writes = 0;
  function counted(delta) {
    writes += delta;
    document.documentElement.dataset.storeWrites = String(writes);
  }

  function run(store, mode, action) {
    if (mode === "readwrite") counted(1);
    var settled = function (value) {
      if (mode === "readwrite") counted(-1);
      return value;
    };
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(store, mode);
        var result;
        var request = action(tx.objectStore(store));
        if (request) {
          request.onsuccess = function () {
            result = request.result;
          };
        }
        tx.oncomplete = function () {
          resolve(result);
        };
        tx.onerror = function () {
          reject(tx.error);
        };
        tx.onabort = function () {
          reject(tx.error);
        };
      });
    }).then(settled, function (error) {
      settled();
      throw error;
    });
  }

  function all(store) {
    return run(store, "readonly", function (s) {
      return s.getAll();
    });
  }

  window.OfflineStore = {
    get: function (key) {
      return run("items", "readonly", function (s) {
        return s.get(key);
      });
    },
    set: function (key, value) {
      return run("items", "readwrite", function (s) {
        return s.put(value, key);
      });
    },
    remove: function (key) {
      return run("items", "readwrite", function (s) {
        return s.delete(key);
      });
    },
    // Every record whose key starts with prefix, as {key: value}.
    withPrefix: function (prefix) {
      return run("items", "readonly", function (s) {
        return s.getAllKeys();
      }).then(function (keys) {
        return run("items", "readonly", function (s) {
          return s.getAll();
        }).then(function (values) {
          var out = {};
          keys.forEach(function (key, i) {
            if (String(key).indexOf(prefix) === 0) out[key] = values[i];
          });
          return out;
        });
      });
    },
    photoAdd: function (record) {
      return run("photos", "readwrite", function (s) {
        return s.add(record);
      });
    },
    photoRemove: function (id) {
      return run("photos", "readwrite", function (s) {
        return s.delete(id);
      });
    },
    photos: function (assessment) {
      return all("photos").then(function (rows) {
        return rows.filter(function (row) {
          return String(row.assessment) === String(assessment);
        });
      });
    },
  };

  // --- service worker and the offline bundle -----------------------------------------

  function keepBundle() {
    var bundleUrl = document.documentElement.dataset.offlineBundle;
    if (!bundleUrl || !window.caches) return Promise.resolve();
    return fetch(bundleUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        if (!r.ok) throw new Error("bundle " + r.status);
        return r.json();
      })
      .then(function (bundle) {
        return caches.open(bundle.cache).then(function (cache) {
          var urls = bundle.static.concat(bundle.pages);
          return Promise.all(
            urls.map(function (url) {
              return fetch(url, { credentials: "same-origin" }).then(function (response) {
                if (response.ok && !response.redirected) return cache.put(url, response);
                return null;
              });
            })
          );
        });
      });
  }

  if ("serviceWorker" in navigator && document.documentElement.dataset.serviceWorker) {
    navigator.serviceWorker
      .register(document.documentElement.dataset.serviceWorker, { scope: "/" })
      .then(function () {
        return navigator.serviceWorker.ready;
      })
      .then(function () {
        return navigator.onLine ? keepBundle() : null;
      })
      .then(function () {
        // The worker is active and the pages are cached: the next load works offline.
        document.documentElement.dataset.offlineReady = "1";
      })
      .catch(function () {
        /* offline use unavailable (private mode, old browser): online use continues */
      });
  }
})();
