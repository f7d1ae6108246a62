/* Autosave per item with optimistic concurrency, for the self-assessment checklist
 * and the expert's scoring page. The page's #workspace names the item fields
 * (data-fields, JSON); "grade" is a radio group, "evidence_checked" a checkbox group,
 * the others text fields. With data-require-grade="1" nothing is sent before a grade
 * is chosen (the values are still kept).
 *
 * Every change is saved with the version the values were edited from: with
 * data-save-api="1" through the API (PATCH /api/v1/assessments/<id>/items/<code>/,
 * session and CSRF, answering the saved row), otherwise by POST to the page's own
 * endpoint (answering {"item": row}). Refusals come in the one error shape,
 * {"error": {code, message, fields, details}}. One request per item is in flight at a
 * time; changes made meanwhile are sent after it returns, with the new version. A
 * stale version (409 stale_version, the stored values in details.current) opens a
 * conflict panel showing the other person's values, and who saved them when the item
 * names a data-last-save-url: "use theirs" takes them, "keep mine" re-sends mine with
 * their version. Unsaved values are also kept in
 * localStorage until saved, so a closed tab or a lost connection loses nothing.
 * After saves the summary (progress, provisional level, gap plan) is refreshed.
 */
(function () {
  "use strict";

  var workspace = document.getElementById("workspace");
  if (!workspace) return;
  var T = JSON.parse(document.getElementById("checklist-i18n").textContent);
  var reusableScript = document.getElementById("reusable-files");
  var REUSABLE = reusableScript ? JSON.parse(reusableScript.textContent) : [];
  var csrf = workspace.querySelector("input[name=csrfmiddlewaretoken]").value;
  var editable = workspace.dataset.editable === "1";
  var storagePrefix =
    (workspace.dataset.storage || "checklist") + ":" + workspace.dataset.assessment + ":";
  var FIELDS = JSON.parse(workspace.dataset.fields || '["grade","na_reason","metric_value","note"]');
  var requireGrade = workspace.dataset.requireGrade === "1";
  var viaApi = workspace.dataset.saveApi === "1";
  var saveMethod = workspace.dataset.saveMethod || "PATCH";
  // Offline mode (the expert's scoring page): typed values live in IndexedDB
  // (offline.js) and are synced when the connection returns.
  var store = workspace.dataset.offline === "1" && window.OfflineStore ? window.OfflineStore : null;
  var controllers = [];
  var byCode = {};

  // --- helpers ---------------------------------------------------------------------

  function canonicalNumber(text) {
    var s = String(text == null ? "" : text).trim();
    if (/^-?\d+(\.\d+)?$/.test(s)) {
      if (s.indexOf(".") >= 0) s = s.replace(/0+$/, "").replace(/\.$/, "");
      s = s.replace(/^(-?)0+(?=\d)/, "$1");
      if (s === "-0") s = "0";
    }
    return s;
  }

  function normalise(values) {
    var grade = values.grade || "";
    var out = {};
    FIELDS.forEach(function (name) {
      var v = values[name];
      if (name === "grade") out.grade = grade;
      else if (name === "na_reason") out.na_reason = grade === "NA" ? String(v || "").trim() : "";
      else if (name === "metric_value") out.metric_value = canonicalNumber(v);
      else if (name === "evidence_checked")
        out.evidence_checked = (v || [])
          .map(Number)
          .sort(function (p, q) {
            return p - q;
          })
          .join(",");
      else out[name] = String(v == null ? "" : v).trim();
    });
    return out;
  }

  function same(a, b) {
    var x = normalise(a);
    var y = normalise(b);
    return FIELDS.every(function (name) {
      return x[name] === y[name];
    });
  }

  function pick(item) {
    var out = {};
    FIELDS.forEach(function (name) {
      var v = item[name];
      out[name] = name === "evidence_checked" ? (v || []).slice() : v == null ? "" : v;
    });
    return out;
  }

  function storage(action, code, value) {
    if (store) {
      var storeKey = storagePrefix + code;
      var done = action === "set" ? store.set(storeKey, value) : store.remove(storeKey);
      if (action !== "get") done.catch(function () {});
      return null;
    }
    try {
      var key = storagePrefix + code;
      if (action === "get") return JSON.parse(window.localStorage.getItem(key) || "null");
      if (action === "set") window.localStorage.setItem(key, JSON.stringify(value));
      if (action === "remove") window.localStorage.removeItem(key);
    } catch (e) {
      /* storage unavailable (private mode, quota): autosave still works */
    }
    return null;
  }

  function fileSize(bytes) {
    if (bytes < 1024) return bytes + " B";
    if (bytes < 1024 * 1024) return (bytes / 1024).toFixed(1) + " KB";
    return (bytes / 1024 / 1024).toFixed(1) + " MB";
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text != null) node.textContent = text;
    return node;
  }

  function send(method, url, body, isJson) {
    var headers = { "X-CSRFToken": csrf, Accept: "application/json" };
    if (isJson) headers["Content-Type"] = "application/json";
    return fetch(url, {
      method: method,
      headers: headers,
      body: isJson ? JSON.stringify(body) : body,
      credentials: "same-origin",
    }).then(function (response) {
      return response
        .json()
        .catch(function () {
          return {};
        })
        .then(function (data) {
          return {
            status: response.status,
            ok: response.ok,
            data: data,
            error: (data && data.error) || {},
          };
        });
    });
  }

  // Offline mode sends one save at a time: a reconnect syncs many items at once, and
  // one request after another is kinder to a poor connection (and to the database).
  var line = Promise.resolve();
  function queued(request) {
    if (!store) return request();
    var next = line.then(request, request);
    line = next.then(
      function () {},
      function () {}
    );
    return next;
  }

  function post(url, body, isJson) {
    return send("POST", url, body, isJson);
  }

  // The message of a refusal: an invalid request's field messages, else its message.
  function errorText(error) {
    var fields = error.fields || {};
    var parts = [];
    Object.keys(fields).forEach(function (name) {
      parts = parts.concat(fields[name]);
    });
    if (error.code === "invalid" && parts.length) return parts.join(" ");
    return error.message || T.error;
  }

  // --- summary refresh ---------------------------------------------------------------

  var summaryTimer = null;
  function refreshSummary() {
    clearTimeout(summaryTimer);
    summaryTimer = setTimeout(function () {
      fetch(workspace.dataset.summaryUrl, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
        .then(function (r) {
          return r.ok ? r.json() : null;
        })
        .then(function (data) {
          if (!data) return;
          // Server-rendered and escaped by the template.
          document.getElementById("summary").innerHTML = data.html;
          data.progress.chapters.forEach(function (c) {
            var bar = workspace.querySelector('[data-chapter-progress="' + c.code + '"]');
            var count = workspace.querySelector('[data-chapter-count="' + c.code + '"]');
            if (bar) {
              bar.max = c.applicable || 1;
              bar.value = c.answered;
            }
            if (count) count.textContent = c.answered + "/" + c.applicable;
          });
        })
        .catch(function () {
          /* the next save refreshes again */
        });
    }, 500);
  }

  // --- one item ----------------------------------------------------------------------

  function Item(el) {
    this.el = el;
    this.code = el.dataset.code;
    this.url = el.dataset.saveUrl;
    this.version = parseInt(el.dataset.version, 10);
    this.stateEl = el.querySelector('[data-role="state"]');
    this.conflictEl = el.querySelector('[data-role="conflict"]');
    this.inFlight = false;
    this.again = false;
    this.timer = null;
    this.confirming = false;
    this.retryDelay = 0;
    this.conflict = null;
    this.failed = false;
    this.saved = this.values();
    this.bind();
  }

  Item.prototype.field = function (name) {
    return this.el.querySelector('[data-field="' + name + '"]:not([type="radio"])');
  };

  Item.prototype.values = function () {
    var self = this;
    var out = {};
    FIELDS.forEach(function (name) {
      if (name === "grade") {
        var checked = self.el.querySelector('input[data-field="grade"]:checked');
        out.grade = checked ? checked.value : "";
      } else if (name === "evidence_checked") {
        out.evidence_checked = Array.prototype.map.call(
          self.el.querySelectorAll('input[data-field="evidence_checked"]:checked'),
          function (box) {
            return Number(box.value);
          }
        );
      } else {
        var input = self.field(name);
        out[name] = input ? input.value : "";
      }
    });
    return out;
  };

  Item.prototype.setValues = function (values) {
    var self = this;
    var grade = values.grade || "";
    this.el.querySelectorAll('input[data-field="grade"]').forEach(function (radio) {
      radio.checked = radio.value === grade;
    });
    var checked = (values.evidence_checked || []).map(Number);
    this.el.querySelectorAll('input[data-field="evidence_checked"]').forEach(function (box) {
      box.checked = checked.indexOf(Number(box.value)) >= 0;
    });
    FIELDS.forEach(function (name) {
      if (name === "grade" || name === "evidence_checked") return;
      var input = self.field(name);
      if (!input) return;
      input.value =
        name === "metric_value" ? canonicalNumber(values[name]) : values[name] || "";
    });
    this.showNa();
  };

  Item.prototype.showNa = function () {
    var box = this.el.querySelector('[data-role="na"]');
    var grade = this.values().grade;
    if (box) box.hidden = grade !== "NA";
    this.el.dataset.grade = grade;
  };

  Item.prototype.isDirty = function () {
    return !same(this.values(), this.saved);
  };

  Item.prototype.busy = function () {
    return this.inFlight || this.timer !== null || this.isDirty();
  };

  Item.prototype.setState = function (kind, text) {
    this.stateEl.className = "item__state item__state--" + kind;
    this.stateEl.textContent = text || "";
    this.el.dataset.state = kind;
    if (kind === "error") {
      var retry = element("button", "link-button", T.retry);
      retry.type = "button";
      var self = this;
      retry.addEventListener("click", function () {
        self.saveSoon(0);
      });
      this.stateEl.appendChild(document.createTextNode(" "));
      this.stateEl.appendChild(retry);
    }
  };

  Item.prototype.bind = function () {
    var self = this;
    if (!editable) return;
    this.el.querySelectorAll('input[data-field="grade"]').forEach(function (radio) {
      radio.addEventListener("change", function () {
        self.showNa();
        self.changed(0);
        if (radio.value === "NA") {
          var na = self.field("na_reason");
          if (na && !na.value) na.focus();
        }
      });
    });
    this.el.querySelectorAll('input[data-field="evidence_checked"]').forEach(function (box) {
      box.addEventListener("change", function () {
        self.changed(0);
      });
    });
    FIELDS.forEach(function (name) {
      if (name === "grade" || name === "evidence_checked") return;
      var input = self.field(name);
      if (!input) return;
      input.addEventListener("input", function () {
        self.changed(800);
      });
      input.addEventListener("change", function () {
        self.changed(0);
      });
    });
    var upload = this.el.querySelector('[data-role="upload"]');
    if (upload) {
      upload.addEventListener("change", function () {
        if (upload.files.length) self.upload(upload);
      });
    }
    this.el.addEventListener("change", function (event) {
      var revise = event.target.closest('[data-role="revise"]');
      if (revise && revise.files.length) self.upload(revise, revise.dataset.reviseUrl);
    });
    var source = this.el.querySelector('[data-role="reuse-source"]');
    if (source) {
      REUSABLE.forEach(function (f) {
        var option = element("option", null, f.label);
        option.value = f.id;
        source.appendChild(option);
      });
    }
    this.el.addEventListener("click", function (event) {
      var button = event.target.closest("[data-detach-url]");
      if (button) self.detach(button);
      var dates = event.target.closest("[data-dates-url]");
      if (dates) self.setDates(dates);
      if (event.target.closest('[data-role="confirm-carry"]')) {
        self.confirming = true;
        self.saveSoon(0);
      }
      if (event.target.closest('[data-role="reuse"]') && source && source.value)
        self.reuse(source);
    });
  };

  Item.prototype.changed = function (delay) {
    if (this.isDirty()) {
      storage("set", this.code, { version: this.version, values: this.values() });
      if (!this.conflict && !this.inFlight) this.setState("pending", T.unsaved);
    }
    this.saveSoon(delay);
  };

  Item.prototype.saveSoon = function (delay) {
    var self = this;
    clearTimeout(this.timer);
    this.timer = setTimeout(function () {
      self.timer = null;
      self.save();
    }, delay);
  };

  Item.prototype.save = function () {
    var self = this;
    if (this.conflict) return;
    if (this.inFlight) {
      this.again = true;
      return;
    }
    var sent = this.values();
    // Confirming a carried-over proposal sends the values as they stand.
    var confirming = this.confirming;
    this.confirming = false;
    if (same(sent, this.saved) && !confirming) {
      this.forget();
      if (this.el.dataset.state && this.el.dataset.state !== "saved") this.setState("saved", T.saved);
      return;
    }
    if (requireGrade && !sent.grade) {
      this.setState("pending", T.needGrade);
      return;
    }
    this.inFlight = true;
    this.failed = false;
    this.setState("saving", T.saving);
    var body = Object.assign(pick(sent), { version: this.version });
    if (body.metric_value === "") body.metric_value = null;
    queued(function () {
      return send(viaApi ? saveMethod : "POST", self.url, body, true);
    })
      .then(function (result) {
        self.inFlight = false;
        if (result.ok) {
          self.retryDelay = 0;
          self.accept(viaApi ? result.data : result.data.item);
          if (self.isDirty() || self.again) {
            self.again = false;
            self.saveSoon(0);
          } else {
            self.forget();
            self.setState("saved", T.saved);
          }
          refreshSummary();
        } else if (result.status === 409 && result.error.code === "stale_version") {
          self.again = false;
          self.conflictWith(result.error.details.current);
        } else if (result.status === 401) {
          self.failed = true;
          self.setState("error", T.session);
        } else if (store && result.status >= 500) {
          // A server hiccup while syncing: keep the values and retry with back-off.
          self.failed = true;
          self.setState("error", errorText(result.error));
          self.retryDelay = Math.min((self.retryDelay || 2500) * 2, 60000);
          self.saveSoon(self.retryDelay);
        } else {
          self.failed = true;
          self.again = false;
          self.setState("error", errorText(result.error));
        }
      })
      .catch(function () {
        // No connection: keep the values and retry with back-off.
        self.inFlight = false;
        self.failed = true;
        self.setState("error", T.offline);
        self.retryDelay = Math.min((self.retryDelay || 2500) * 2, 60000);
        self.saveSoon(self.retryDelay);
      });
  };

  // Nothing left to send: offline, the saved row is kept (a page served from the
  // cache later may be older than it); otherwise the backup is dropped.
  Item.prototype.forget = function () {
    if (store) storage("set", this.code, { version: this.version, values: this.saved, saved: this.saved });
    else storage("remove", this.code);
  };

  Item.prototype.accept = function (item) {
    this.version = item.version;
    this.el.dataset.version = String(item.version);
    this.saved = pick(item);
    this.el.dataset.grade = item.grade;
    // A saved proposal is the staff's own grade now (confirmed or changed).
    if (item.carry !== undefined && item.carry !== "proposed") {
      var badge = this.el.querySelector('[data-carry="proposed"]');
      if (badge) {
        badge.remove();
        countProposals();
      }
    }
  };

  // The banner's count of proposals still to confirm; gone with the last one.
  function countProposals() {
    var banner = document.getElementById("carried-proposed");
    if (!banner) return;
    var left = document.querySelectorAll('[data-carry="proposed"]').length;
    var count = banner.querySelector('[data-role="carried-count"]');
    if (count) count.textContent = String(left);
    banner.hidden = left === 0;
  }

  // A stale save's conflict panel, with who saved the stored values and when if the
  // page can tell (the API's conflict answer carries the values only).
  Item.prototype.conflictWith = function (current) {
    var self = this;
    var url = this.el.dataset.lastSaveUrl;
    if (!url) {
      this.showConflict(current);
      return;
    }
    this.conflict = current;
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) {
        return r.ok ? r.json() : {};
      })
      .catch(function () {
        return {};
      })
      .then(function (saved) {
        var who = {};
        if (saved.updated_by) who.updated_by = saved.updated_by;
        if (saved.updated_at) who.updated_at = saved.updated_at;
        self.showConflict(Object.assign({}, current, who));
      });
  };

  Item.prototype.showConflict = function (current, mineOverride) {
    var self = this;
    var mine = mineOverride || this.values();
    this.conflict = current;
    this.setState("conflict", T.conflict);
    var box = this.conflictEl;
    box.textContent = "";
    box.appendChild(element("h5", null, T.conflict));
    var who = current.updated_by || T.someone;
    var text = T.conflictText.replace("%(name)s", who);
    if (current.updated_at) text += " (" + current.updated_at + ")";
    box.appendChild(element("p", null, text));

    var table = element("table", "table conflict__table");
    var head = element("tr");
    head.appendChild(element("th", null, ""));
    head.appendChild(element("th", null, T.theirs));
    head.appendChild(element("th", null, T.mine));
    var thead = element("thead");
    thead.appendChild(head);
    table.appendChild(thead);
    var tbody = element("tbody");
    var theirs = pick(current);
    var a = normalise(theirs);
    var b = normalise(mine);
    var fileNames = {};
    self.el.querySelectorAll('input[data-field="evidence_checked"]').forEach(function (box) {
      fileNames[box.value] = box.dataset.name || box.value;
    });
    FIELDS.forEach(function (key) {
      if (key !== "grade" && !a[key] && !b[key]) return;
      var tr = element("tr");
      if (a[key] !== b[key]) tr.className = "conflict__differs";
      tr.appendChild(element("th", null, (T.fields && T.fields[key]) || key));
      var show = function (v) {
        if (key === "grade") return T.grades[v] || v || T.empty;
        if (key === "evidence_checked")
          return v
            ? v
                .split(",")
                .map(function (id) {
                  return fileNames[id] || id;
                })
                .join("、")
            : T.empty;
        return v === "" ? T.empty : v;
      };
      tr.appendChild(element("td", "conflict__theirs", show(a[key])));
      tr.appendChild(element("td", "conflict__mine", show(b[key])));
      tbody.appendChild(tr);
    });
    table.appendChild(tbody);
    box.appendChild(table);

    var actions = element("div", "conflict__actions");
    var useTheirs = element("button", "button button--small", T.theirs);
    useTheirs.type = "button";
    useTheirs.dataset.action = "theirs";
    var keepMine = element("button", "button button--small button--primary", T.mine);
    keepMine.type = "button";
    keepMine.dataset.action = "mine";
    actions.appendChild(useTheirs);
    actions.appendChild(keepMine);
    var merge = null;
    if (T.merge) {
      merge = element("button", "button button--small", T.merge);
      merge.type = "button";
      merge.dataset.action = "merge";
      actions.appendChild(merge);
    }
    box.appendChild(actions);
    box.hidden = false;

    useTheirs.addEventListener("click", function () {
      self.resolve(current, false);
    });
    keepMine.addEventListener("click", function () {
      if (mineOverride) self.setValues(mineOverride);
      self.resolve(current, true);
    });
    // Merge: my grade (theirs when I have none), both texts where they differ (theirs
    // first), the evidence either of us checked; left in the fields to edit, and saved.
    if (merge) {
      merge.addEventListener("click", function () {
        var merged = {};
        FIELDS.forEach(function (key) {
          var t = theirs[key];
          var m = mine[key];
          if (key === "grade") merged.grade = m || t;
          else if (key === "evidence_checked")
            merged.evidence_checked = (t || []).concat(
              (m || []).filter(function (id) {
                return (t || []).map(Number).indexOf(Number(id)) < 0;
              })
            );
          else {
            var ts = String(t == null ? "" : t).trim();
            var ms = String(m == null ? "" : m).trim();
            merged[key] = !ts ? ms : !ms || ts === ms ? ts : ts + "\n" + ms;
          }
        });
        self.setValues(merged);
        self.resolve(current, true);
      });
    }
  };

  Item.prototype.resolve = function (current, keepMine) {
    this.conflict = null;
    this.conflictEl.hidden = true;
    this.conflictEl.textContent = "";
    this.accept(current);
    if (keepMine) {
      this.save();
    } else {
      this.setValues(this.saved);
      this.forget();
      this.setState("saved", T.saved);
      refreshSummary();
    }
  };

  Item.prototype.renderAttachments = function (attachments, html) {
    var list = this.el.querySelector('[data-role="attachments"]');
    if (html !== undefined) {
      // Rendered and escaped by the server (_attachments.html): dates, revisions, flags.
      list.innerHTML = html;
      return;
    }
    list.textContent = "";
    attachments.forEach(function (a) {
      var li = element("li");
      li.dataset.attachment = a.id;
      var link = element("a", null, a.name);
      link.href = a.url;
      li.appendChild(link);
      li.appendChild(element("span", "muted small", fileSize(a.size)));
      var remove = element("button", "link-button", T.remove);
      remove.type = "button";
      remove.dataset.detachUrl = a.detach_url;
      li.appendChild(remove);
      list.appendChild(li);
    });
  };

  // A new file for the item (or, with url, a new revision of one of its files), with
  // the dates typed beside the upload button.
  Item.prototype.upload = function (input, url) {
    var self = this;
    var data = new FormData();
    data.append("item", this.code);
    data.append("file", input.files[0]);
    ["effective_on", "expires_on"].forEach(function (name) {
      var field = self.el.querySelector('[data-role="' + name + '"]');
      if (field && field.value) data.append(name, field.value);
    });
    this.setState("saving", T.uploading);
    this.attachmentPost(url || workspace.dataset.uploadUrl, data, T.uploaded).then(function () {
      input.value = "";
    });
  };

  // Post to one of the evidence endpoints; the item's files are drawn again from the
  // answer. Resolves to whether it succeeded; a refusal or no connection is shown on
  // the item.
  Item.prototype.attachmentPost = function (url, data, doneText) {
    var self = this;
    return post(url, data, false)
      .then(function (result) {
        if (result.ok) {
          self.renderAttachments(result.data.attachments, result.data.html);
          self.setState("saved", doneText);
        } else {
          self.setState("error", result.status === 401 ? T.session : errorText(result.error));
        }
        return result.ok;
      })
      .catch(function () {
        self.setState("error", T.offline);
        return false;
      });
  };

  Item.prototype.detach = function (button) {
    var self = this;
    if (!window.confirm(T.removeConfirm)) return;
    post(button.dataset.detachUrl, new FormData(), false).then(function (result) {
      if (result.ok) {
        self.renderAttachments(result.data.attachments, result.data.html);
        self.setState("saved", T.saved);
      } else {
        self.setState("error", errorText(result.error));
      }
    });
  };

  // Correct an attachment's effective date and expiry, without a new upload.
  Item.prototype.setDates = function (button) {
    var data = new FormData();
    button.parentNode.querySelectorAll("[data-dates-field]").forEach(function (field) {
      data.append(field.dataset.datesField, field.value);
    });
    this.setState("saving", T.saving);
    this.attachmentPost(button.dataset.datesUrl, data, T.saved);
  };

  Item.prototype.reuse = function (select) {
    var data = new FormData();
    data.append("item", this.code);
    data.append("source", select.value);
    this.setState("saving", T.uploading);
    this.attachmentPost(workspace.dataset.reuseUrl, data, T.uploaded).then(function (ok) {
      if (ok) select.value = "";
    });
  };

  Item.prototype.restore = function (record) {
    var backup = record === undefined ? storage("get", this.code) : record;
    if (!backup || !backup.values) return false;
    if (backup.saved) {
      // Offline record: the last saved row beside what was typed since.
      if (backup.version > this.version) {
        // This page (from the cache) predates a save made on this device.
        this.accept(Object.assign({}, backup.saved, { version: backup.version }));
        this.setValues(this.saved);
      }
      if (same(backup.values, backup.saved)) return false;
    }
    if (same(backup.values, this.saved)) {
      storage("remove", this.code);
      return false;
    }
    if (backup.version === this.version) {
      this.setValues(backup.values);
      this.setState("pending", T.restored);
      this.saveSoon(0);
    } else {
      // Saved by someone else since: let the person choose, as for a live conflict.
      var current = Object.assign({}, this.saved, { version: this.version });
      this.showConflict(current, backup.values);
    }
    return true;
  };

  // --- page --------------------------------------------------------------------------

  workspace.querySelectorAll("article.item").forEach(function (el) {
    var item = new Item(el);
    controllers.push(item);
    byCode[item.code] = item;
  });
  if (editable && store) {
    store
      .withPrefix(storagePrefix)
      .then(function (records) {
        controllers.forEach(function (item) {
          var record = records[storagePrefix + item.code];
          if (record) item.restore(record);
        });
      })
      .catch(function () {})
      .then(function () {
        workspace.dataset.restored = "1";
        syncStatus();
      });
  } else if (editable) {
    controllers.forEach(function (item) {
      item.restore();
    });
  }

  // --- sync status and the photo queue (offline mode) -----------------------------------

  var statusEl = document.getElementById("sync-status");
  var queuedPhotos = 0;

  function syncStatus() {
    if (!statusEl) return;
    var conflicts = 0;
    var pending = queuedPhotos;
    controllers.forEach(function (item) {
      if (item.conflict) conflicts += 1;
      else if (item.busy() || item.failed) pending += 1;
    });
    var online = navigator.onLine;
    var state;
    var text;
    if (conflicts) {
      state = "conflict";
      text = T.syncConflicts.replace("%(n)s", conflicts);
    } else if (pending && !online) {
      state = "offline";
      text = T.syncOffline.replace("%(n)s", pending);
    } else if (pending) {
      state = "syncing";
      text = T.syncPending.replace("%(n)s", pending);
    } else if (!online) {
      state = "offline";
      text = T.syncOfflineNone;
    } else {
      state = "synced";
      text = T.syncDone;
    }
    statusEl.dataset.state = state;
    statusEl.dataset.pending = String(pending);
    statusEl.dataset.conflicts = String(conflicts);
    statusEl.className = "sync-status sync-status--" + state;
    if (statusEl.textContent !== text) statusEl.textContent = text;
  }

  var uploading = false;
  function uploadPhotos() {
    if (!store || uploading) return;
    uploading = true;
    store
      .photos(workspace.dataset.assessment)
      .then(function (rows) {
        queuedPhotos = rows.length;
        return rows.reduce(function (chain, row) {
          return chain.then(function () {
            var item = byCode[row.item];
            if (!item || !navigator.onLine) return null;
            var data = new FormData();
            data.append("file", row.blob, row.name || "photo.jpg");
            if (row.caption) data.append("caption", row.caption);
            return send("POST", item.url + "photos/", data, false)
              .then(function (result) {
                if (result.ok) {
                  queuedPhotos -= 1;
                  item.photoState(row.id, "uploaded", T.photoUploaded);
                  return store.photoRemove(row.id);
                }
                if (result.status === 404) {
                  // The photo endpoint is not there (yet): keep the photo queued.
                  item.photoState(row.id, "queued", T.photoWaiting);
                  return null;
                }
                if (result.status >= 400 && result.status < 500 && result.status !== 401) {
                  // Refused (type, size): say why and drop it from the queue.
                  queuedPhotos -= 1;
                  item.photoState(row.id, "error", errorText(result.error));
                  return store.photoRemove(row.id);
                }
                return null;
              })
              .catch(function () {
                /* no connection: stays queued */
              });
          });
        }, Promise.resolve());
      })
      .catch(function () {})
      .then(function () {
        uploading = false;
        syncStatus();
      });
  }

  Item.prototype.photoState = function (id, kind, text) {
    var li = this.el.querySelector('[data-photo="' + id + '"]');
    if (!li) return;
    li.dataset.state = kind;
    var label = li.querySelector(".photo__state");
    if (label) label.textContent = text;
  };

  Item.prototype.showPhoto = function (row, kind, text) {
    var list = this.el.querySelector('[data-role="photos"]');
    if (!list) return;
    var li = element("li", "photo");
    li.dataset.photo = row.id;
    li.dataset.state = kind;
    var img = element("img", "photo__thumb");
    img.alt = row.name || "";
    img.src = URL.createObjectURL(row.blob);
    li.appendChild(img);
    li.appendChild(element("span", "photo__state muted small", text));
    list.appendChild(li);
  };

  if (store && editable) {
    controllers.forEach(function (item) {
      var input = item.el.querySelector('[data-role="photo"]');
      if (!input) return;
      input.addEventListener("change", function () {
        Array.prototype.forEach.call(input.files, function (file) {
          var row = {
            assessment: workspace.dataset.assessment,
            item: item.code,
            blob: file,
            name: file.name,
            caption: "",
            created: new Date().toISOString(),
          };
          store.photoAdd(row).then(function (id) {
            row.id = id;
            queuedPhotos += 1;
            item.showPhoto(row, "queued", T.photoQueued);
            syncStatus();
            uploadPhotos();
          });
        });
        input.value = "";
      });
    });
    store
      .photos(workspace.dataset.assessment)
      .then(function (rows) {
        queuedPhotos = rows.length;
        rows.forEach(function (row) {
          if (byCode[row.item]) byCode[row.item].showPhoto(row, "queued", T.photoQueued);
        });
        uploadPhotos();
      })
      .catch(function () {});
  }

  window.addEventListener("online", function () {
    controllers.forEach(function (item) {
      if (!item.conflict && !item.inFlight && (item.failed || item.isDirty())) {
        item.retryDelay = 0;
        item.saveSoon(0);
      }
    });
    uploadPhotos();
    syncStatus();
  });
  window.addEventListener("offline", syncStatus);
  if (statusEl) setInterval(syncStatus, 500);
  syncStatus();

  window.addEventListener("beforeunload", function (event) {
    var pending = controllers.some(function (item) {
      return item.busy() || item.conflict;
    });
    if (pending) {
      event.preventDefault();
      event.returnValue = T.leave;
      return T.leave;
    }
    return undefined;
  });

  // Filters: all / not graded / with comments / not saved.
  var chips = workspace.querySelectorAll("[data-filter]");
  chips.forEach(function (chip) {
    chip.addEventListener("click", function () {
      var filter = chip.dataset.filter;
      chips.forEach(function (c) {
        c.classList.toggle("chip--active", c === chip);
      });
      controllers.forEach(function (item) {
        var el = item.el;
        var show = true;
        if (filter === "ungraded") {
          show = !el.dataset.grade && !el.classList.contains("item--auto-na");
        } else if (filter === "returned") {
          show = el.dataset.returned === "1";
        } else if (filter === "unsaved") {
          show = item.busy() || item.conflict !== null || item.failed;
        }
        el.classList.toggle("item--filtered", !show);
      });
    });
  });

  // "Next item to grade": the first ungraded applicable item below the top of the view.
  var next = workspace.querySelector("[data-next-ungraded]");
  if (next) {
    next.addEventListener("click", function () {
      var candidates = controllers.filter(function (item) {
        var el = item.el;
        return (
          !el.dataset.grade &&
          !el.classList.contains("item--auto-na") &&
          !el.classList.contains("item--filtered")
        );
      });
      if (!candidates.length) return;
      var below = candidates.filter(function (item) {
        return item.el.getBoundingClientRect().top > 80;
      });
      var target = (below.length ? below : candidates)[0].el;
      target.scrollIntoView({ block: "start", behavior: "smooth" });
      var radio = target.querySelector('input[data-field="grade"]');
      if (radio) radio.focus({ preventScroll: true });
    });
  }

  // Submitting waits for the last saves; an unresolved conflict stops it.
  var submitForm = document.getElementById("submit-form");
  if (submitForm) {
    submitForm.addEventListener("submit", function (event) {
      var conflicted = controllers.filter(function (item) {
        return item.conflict;
      });
      if (conflicted.length) {
        event.preventDefault();
        conflicted[0].el.scrollIntoView({ block: "center" });
        return;
      }
      var busy = controllers.filter(function (item) {
        return item.busy();
      });
      if (!busy.length) return;
      event.preventDefault();
      var button = submitForm.querySelector("button");
      var label = button.textContent;
      button.disabled = true;
      button.textContent = T.waitSaves;
      busy.forEach(function (item) {
        if (!item.inFlight) item.saveSoon(0);
      });
      var waited = 0;
      var poll = setInterval(function () {
        waited += 200;
        var still = controllers.some(function (item) {
          return item.inFlight || item.timer !== null;
        });
        if (still && waited < 15000) return;
        clearInterval(poll);
        var blocked = controllers.filter(function (item) {
          return item.conflict || item.isDirty();
        });
        if (blocked.length) {
          button.disabled = false;
          button.textContent = label;
          blocked[0].el.scrollIntoView({ block: "center" });
          return;
        }
        submitForm.submit();
      }, 200);
    });
  }
})();
