/*
 * verdict — client-side search for the default theme.
 *
 * No dependencies, nothing from other hosts. The search box ships hidden in the
 * page (so nothing dead shows without JavaScript); this script un-hides it and, on
 * first use, loads the site's full-text index: the Pagefind bundle at the
 * `data-search-bundle` URL of `.search` (its `pagefind.js` module, which fetches
 * only the index chunks of the words typed and the fragments of the results shown).
 *
 * ARIA 1.2 combobox: the input keeps focus, the results are a listbox of
 * options (real links, so they also work with a mouse, middle-click and
 * "open in new tab"), the active one is announced through
 * aria-activedescendant, and a polite live region announces the count.
 * Text from the index goes in through textContent: an excerpt is split at its
 * <mark> tags, and each piece is decoded as inert text.
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

  // The text of an HTML fragment, without running or loading anything (DOMParser
  // documents are inert).
  var parser = null;
  function textOf(html) {
    if (html.indexOf("&") === -1 && html.indexOf("<") === -1) {
      return html;
    }
    parser = parser || new DOMParser();
    return parser.parseFromString(html, "text/html").documentElement.textContent || "";
  }

  // Appends an excerpt to `node`: the words Pagefind marked go in <mark> elements.
  function appendExcerpt(node, excerpt) {
    var parts = String(excerpt || "").split(/(<mark>|<\/mark>)/);
    var marked = false;
    for (var i = 0; i < parts.length; i++) {
      if (parts[i] === "<mark>") {
        marked = true;
      } else if (parts[i] === "</mark>") {
        marked = false;
      } else if (parts[i]) {
        var text = document.createTextNode(textOf(parts[i]));
        if (marked) {
          var mark = document.createElement("mark");
          mark.appendChild(text);
          node.appendChild(mark);
        } else {
          node.appendChild(text);
        }
      }
    }
  }

  // One result from Pagefind's data for a page: the best section (the first of
  // `sub_results`, which Pagefind ranks) when it is not the page's top.
  function toHit(data) {
    if (!data || !safeUrl(data.url)) {
      return null;
    }
    var meta = data.meta || {};
    var title = String(meta.title || data.url);
    var hit = {
      title: title,
      url: data.url,
      contenders: String(meta.contenders || ""),
      section: null,
      excerpt: String(data.excerpt || "")
    };
    var sub = (data.sub_results || [])[0];
    if (sub && safeUrl(sub.url) && sub.url.indexOf("#") !== -1 && sub.title !== title) {
      hit.url = sub.url;
      hit.section = String(sub.title || "");
      hit.excerpt = String(sub.excerpt || hit.excerpt);
    }
    return hit;
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

    var pagefind = null;
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
        loading = import(bundle + "pagefind.js")
          .then(function (module) {
            // Result URLs are root-relative already (with the site's base path).
            return module.options({ baseUrl: "/", excerptLength: 24 }).then(function () {
              return module.init();
            }).then(function () {
              pagefind = module;
            });
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
      if (pagefind === null && !failed) {
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
    // last query typed is asked (Pagefind answers in order, so a queue of every prefix
    // typed would delay the last one). A query whose answer is stale is not shown.
    var running = false;
    var waiting = null;
    function ask(query) {
      var mine = ++asked;
      if (running) {
        waiting = query;
        return;
      }
      running = true;
      pagefind.search(query)
        .then(function (found) {
          var results = (found && found.results) || [];
          if (mine !== asked) {
            return null; // not worth fetching the fragments of a stale answer
          }
          return Promise.all(results.slice(0, MAX_RESULTS).map(function (r) {
            return r.data();
          })).then(function (data) {
            return { total: results.length, data: data };
          });
        })
        .then(function (answer) {
          if (answer && mine === asked) {
            hits = answer.data.map(toHit).filter(Boolean);
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
    if (!window.fetch || !window.URL || !window.DOMParser || !window.Promise ||
        !window.WebAssembly || !document.querySelectorAll) {
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
