/* The live board: reads /board/api/board with the viewer's credentials, draws it, keeps it fresh (SSE, else polling). */
(function () {
  "use strict";

  var POLL_MS = 5000;            // the contract: poll every 5 s when EventSource fails
  var RETRY_SSE_AFTER_POLLS = 12; // try the stream again about once a minute while polling
  var REQUEST_TIMEOUT_MS = 10000;
  var ZONE_LABELS = { "Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT" };
  var WINDOW_LABELS = { not_yet: "presensi belum dibuka", open: "presensi dibuka", closed: "presensi ditutup" };
  var STATUS_LABELS = {
    scheduled: "terjadwal", sending: "mengirim", done: "selesai", cancelled: "dibatalkan", missed: "terlewat"
  };
  var MESSAGES = {
    nocred: "Buka papan ini dari bot Telegram: tombol \u201cPapan\u201d di bawah /rekap, atau tautan dari /papan.",
    401: "Akses ditolak: data masuk tidak sah atau sudah kedaluwarsa. Tutup lalu buka lagi papan dari bot, " +
      "atau minta tautan baru dengan /papan.",
    403: "Papan ini hanya untuk koordinator (KPU dan PPK).",
    offline: "Server papan tidak dapat dihubungi. Mencoba lagi\u2026",
    broken: "Papan sedang bermasalah. Mencoba lagi\u2026"
  };

  var base = location.pathname.replace(/[^/]*$/, "");
  var number = new Intl.NumberFormat("id-ID");
  var credential = readCredential();
  var shown = null;       // the version on screen
  var zone = "Asia/Jakarta";
  var source = null;      // the EventSource while streaming
  var pollTimer = null;
  var pollsSinceStream = 0;
  var stopped = false;
  var map = null, markers = {}, fitZoom = 0;
  var lastTimeline = null, resizeTimer = null;

  function $(id) { return document.getElementById(id); }

  /* The projector link's token (?t=) or the Mini App's initData: from Telegram's script when it is there,
     else from the launch parameters Telegram puts in the URL fragment (what that script itself reads). */
  function readCredential() {
    var query = new URLSearchParams(location.search);
    var token = query.get("t");
    if (token) {
      // Keep the token off the projected address bar; a reload in this tab still finds it.
      try { sessionStorage.setItem("board-link", token); } catch (e) { /* private mode: reload needs the link */ }
      query.delete("t");
      var rest = query.toString();
      history.replaceState(null, "", location.pathname + (rest ? "?" + rest : "") + location.hash);
      return "link " + token;
    }
    var webApp = window.Telegram && window.Telegram.WebApp;
    var initData = webApp && webApp.initData;
    if (!initData && location.hash.length > 1) {
      initData = new URLSearchParams(location.hash.slice(1)).get("tgWebAppData");
    }
    if (initData) {
      if (webApp && typeof webApp.ready === "function") { webApp.ready(); }
      if (webApp && typeof webApp.expand === "function") { webApp.expand(); }
      return "tma " + initData;
    }
    try { token = sessionStorage.getItem("board-link"); } catch (e) { token = null; }
    return token ? "link " + token : null;
  }

  // ---- talking to the server -------------------------------------------------------------------------

  function setLink(state, text) {
    var node = $("link");
    if (!node) { return; }
    node.dataset.state = state;
    node.textContent = text;
  }

  function refuse(status, message) {
    // Nothing of the data stays on the page: the board and the viewer line go, only the message is left.
    stopped = true;
    if (source) { source.close(); source = null; }
    if (pollTimer) { clearTimeout(pollTimer); pollTimer = null; }
    var board = $("board");
    if (board) { board.remove(); }
    map = null; markers = {};
    $("viewer").textContent = "";
    $("updated").textContent = "";
    var link = $("link");
    if (link) { link.remove(); }
    if (status === 401) {
      try { sessionStorage.removeItem("board-link"); } catch (e) { /* nothing kept */ }
    }
    notice(message || MESSAGES[status]);
  }

  function notice(text) {
    var node = $("notice");
    node.textContent = text || "";
    node.hidden = !text;
  }

  function fetchBoard() {
    var controller = new AbortController();
    var timer = setTimeout(function () { controller.abort(); }, REQUEST_TIMEOUT_MS);
    return fetch(base + "api/board", {
      headers: { Authorization: credential, Accept: "application/json" },
      cache: "no-store",
      signal: controller.signal
    }).then(function (response) {
      clearTimeout(timer);
      if (response.status === 401 || response.status === 403) {
        // The server says why in one Indonesian sentence; ours stands in if the body is not that JSON.
        var status = response.status;
        return response.json().then(function (body) {
          refuse(status, body && typeof body.message === "string" ? body.message : null);
          return null;
        }, function () { refuse(status, null); return null; });
      }
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    }, function (error) {
      clearTimeout(timer);
      throw error;
    });
  }

  function poll() {
    pollTimer = null;
    if (stopped) { return; }
    fetchBoard().then(function (data) {
      if (!data || stopped) { return; }
      apply(data);
      pollsSinceStream += 1;
      if (pollsSinceStream >= RETRY_SSE_AFTER_POLLS && window.EventSource) {
        stream();
        return;
      }
      setLink("polling", "diperbarui tiap 5 detik");
      schedulePoll();
    }).catch(function () {
      if (stopped) { return; }
      setLink("offline", "terputus, mencoba lagi");
      if (shown === null) { notice(MESSAGES.offline); }
      schedulePoll();
    });
  }

  function schedulePoll() {
    if (!stopped && pollTimer === null) { pollTimer = setTimeout(poll, POLL_MS); }
  }

  function stream() {
    pollsSinceStream = 0;
    var es = new EventSource(base + "api/events?auth=" + encodeURIComponent(credential));
    source = es;
    es.addEventListener("open", function () { setLink("live", "langsung"); });
    es.addEventListener("board", function (event) {
      try { apply(JSON.parse(event.data)); } catch (e) { /* a torn event: the next one or a poll mends it */ }
    });
    es.addEventListener("error", function () {
      // A refused stream (401) or a dropped one: fall back to polling, which also tells a refusal apart.
      es.close();
      if (source === es) { source = null; }
      if (stopped) { return; }
      setLink("polling", "diperbarui tiap 5 detik");
      if (pollTimer === null) { poll(); }
    });
  }

  function start() {
    if (!credential) { refuse("nocred"); return; }
    fetchBoard().then(function (data) {
      if (!data || stopped) { return; }
      apply(data);
      if (window.EventSource) { stream(); } else { setLink("polling", "diperbarui tiap 5 detik"); schedulePoll(); }
    }).catch(function (error) {
      if (stopped) { return; }
      notice(error && error.name === "TypeError" ? MESSAGES.offline : MESSAGES.broken);
      setLink("offline", "terputus, mencoba lagi");
      pollsSinceStream = RETRY_SSE_AFTER_POLLS - 1; // the first answer opens the stream
      schedulePoll();
    });
  }

  // ---- drawing -----------------------------------------------------------------------------------

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function pct(part, whole) { return whole > 0 ? Math.min(100, (100 * part) / whole) : 0; }

  function clock(iso) {
    if (!iso) { return ""; }
    return new Date(iso).toLocaleTimeString("id-ID", { hour: "2-digit", minute: "2-digit", timeZone: zone });
  }

  function day(iso) {
    if (!iso) { return ""; }
    return new Date(iso).toLocaleDateString("id-ID", { day: "numeric", month: "short", timeZone: zone });
  }

  function bar(part, whole, extra) {
    var b = el("div", "bar");
    b.setAttribute("aria-hidden", "true");
    if (extra !== undefined) {
      var reg = el("i", "reg");
      reg.style.width = pct(extra, whole) + "%";
      b.appendChild(reg);
    }
    var fill = el("i", "pres");
    fill.style.width = pct(part, whole) + "%";
    b.appendChild(fill);
    return b;
  }

  function replace(parent, children) {
    parent.textContent = "";
    children.forEach(function (child) { parent.appendChild(child); });
  }

  function apply(data) {
    if (stopped || !data || data.version === shown) { return; }
    shown = data.version;
    zone = data.zone || zone;
    notice("");
    var board = $("board");
    board.hidden = false;
    var zoneLabel = ZONE_LABELS[zone] || zone;
    var viewer = data.viewer || {};
    var scope = viewer.role === "ppk" && viewer.kecamatan ? "PPK Kec. " + viewer.kecamatan : "KPU Kab. Lebak";
    $("viewer").textContent = (viewer.name || "") + " \u00b7 " + scope + " \u00b7";
    $("updated").textContent = "data per " + clock(data.generated_at) + " " + zoneLabel + " \u00b7";
    drawTotals(data.totals || { present: 0, registered: 0, roster: 0 });
    drawDesa(data.desa_present || {});
    drawTimeline(checkInPart(data.timeline || [], data.kecamatan || []), zoneLabel);
    drawKecamatan(data.kecamatan || []);
    drawMap(data);
    drawProgram(data.program || []);
    drawDuties(data.duties || []);
  }

  function drawTotals(t) {
    $("total-present").textContent = number.format(t.present);
    $("total-registered").textContent = number.format(t.registered);
    $("total-roster").textContent = number.format(t.roster);
    $("total-percent").textContent = number.format(Math.round(pct(t.present, t.roster)));
    $("total-bar-reg").style.width = pct(t.registered, t.roster) + "%";
    $("total-bar-pres").style.width = pct(t.present, t.roster) + "%";
  }

  function drawDesa(counts) {
    replace($("desa-counts"), ["3", "2", "1", "0"].map(function (k) {
      var li = el("li", "n" + k);
      li.dataset.present = k;
      li.appendChild(el("b", null, number.format(counts[k] || 0)));
      li.appendChild(el("small", null, k + " hadir"));
      return li;
    }));
  }

  var SVG = "http://www.w3.org/2000/svg";
  function svg(tag, attrs, text) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  /* The timeline runs from the first window's opening to now; once every window has closed, the rest of
     the day is empty buckets that would squeeze the morning into a corner: show up to the last close (or
     ten minutes past the last check-in, if later). */
  function checkInPart(buckets, kecamatan) {
    var closes = 0, last = -1, end = -1;
    kecamatan.forEach(function (k) {
      if (k.venue && k.venue.closes_at) { closes = Math.max(closes, Date.parse(k.venue.closes_at)); }
    });
    buckets.forEach(function (b, i) {
      if (b.check_ins > 0) { last = i; }
      if (end < 0 && closes && Date.parse(b.at) >= closes) { end = i; }
    });
    if (end < 0) { return buckets; }  // a window is still open (or none is known): up to now
    return buckets.slice(0, Math.min(buckets.length, Math.max(end, last + 3)));
  }

  function drawTimeline(buckets, zoneLabel) {
    lastTimeline = [buckets, zoneLabel];
    var box = $("timeline");
    if (!buckets.length) { replace(box, [el("p", "empty", "Belum ada presensi.")]); return; }
    // Drawn at the box's own size, so the labels keep their CSS size on a phone and on a projector.
    var W = Math.max(240, box.clientWidth || 600), H = Math.round(Math.min(170, Math.max(120, W * 0.26)));
    var top = 20, bottom = 26, n = buckets.length;
    var max = Math.max.apply(null, buckets.map(function (b) { return b.check_ins; }).concat([1]));
    var step = W / n, width = Math.max(1, step * 0.8);
    var every = Math.max(1, Math.ceil(n / Math.max(2, Math.floor(W / 55))));
    var chart = svg("svg", { viewBox: "0 0 " + W + " " + H, role: "img",
      "aria-label": "Presensi per 5 menit, paling banyak " + max + " dalam 5 menit" });
    chart.appendChild(svg("line", { x1: 0, x2: W, y1: H - bottom, y2: H - bottom, "class": "tl-axis" }));
    buckets.forEach(function (b, i) {
      var h = ((H - top - bottom) * b.check_ins) / max;
      var x = i * step + (step - width) / 2;
      var rect = svg("rect", { x: x.toFixed(1), y: (H - bottom - h).toFixed(1), width: width.toFixed(1),
        height: h.toFixed(1), "class": "tl-bar" });
      rect.appendChild(svg("title", {}, clock(b.at) + " " + zoneLabel + ": " + b.check_ins));
      chart.appendChild(rect);
      if (b.check_ins === max && max > 0) {
        var labelX = Math.min(W - 14, Math.max(14, x + width / 2));  // inside the box at either end
        chart.appendChild(svg("text", { x: labelX.toFixed(1), y: (H - bottom - h - 3).toFixed(1),
          "text-anchor": "middle", "class": "tl-value" }, String(b.check_ins)));
      }
      if (i % every === 0) {
        chart.appendChild(svg("text", { x: (i * step).toFixed(1), y: H - 7, "class": "tl-label" }, clock(b.at)));
      }
    });
    replace(box, [chart]);
  }

  function windowText(venue) {
    if (!venue) { return "belum ada sesi"; }
    var text = WINDOW_LABELS[venue.window] || "";
    if (venue.opens_at && venue.closes_at) { text += " " + clock(venue.opens_at) + "\u2013" + clock(venue.closes_at); }
    return text;
  }

  function drawKecamatan(rows) {
    // On the day every venue usually shares one window: say it once above the list, not 28 times.
    var windows = rows.map(function (k) { return windowText(k.venue); });
    var shared = rows.length > 1 && windows.every(function (w) { return w === windows[0]; });
    var note = $("kec-window");
    note.hidden = !shared;
    note.textContent = shared ? "Semua lokasi: " + windows[0] : "";
    note.className = "kec-window " + (shared && rows[0].venue ? rows[0].venue.window : "");
    replace($("kec-rows"), rows.map(function (k, i) {
      var li = el("li", "kec-row");
      li.dataset.code = k.code;
      var head = el("div", "head");
      head.appendChild(el("span", "dot c" + colourClass(k)));
      head.appendChild(el("span", "name", k.name));
      var figs = el("span", "figs");
      figs.appendChild(el("b", "present", number.format(k.present)));
      figs.appendChild(document.createTextNode(" / " + number.format(k.registered) + " (" + number.format(k.roster) + ")"));
      head.appendChild(figs);
      li.appendChild(head);
      li.appendChild(bar(k.present, k.roster, k.registered));
      if (!shared) {
        li.appendChild(el("span", "win " + (k.venue ? k.venue.window : "none"), windows[i]));
      } else {
        li.classList.add("no-win");
      }
      return li;
    }));
  }

  function colourClass(k) {
    var share = k.registered > 0 ? k.present / k.registered : 0;
    if (k.present === 0) { return 0; }
    return share >= 0.8 ? 3 : share >= 0.5 ? 2 : 1;
  }

  var COLOURS = ["#6b7683", "#b3261e", "#b86200", "#17663a"];

  function drawMap(data) {
    var box = $("map");
    var points = (data.kecamatan || []).filter(function (k) {
      return k.venue && typeof k.venue.lat === "number" && typeof k.venue.lon === "number";
    });
    if (!window.L) { box.textContent = "Peta tidak dapat dimuat."; return; }
    if (!points.length) {
      if (!map) { box.textContent = "Belum ada koordinat lokasi Bimtek."; }
      return;
    }
    var fresh = !map;
    if (fresh) {
      box.textContent = "";
      map = L.map(box, { zoomSnap: 0.25, zoomControl: true, attributionControl: !!data.tile_url, scrollWheelZoom: false });
      if (map.attributionControl) { map.attributionControl.setPrefix("Leaflet"); }
      if (data.tile_url) {
        // Tiles only where they load; without them the points and names still stand on the plain background.
        L.tileLayer(data.tile_url, { maxZoom: 18, attribution: data.tile_attribution || "\u00a9 OpenStreetMap" }).addTo(map);
      }
    }
    var seen = {};
    points.forEach(function (k) {
      seen[k.code] = true;
      var colour = COLOURS[colourClass(k)];
      var popup = k.name + "\n" + k.venue.place + "\n" + number.format(k.present) + " / " +
        number.format(k.registered) + " hadir \u00b7 " + windowText(k.venue);
      var marker = markers[k.code];
      if (!marker) {
        // Names go in as text nodes: a string would be read as HTML by Leaflet.
        marker = L.circleMarker([k.venue.lat, k.venue.lon], { radius: 9, weight: 2, color: "#14202b", fillOpacity: 0.9 })
          .bindTooltip(el("span", null, k.name), { permanent: true, direction: "right", className: "map-label", offset: [8, 0] })
          .bindPopup("");
        marker.addTo(map);
        markers[k.code] = marker;
      }
      marker.setLatLng([k.venue.lat, k.venue.lon]);
      marker.setStyle({ fillColor: colour });
      marker.setPopupContent(popupNode(popup));
    });
    Object.keys(markers).forEach(function (code) {
      if (!seen[code]) { markers[code].remove(); delete markers[code]; }
    });
    if (fresh) {
      map.on("zoomend", declutter);
      var bounds = L.latLngBounds(points.map(function (k) { return [k.venue.lat, k.venue.lon]; }));
      if (points.length === 1) { map.setView(bounds.getCenter(), 13); } else { map.fitBounds(bounds, { padding: [30, 30] }); }
      fitZoom = map.getZoom();
    }
    declutter();
  }

  function declutter() {
    var box = $("map");
    if (!map || !box) { return; }
    box.classList.toggle("crowded", Object.keys(markers).length > 1 && box.clientWidth < 480 && map.getZoom() < fitZoom + 1);
  }

  function popupNode(text) {
    var div = el("div");
    text.split("\n").forEach(function (line, i) {
      div.appendChild(i === 0 ? el("strong", null, line) : el("div", null, line));
    });
    return div;
  }

  function drawProgram(items) {
    var list = $("program");
    if (!items.length) { replace(list, [el("li", "empty-row", "Tidak ada pengumuman hari ini.")]); return; }
    replace(list, items.map(function (p) {
      var li = el("li");
      li.dataset.id = p.id;
      var head = el("div", "head");
      head.appendChild(el("span", "time", clock(p.at)));
      head.appendChild(el("span", "title", p.title));
      head.appendChild(el("span", "status " + p.status, STATUS_LABELS[p.status] || p.status));
      li.appendChild(head);
      var figs = "terkirim " + number.format(p.sent) + " / " + number.format(p.total);
      if (p.unreachable) { figs += " \u00b7 tak terjangkau " + number.format(p.unreachable); }
      li.appendChild(el("div", "figs", figs));
      li.appendChild(bar(p.sent, p.total));
      return li;
    }));
  }

  function drawDuties(items) {
    var list = $("duties");
    if (!items.length) { replace(list, [el("li", "empty-row", "Tidak ada tugas terbuka.")]); return; }
    replace(list, items.map(function (d) {
      var li = el("li");
      li.dataset.id = d.id;
      var head = el("div", "head");
      head.appendChild(el("span", "title", d.title));
      if (d.due) { head.appendChild(el("span", "figs", "tenggat " + day(d.due))); }
      li.appendChild(head);
      li.appendChild(el("div", "figs", number.format(d.done_desa) + " / " + number.format(d.total_desa) + " desa selesai"));
      li.appendChild(bar(d.done_desa, d.total_desa));
      return li;
    }));
  }

  // A phone turned sideways, a window moved to the projector: the timeline is redrawn at its new size.
  window.addEventListener("resize", function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () {
      if (lastTimeline && $("timeline")) { drawTimeline(lastTimeline[0], lastTimeline[1]); }
    }, 150);
  });

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
