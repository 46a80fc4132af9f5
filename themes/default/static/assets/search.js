/*
 * verdict — client-side search for the default theme.
 *
 * No dependencies, nothing from other hosts. The search box ships hidden in the
 * page (so nothing dead shows without JavaScript); this script un-hides it and
 * fetches the index (the `data-search-url` of `.search`, a JSON array of
 * {title, url, description, contenders, tags, headings}) on first use.
 *
 * ARIA 1.2 combobox: the input keeps focus, the results are a listbox of
 * options (real links, so they also work with a mouse, middle-click and
 * "open in new tab"), the active one is announced through
 * aria-activedescendant, and a polite live region announces the count.
 * Everything inserted comes from the index and goes in through textContent.
 */
(function () {
  "use strict";

  var MAX_RESULTS = 8;
  // Weight of a term found in each field; a term counts once, in its best field.
  var FIELDS = [
    ["title", 100],
    ["contenders", 60],
    ["tags", 35],
    ["headings", 20],
    ["description", 10]
  ];

  function fold(text) {
    var s = String(text == null ? "" : text).toLowerCase();
    if (s.normalize) {
      s = s.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
    }
    return s;
  }

  function terms(query) {
    return fold(query).split(/\s+/).filter(function (t) {
      return t.length > 0;
    });
  }

  function asList(value) {
    if (Array.isArray(value)) {
      return value.map(function (v) { return String(v == null ? "" : v); });
    }
    return value == null ? [] : [String(value)];
  }

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

  // Pre-folds every field once, when the index arrives.
  function prepare(raw) {
    if (!Array.isArray(raw)) {
      return [];
    }
    return raw.filter(function (doc) {
      return doc && safeUrl(doc.url) && typeof doc.title === "string";
    }).map(function (doc, order) {
      var headings = asList(doc.headings);
      return {
        order: order,
        title: String(doc.title),
        url: doc.url,
        description: String(doc.description || ""),
        headings: headings,
        folded: {
          title: [fold(doc.title)],
          contenders: asList(doc.contenders).map(fold),
          tags: asList(doc.tags).map(fold),
          headings: headings.map(fold),
          description: [fold(doc.description)]
        }
      };
    });
  }

  // Where `term` occurs in `texts`: 2 at the start of a word, 1 inside a word, 0 absent.
  var WORD_START = /[^0-9a-z\u00c0-\uffff]/;
  function matchIn(texts, term) {
    var best = 0;
    for (var i = 0; i < texts.length && best < 2; i++) {
      var text = texts[i];
      var at = text.indexOf(term);
      while (at !== -1) {
        if (at === 0 || WORD_START.test(text.charAt(at - 1))) {
          best = 2;
          break;
        }
        best = 1;
        at = text.indexOf(term, at + 1);
      }
    }
    return best;
  }

  function score(doc, queryTerms) {
    var total = 0;
    var heading = null;
    for (var i = 0; i < queryTerms.length; i++) {
      var term = queryTerms[i];
      var best = 0;
      for (var f = 0; f < FIELDS.length; f++) {
        var name = FIELDS[f][0];
        var hit = matchIn(doc.folded[name], term);
        if (hit) {
          var value = FIELDS[f][1] * (hit === 2 ? 1 : 0.6);
          if (value > best) {
            best = value;
          }
          if (name === "headings" && heading === null) {
            for (var h = 0; h < doc.folded.headings.length; h++) {
              if (doc.folded.headings[h].indexOf(term) !== -1) {
                heading = doc.headings[h];
                break;
              }
            }
          }
        }
      }
      if (best === 0) {
        return null; // every term must match somewhere
      }
      total += best;
    }
    return { doc: doc, score: total, heading: heading };
  }

  function search(index, query) {
    var queryTerms = terms(query);
    if (!queryTerms.length) {
      return [];
    }
    var hits = [];
    for (var i = 0; i < index.length; i++) {
      var hit = score(index[i], queryTerms);
      if (hit) {
        hits.push(hit);
      }
    }
    hits.sort(function (a, b) {
      return b.score - a.score || a.doc.order - b.doc.order;
    });
    return hits;
  }

  function setup(root) {
    var input = root.querySelector("input");
    var list = root.querySelector("[role='listbox']");
    var popup = root.querySelector(".search-popup");
    var note = root.querySelector(".search-note");
    var status = root.querySelector("[role='status']");
    var form = root.querySelector("form");
    var url = root.getAttribute("data-search-url");
    if (!input || !list || !popup || !note || !status || !url) {
      return;
    }

    var index = null;
    var loading = null;
    var failed = false;
    var hits = [];
    var active = -1;
    var lastQuery = null;

    function load() {
      if (!loading) {
        loading = fetch(url, { credentials: "same-origin" })
          .then(function (response) {
            if (!response.ok) {
              throw new Error("HTTP " + response.status);
            }
            return response.json();
          })
          .then(function (data) {
            index = prepare(data);
          })
          .catch(function () {
            failed = true;
            index = [];
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
      var shown = hits.slice(0, MAX_RESULTS);
      shown.forEach(function (hit, i) {
        var doc = hit.doc;
        var option = el("a", "search-result");
        option.id = input.id + "-option-" + i;
        option.href = doc.url;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.tabIndex = -1;
        option.appendChild(el("span", "search-result-title", doc.title));
        if (hit.heading) {
          option.appendChild(el("span", "search-result-section", "§ " + hit.heading));
        } else if (doc.description) {
          option.appendChild(el("span", "search-result-desc", doc.description));
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
      } else if (!shown.length) {
        text = "No comparison matches “" + query.trim() + "”.";
      } else if (hits.length > shown.length) {
        text = (hits.length - shown.length) + " more: add a word to narrow the search.";
      }
      note.textContent = text;
      note.hidden = !text;
    }

    function update() {
      var query = input.value;
      if (!query.trim()) {
        hits = [];
        lastQuery = query;
        list.textContent = "";
        note.textContent = "";
        setActive(-1);
        open(false);
        announce("");
        return;
      }
      if (index === null) {
        announce("Loading search…");
        load();
        return;
      }
      if (query === lastQuery && !popup.hidden) {
        return;
      }
      lastQuery = query;
      hits = failed ? [] : search(index, query);
      render(query);
      open(true);
      if (failed) {
        announce("Search is not available right now.");
      } else if (!hits.length) {
        announce("No results.");
      } else {
        announce(hits.length + (hits.length === 1 ? " result" : " results") +
          ". Use the up and down arrow keys to pick one.");
      }
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
    if (!window.fetch || !window.URL || !document.querySelectorAll || !Array.isArray) {
      return;
    }
    var roots = document.querySelectorAll(".search[data-search-url]");
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
