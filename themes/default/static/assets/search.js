/*
 * verdict — client-side search for the default theme.
 *
 * No dependencies, nothing from other hosts. The search box ships hidden in the
 * page (so nothing dead shows without JavaScript); this script un-hides it and, on
 * first use, loads the manifest of the site's full-text index at the
 * `data-search-bundle` URL of `.search` (`meta.json`), then fetches only the
 * shards of the words typed (`t/<first letters>.json`) and the records of the
 * results shown (`d/<n>.json`), each once.
 *
 * ARIA 1.2 combobox: the input keeps focus, the results are a listbox of
 * options (real links, so they also work with a mouse, middle-click and
 * "open in new tab"), the active one is announced through
 * aria-activedescendant, and a polite live region announces the count.
 * Text from the index goes in as text nodes only: an excerpt is built here from
 * the record's prose, the matched words in <mark> elements.
 */
(function () {
  "use strict";

  var MAX_RESULTS = 8;

  // Only same-site paths and http(s) links become result links (never `javascript:`).
  function safeUrl(url) {
    if (typeof url !== "string") {
      return false;
    }
    try {
      var parsed = new URL(url, window.location.href);
      return parsed.protocol === "http:" || parsed.protocol === "https:";
    } catch (e) {
      return false;
    }
  }

  // Words as the index cuts them: runs of letters and digits, lower-cased.
  var WORD = /[\p{Alphabetic}\p{N}]+/gu;
  function words(text) {
    return (String(text).toLowerCase().match(WORD) || []).filter(function (w) {
      return Array.from(w).length <= 40;
    });
  }

  // A shard's file name: its key, or `_` and the hex of the key's UTF-8 bytes.
  function fileName(key) {
    if (/^[a-z0-9]+$/.test(key)) {
      return key;
    }
    var bytes = new TextEncoder().encode(key);
    var name = "_";
    for (var i = 0; i < bytes.length; i++) {
      name += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16);
    }
    return name;
  }

  // The index under `base` (the `data-search-bundle` URL): `meta.json`, then shards and
  // records on demand, each fetched once.
  function Index(base, meta) {
    var cache = {};
    var keys = {};
    meta.shards.forEach(function (k) { keys[k] = true; });
    function get(path) {
      if (!cache[path]) {
        cache[path] = fetch(base + path + "?v=" + encodeURIComponent(meta.version))
          .then(function (response) {
            if (!response.ok) {
              throw new Error(response.status + " for " + path);
            }
            return response.json();
          });
      }
      return cache[path];
    }
    // The shards that hold `word` (and, as a prefix, the words it starts).
    function shardsOf(word, prefix) {
      var chars = Array.from(word);
      var found = [];
      for (var n = Math.min(chars.length, 6); n >= 1; n--) {
        var key = chars.slice(0, n).join("");
        if (keys[key]) {
          found.push(key);
          break;
        }
      }
      if (prefix) {
        meta.shards.forEach(function (k) {
          if (k !== word && k.indexOf(word) === 0 && found.indexOf(k) === -1) {
            found.push(k);
          }
        });
      }
      return found;
    }
    // Stem `n`'s postings in `shard`, decoded once: documents and their scores.
    function postings(shard, n) {
      var decoded = shard.decoded || (shard.decoded = []);
      if (!decoded[n]) {
        var list = shard.p[n] || [];
        var docs = new Int32Array(list.length >> 1);
        var scores = new Uint8Array(list.length >> 1);
        var doc = 0;
        for (var i = 0, j = 0; i + 1 < list.length; i += 2, j++) {
          doc += list[i];
          docs[j] = doc;
          scores[j] = list[i + 1];
        }
        decoded[n] = { docs: docs, scores: scores };
      }
      return decoded[n];
    }
    // One word: its best score in each document (`best`, by document number), the
    // documents it is in, and the words of the text that count as it. The answers
    // to the last words asked are kept, so a query typed on reuses its first words.
    var looked = {};
    var lookedCount = 0;
    function lookUp(word, prefix) {
      var key = (prefix ? "*" : "=") + word;
      if (looked[key]) {
        return looked[key];
      }
      if (++lookedCount > 64) {
        looked = {};
        lookedCount = 1;
      }
      looked[key] = Promise.all(shardsOf(word, prefix).map(function (shardKey) {
        return get("t/" + fileName(shardKey) + ".json");
      })).then(function (shards) {
        var best = new Uint8Array(meta.documents);
        var docs = [];
        var surfaces = new Set();
        shards.forEach(function (shard) {
          var stems = new Set();
          shard.w.forEach(function (entry) {
            if (entry[0] === word || (prefix && entry[0].indexOf(word) === 0)) {
              stems.add(entry[1]);
            }
          });
          shard.w.forEach(function (entry) {
            if (stems.has(entry[1])) {
              surfaces.add(entry[0]);
            }
          });
          stems.forEach(function (n) {
            var p = postings(shard, n);
            for (var i = 0; i < p.docs.length; i++) {
              var doc = p.docs[i];
              if (best[doc] === 0) {
                docs.push(doc);
              }
              if (p.scores[i] > best[doc]) {
                best[doc] = p.scores[i];
              }
            }
          });
        });
        return { best: best, docs: docs, surfaces: surfaces };
      });
      return looked[key];
    }
    // Whether a result scored `score` for document `doc` goes before `other`.
    function before(score, doc, other) {
      return score > other[0] || (score === other[0] && doc < other[1]);
    }
    // Every word must match (the last one also as the start of a word, from three
    // letters on); the best scores first, then the newest. Only the first
    // MAX_RESULTS are ranked; `total` counts them all.
    this.search = function (query) {
      var terms = words(query);
      var last = terms.length - 1;
      return Promise.all(terms.map(function (word, i) {
        return lookUp(word, i === last && /\p{L}/u.test(word) && Array.from(word).length >= 3);
      })).then(function (found) {
        var surfaces = new Set();
        if (!found.length) {
          return { ranked: [], total: 0, surfaces: surfaces };
        }
        found.forEach(function (f) {
          f.surfaces.forEach(function (s) { surfaces.add(s); });
        });
        // Walk the documents of the rarest word; the others are looked up by number.
        var rarest = found.reduce(function (a, b) {
          return b.docs.length < a.docs.length ? b : a;
        });
        var top = [];
        var total = 0;
        rarest.docs.forEach(function (doc) {
          var score = 0;
          for (var i = 0; i < found.length; i++) {
            var s = found[i].best[doc];
            if (!s) {
              return;
            }
            score += s;
          }
          total++;
          if (top.length < MAX_RESULTS || before(score, doc, top[top.length - 1])) {
            var at = top.length;
            while (at > 0 && before(score, doc, top[at - 1])) {
              at--;
            }
            top.splice(at, 0, [score, doc]);
            if (top.length > MAX_RESULTS) {
              top.pop();
            }
          }
        });
        return {
          ranked: top.map(function (entry) { return entry[1]; }),
          total: total,
          surfaces: surfaces
        };
      });
    };
    this.record = function (n) {
      return get("d/" + n + ".json");
    };
  }

  // Pieces of an excerpt of `text` around offset `at`: [text, marked] pairs, the
  // words in `surfaces` marked.
  var AROUND = 70;
  var LENGTH = 190;
  function excerpt(text, at, surfaces) {
    var start = Math.max(0, at - AROUND);
    if (start > 0) {
      var space = text.indexOf(" ", start);
      start = space !== -1 && space < at ? space + 1 : start;
    }
    var end = Math.min(text.length, start + LENGTH);
    if (end < text.length) {
      var cut = text.lastIndexOf(" ", end);
      end = cut > at ? cut : end;
    }
    var part = text.slice(start, end);
    var pieces = [];
    var last = 0;
    var match;
    WORD.lastIndex = 0;
    while ((match = WORD.exec(part)) !== null) {
      if (surfaces.has(match[0].toLowerCase())) {
        pieces.push([part.slice(last, match.index), false]);
        pieces.push([match[0], true]);
        last = match.index + match[0].length;
      }
    }
    pieces.push([part.slice(last), false]);
    if (start > 0) {
      pieces.unshift(["… ", false]);
    }
    if (end < text.length) {
      pieces.push([" …", false]);
    }
    return pieces.filter(function (p) { return p[0]; });
  }

  // The first place in `text` where a word of `surfaces` is, or -1.
  function firstMatch(text, surfaces) {
    var match;
    WORD.lastIndex = 0;
    while ((match = WORD.exec(text)) !== null) {
      if (surfaces.has(match[0].toLowerCase())) {
        return match.index;
      }
    }
    return -1;
  }

  // One result from a document's record: the first section where a word matches (its
  // heading or its prose), or the start of the article.
  function toHit(record, surfaces) {
    if (!record || !safeUrl(record.u)) {
      return null;
    }
    var sections = record.s || [];
    var hit = {
      title: String(record.t || record.u),
      url: record.u,
      contenders: String(record.c || ""),
      section: null,
      excerpt: []
    };
    for (var i = 0; i < sections.length; i++) {
      var id = sections[i][0], heading = String(sections[i][1] || ""), text = String(sections[i][2] || "");
      var at = firstMatch(text, surfaces);
      var inHeading = heading && firstMatch(heading, surfaces) !== -1;
      if (at !== -1 || inHeading) {
        if (id && heading) {
          hit.url = record.u + "#" + encodeURIComponent(id);
          hit.section = heading;
        }
        hit.excerpt = excerpt(text, Math.max(at, 0), surfaces);
        return hit;
      }
    }
    var first = sections.length ? String(sections[0][2] || "") : "";
    hit.excerpt = excerpt(first, 0, surfaces);
    return hit;
  }

  // Appends an excerpt's pieces to `node` as text, the marked ones in <mark> elements.
  function appendExcerpt(node, pieces) {
    pieces.forEach(function (piece) {
      var text = document.createTextNode(piece[0]);
      if (piece[1]) {
        var mark = document.createElement("mark");
        mark.appendChild(text);
        node.appendChild(mark);
      } else {
        node.appendChild(text);
      }
    });
  }

  function setup(root) {
    var input = root.querySelector("input");
    var list = root.querySelector("[role='listbox']");
    var popup = root.querySelector(".search-popup");
    var note = root.querySelector(".search-note");
    var status = root.querySelector("[role='status']");
    var form = root.querySelector("form");
    var bundle = root.getAttribute("data-search-bundle");
    if (!input || !list || !popup || !note || !status || !bundle) {
      return;
    }

    var index = null;
    var loading = null;
    var failed = false;
    var hits = [];
    var total = 0;
    var active = -1;
    var lastQuery = null;
    var shownQuery = null;
    var asked = 0;

    function load() {
      if (!loading) {
        loading = fetch(bundle + "meta.json", { cache: "no-cache" })
          .then(function (response) {
            if (!response.ok) {
              throw new Error(response.status + " for meta.json");
            }
            return response.json();
          })
          .then(function (meta) {
            index = new Index(bundle, meta);
          })
          .catch(function () {
            failed = true;
          })
          .then(update);
      }
      return loading;
    }

    function announce(text) {
      if (status.textContent !== text) {
        status.textContent = text;
      }
    }

    function open(isOpen) {
      popup.hidden = !isOpen;
      input.setAttribute("aria-expanded", isOpen && hits.length ? "true" : "false");
      root.classList.toggle("is-open", isOpen);
    }

    function setActive(i) {
      var options = list.querySelectorAll("[role='option']");
      if (active >= 0 && options[active]) {
        options[active].setAttribute("aria-selected", "false");
        options[active].classList.remove("is-active");
      }
      active = i;
      if (active >= 0 && options[active]) {
        options[active].setAttribute("aria-selected", "true");
        options[active].classList.add("is-active");
        input.setAttribute("aria-activedescendant", options[active].id);
        if (options[active].scrollIntoView) {
          options[active].scrollIntoView({ block: "nearest" });
        }
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function el(tag, className, text) {
      var node = document.createElement(tag);
      if (className) {
        node.className = className;
      }
      if (text != null) {
        node.textContent = text;
      }
      return node;
    }

    function render(query) {
      list.textContent = "";
      setActive(-1);
      hits.forEach(function (hit, i) {
        var option = el("a", "search-result");
        option.id = input.id + "-option-" + i;
        option.href = hit.url;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.tabIndex = -1;
        option.appendChild(el("span", "search-result-title", hit.title));
        if (hit.contenders) {
          option.appendChild(el("span", "search-result-contenders", hit.contenders));
        }
        if (hit.section) {
          option.appendChild(el("span", "search-result-section", "§ " + hit.section));
        }
        if (hit.excerpt) {
          var excerpt = el("span", "search-result-excerpt");
          appendExcerpt(excerpt, hit.excerpt);
          option.appendChild(excerpt);
        }
        option.addEventListener("mousemove", function () {
          if (active !== i) {
            setActive(i);
          }
        });
        list.appendChild(option);
      });
      var text = "";
      if (failed) {
        text = "Search is not available right now.";
      } else if (!hits.length) {
        text = "No comparison matches “" + query.trim() + "”.";
      } else if (total > hits.length) {
        text = (total - hits.length) + " more: add a word to narrow the search.";
      }
      note.textContent = text;
      note.hidden = !text;
    }

    function show(query) {
      shownQuery = query;
      list.setAttribute("aria-busy", "false");
      render(query);
      open(true);
      if (failed) {
        announce("Search is not available right now.");
      } else if (!hits.length) {
        announce("No results.");
      } else {
        announce(total + (total === 1 ? " result" : " results") +
          ". Use the up and down arrow keys to pick one.");
      }
    }

    function update() {
      var query = input.value;
      if (!query.trim()) {
        asked++;
        hits = [];
        total = 0;
        lastQuery = query;
        shownQuery = null;
        list.textContent = "";
        note.textContent = "";
        setActive(-1);
        open(false);
        announce("");
        return;
      }
      if (index === null && !failed) {
        announce("Loading search…");
        load();
        return;
      }
      if (query === lastQuery && !popup.hidden) {
        return;
      }
      lastQuery = query;
      if (failed) {
        hits = [];
        total = 0;
        show(query);
        return;
      }
      if (query === shownQuery) {
        show(query); // re-open with the same results
        return;
      }
      ask(query);
    }

    // One search at a time: keys typed while one runs wait for it, and then only the
    // last query typed is asked (a queue of every prefix typed would fetch the records
    // of answers nobody reads). A query whose answer is stale is not shown.
    var running = false;
    var waiting = null;
    function ask(query) {
      var mine = ++asked;
      list.setAttribute("aria-busy", "true");
      if (running) {
        waiting = query;
        return;
      }
      running = true;
      index.search(query)
        .then(function (found) {
          if (mine !== asked) {
            return null; // not worth fetching the records of a stale answer
          }
          return Promise.all(found.ranked.slice(0, MAX_RESULTS).map(function (n) {
            return index.record(n);
          })).then(function (records) {
            return {
              total: found.total,
              hits: records.map(function (r) { return toHit(r, found.surfaces); })
            };
          });
        })
        .then(function (answer) {
          if (answer && mine === asked) {
            hits = answer.hits.filter(Boolean);
            total = Math.max(answer.total, hits.length);
            show(query);
          }
        }, function () {
          if (mine === asked) {
            failed = true;
            hits = [];
            total = 0;
            show(query);
          }
        })
        .then(function () {
          running = false;
          var next = waiting;
          waiting = null;
          if (next !== null && next === input.value && !failed) {
            ask(next);
          }
        });
    }

    function go(i) {
      var options = list.querySelectorAll("[role='option']");
      if (options[i]) {
        window.location.href = options[i].href;
      }
    }

    input.addEventListener("focus", load);
    input.addEventListener("input", function () {
      lastQuery = null;
      update();
    });

    input.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey || event.isComposing) {
        return;
      }
      var count = list.querySelectorAll("[role='option']").length;
      switch (event.key) {
        case "ArrowDown":
        case "Down":
          event.preventDefault();
          if (popup.hidden) {
            lastQuery = null;
            update();
            if (popup.hidden) {
              return;
            }
          }
          if (count) {
            setActive(active + 1 >= count ? 0 : active + 1);
          }
          break;
        case "ArrowUp":
        case "Up":
          event.preventDefault();
          if (popup.hidden) {
            lastQuery = null;
            update();
            if (popup.hidden) {
              return;
            }
          }
          if (count) {
            setActive(active <= 0 ? count - 1 : active - 1);
          }
          break;
        case "Enter":
          if (!popup.hidden && count) {
            event.preventDefault();
            go(active >= 0 ? active : 0);
          }
          break;
        case "Escape":
        case "Esc":
          if (!popup.hidden) {
            event.preventDefault();
            setActive(-1);
            open(false);
          } else if (input.value) {
            event.preventDefault();
            input.value = "";
            update();
          }
          break;
        case "Home":
        case "End":
          setActive(-1); // caret keys move the caret in the input again
          break;
        default:
          break;
      }
    });

    // Enter in the input never reloads the page.
    if (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
      });
    }

    // A click in the popup must not blur the input first.
    popup.addEventListener("mousedown", function (event) {
      event.preventDefault();
    });

    // Close when focus or a click goes elsewhere.
    root.addEventListener("focusout", function (event) {
      if (!event.relatedTarget || !root.contains(event.relatedTarget)) {
        setActive(-1);
        open(false);
      }
    });
    document.addEventListener("pointerdown", function (event) {
      if (!root.contains(event.target)) {
        setActive(-1);
        open(false);
      }
    });
    // Re-open with the same results when the input is focused again.
    input.addEventListener("click", function () {
      if (popup.hidden && input.value.trim()) {
        lastQuery = null;
        update();
      }
    });

    root.hidden = false;
    document.documentElement.classList.add("has-search");
  }

  function init() {
    if (!window.fetch || !window.URL || !window.Promise || !window.Map || !window.Set ||
        !window.TextEncoder || !document.querySelectorAll) {
      return;
    }
    var roots = document.querySelectorAll(".search[data-search-bundle]");
    for (var i = 0; i < roots.length; i++) {
      setup(roots[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
