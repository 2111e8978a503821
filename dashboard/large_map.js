// The map of a large level (see dashboard/large_map.py): MapLibre GL draws the level's vector tiles and each rerun
// recolours them through feature state. Texts from files are set as text (names arrive HTML-escaped).
const states = new WeakMap();
const EMPTY = { type: "FeatureCollection", features: [] };
const UNITS = { source: "units", sourceLayer: "units" };
const BORDERS_ALWAYS = 10000;  // units: below, the borders are drawn at every zoom

// The level's tiles as a MapLibre source: the folder's URL made absolute against the page (MapLibre fetches tiles
// in a worker, where a relative URL would not resolve), braces kept for MapLibre to fill in.
function tileSource(tiles) {
  return {
    type: "vector",
    tiles: [new URL(tiles.url, document.baseURI).href + "/{z}/{x}/{y}.pbf"],
    minzoom: tiles.minzoom,
    maxzoom: tiles.maxzoom,
    bounds: tiles.bounds,
  };
}

// The layers drawn from the tiles. An exact coverage needs no outline pass (fill-antialias): every pixel's centre
// lies in some unit, and outlines would draw every border once more. White borders as on the SVG map: always for a
// level of some thousand units (Poland's gminy: a map of one class still shows its units), only when zoomed in for
// tens of thousands (their borders would grey the whole map and cost a frame).
function bordersFrom(data) {
  return data.units < BORDERS_ALWAYS ? data.tiles.minzoom : Math.max(8, data.tiles.minzoom + 3);
}

function unitLayers(data) {
  return [
    { id: "fill", type: "fill", source: "units", "source-layer": "units",
      paint: { "fill-color": fillColour(data), "fill-antialias": false, "fill-opacity": data.basemap ? 0.7 : 1 } },
    { id: "borders", type: "line", source: "units", "source-layer": "units", minzoom: bordersFrom(data),
      paint: { "line-color": "#ffffff", "line-width": 0.5 } },
  ];
}

// MapLibre GL JS 6 is an ES module: imported once per page (modules are shared by URL), its worker (a module file
// beside it) named explicitly, as the file names carry content hashes. Kept in this module, never on `window`, so
// that no other script's MapLibre can stand in for it.
let maplibregl = null;
let loading = null;

function library(data) {
  if (!loading) {
    const absolute = (url) => new URL(url, document.baseURI).href;
    loading = import(absolute(data.script)).then((module) => {
      module.setWorkerUrl(absolute(data.worker));
      maplibregl = module;
    });
  }
  return loading;
}

function unpack(text) {
  const bytes = atob(text);
  const out = new Uint8Array(bytes.length * 2);
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes.charCodeAt(i);
    out[2 * i] = b >> 4;
    out[2 * i + 1] = b & 15;
  }
  return out;
}

function fillColour(data) {
  const expression = ["match", ["coalesce", ["feature-state", "c"], 0]];
  data.colours.forEach((colour, i) => expression.push(i + 1, colour));
  expression.push(data.no_data[1]);
  return expression;
}

// The legend's entries: [label, colour, kind] a class ("fill"), "no data" when some unit has none, then the overlays
// shown (a programme area's outline: "line", a group of proposals: "point").
function legendItems(data) {
  const items = data.legend.map((label, i) => [label, data.colours[i], "fill"]);
  if (unpack(data.classes).some((c, i) => c === 0 && i < data.units)) items.push([...data.no_data, "fill"]);
  return items.concat(data.overlays.legend);
}

function legend(root, data, state) {
  const box = root.querySelector(".atlas-lm-legend");
  box.replaceChildren();
  const line = (cls, text) => {
    const div = document.createElement("div");
    div.className = cls;
    div.textContent = text;
    box.appendChild(div);
    return div;
  };
  if (data.png) {  // the PNG export, above the legend's right end
    const button = document.createElement("button");
    button.type = "button";
    button.className = "atlas-lm-png";
    button.textContent = data.png.label;
    button.onclick = () => {
      if (!state.loaded || button.disabled) return;
      button.disabled = true;
      exportPng(state).finally(() => { button.disabled = false; });
    };
    box.appendChild(button);
  }
  line("title", data.title);
  line("sub", [data.subtitle, data.source, data.warning].filter(Boolean).join(" · "));
  const row = line("items", "");
  for (const [label, colour, kind] of legendItems(data)) {
    const item = document.createElement("div");
    item.className = "item";
    row.appendChild(item);
    const swatch = document.createElement("span");
    swatch.className = "swatch " + kind;
    swatch.style.background = colour;
    const text = document.createElement("span");
    text.textContent = label;
    item.append(swatch, text);
  }
}

// The map as a PNG with what it says about itself: title, subtitle, legend, source line and (for a synthetic
// workspace) the synthetic-data mark, drawn as canvas text (never HTML). `png`: the file's name and the size chosen
// in the sidebar (CSS pixels and scale; no size: the map as on screen, twice its resolution).
async function exportPng(state) {
  const { map, data } = state;
  const png = data.png;
  const box = map.getContainer().getBoundingClientRect();
  const scale = png.scale || 2;
  const width = png.width || Math.round(box.width);
  const ratio = map.getPixelRatio();
  map.setPixelRatio(Math.min(4, (scale * width) / box.width));
  await new Promise((done) => { map.once("idle", done); map.triggerRepaint(); });
  const shot = await new Promise((done) => {
    map.once("render", () => done(map.getCanvas().toDataURL("image/png")));
    map.triggerRepaint();
  });
  map.setPixelRatio(ratio);
  const image = new Image();
  image.src = shot;
  await image.decode();

  const canvas = document.createElement("canvas");
  const ctx = canvas.getContext("2d");
  const font = (size, bold) => `${bold ? "600 " : ""}${size * scale}px "Source Sans Pro", sans-serif`;
  const pad = 16 * scale;
  const wrap = (text, size, bold) => {  // the text in lines no wider than the picture
    ctx.font = font(size, bold);
    const lines = [];
    let line = "";
    for (const word of String(text).split(" ")) {
      const next = line ? line + " " + word : word;
      if (line && ctx.measureText(next).width > width * scale - 2 * pad) { lines.push(line); line = word; }
      else line = next;
    }
    if (line) lines.push(line);
    return lines;
  };
  const title = wrap(data.title, 20, true);
  const subtitle = wrap(data.subtitle, 14, false);
  const source = data.source ? wrap(data.source, 13, false) : [];
  const warning = data.warning ? wrap(data.warning, 13, true) : [];
  const legendRows = [];  // legend items flowed into rows like words
  ctx.font = font(13, false);
  let row = [], used = 0;
  for (const [label, colour, kind] of legendItems(data)) {
    const w = 22 * scale + ctx.measureText(label).width + 14 * scale;
    if (row.length && used + w > width * scale - 2 * pad) { legendRows.push(row); row = []; used = 0; }
    row.push([label, colour, w, kind]);
    used += w;
  }
  if (row.length) legendRows.push(row);
  const header = pad + title.length * 26 * scale + subtitle.length * 19 * scale + legendRows.length * 20 * scale + 6 * scale;
  const footer = (source.length + warning.length) * 18 * scale + pad;
  const mapHeight = png.height ? Math.max(100 * scale, png.height * scale - header - footer)
    : Math.round((image.height * width * scale) / image.width);
  canvas.width = width * scale;
  canvas.height = png.height ? png.height * scale : header + mapHeight + footer;
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.textBaseline = "top";
  let y = pad;
  const lines = (texts, size, bold, colour, step) => {
    ctx.font = font(size, bold);
    ctx.fillStyle = colour;
    for (const text of texts) { ctx.fillText(text, pad, y); y += step * scale; }
  };
  lines(title, 20, true, "#262730", 26);
  lines(subtitle, 14, false, "#555555", 19);
  ctx.font = font(13, false);
  for (const entries of legendRows) {
    let x = pad;
    for (const [label, colour, w, kind] of entries) {
      ctx.fillStyle = colour;
      if (kind === "line") ctx.fillRect(x, y + 6.5 * scale, 14 * scale, 3 * scale);
      else if (kind === "point") {
        ctx.beginPath();
        ctx.arc(x + 7 * scale, y + 8 * scale, 6 * scale, 0, 2 * Math.PI);
        ctx.fill();
      } else {
        ctx.fillRect(x, y + 1 * scale, 14 * scale, 14 * scale);
        ctx.strokeStyle = "#888888";
        ctx.lineWidth = scale;
        ctx.strokeRect(x, y + 1 * scale, 14 * scale, 14 * scale);
      }
      ctx.fillStyle = "#262730";
      ctx.fillText(label, x + 22 * scale, y);
      x += w;
    }
    y += 20 * scale;
  }
  const fit = Math.min((canvas.width - 2 * pad) / image.width, mapHeight / image.height);
  const [w, h] = [image.width * fit, image.height * fit];
  ctx.drawImage(image, (canvas.width - w) / 2, header + (mapHeight - h) / 2, w, h);
  ctx.font = font(12, true);  // the names shown on the map, where they are on it
  ctx.textAlign = "center";
  ctx.textBaseline = "middle";
  ctx.lineWidth = 3 * scale;
  ctx.strokeStyle = "rgba(255,255,255,0.85)";
  ctx.fillStyle = "#262730";
  for (const name of state.placed) {
    const x = (canvas.width - w) / 2 + (name.x / box.width) * w;
    const y = header + (mapHeight - h) / 2 + (name.y / box.height) * h;
    ctx.strokeText(name.text, x, y);
    ctx.fillText(name.text, x, y);
  }
  ctx.textAlign = "left";
  ctx.textBaseline = "top";
  y = header + mapHeight;
  lines(source, 13, false, "#555555", 18);
  lines(warning, 13, true, "#b00020", 18);
  const link = document.createElement("a");
  link.download = png.filename;
  link.href = canvas.toDataURL("image/png");
  link.click();
}

function recolour(state) {
  const { map, data } = state;
  const classes = unpack(data.classes);
  const before = state.classes;
  for (let i = 0; i < data.units; i++) {
    if (!before || before[i] !== classes[i]) map.setFeatureState({ ...UNITS, id: i }, { c: classes[i] });
  }
  state.classes = classes;
  map.setPaintProperty("fill", "fill-color", fillColour(data));
  const overlays = JSON.stringify([data.overlays.lines, data.overlays.points]);
  if (state.overlays !== overlays) {  // programme areas and proposals, as the sidebar's layers choose
    map.getSource("overlay-lines").setData(data.overlays.lines);
    map.getSource("overlay-points").setData(data.overlays.points);
    state.overlays = overlays;
  }
  const outline = JSON.stringify(data.selected);
  if (state.selected !== outline) {  // the chosen unit's outline: its own small source, not a layer over every unit
    map.getSource("selected").setData(data.selected || EMPTY);
    state.selected = outline;
  }
  state.shown += 1;
  map.once("idle", () => {
    if (state.data.names || state.placed.length) placeNames(state);  // names switched on or off, or shown
    state.container.dataset.shown = String(state.shown);
  });
  map.triggerRepaint();
}

// Play: every year's classes arrived at once; ▶ steps through them (a year every frame_ms, each once the map is
// drawn), ❚❚ stops, the slider shows any year — none of it asks the server. The bar stays (and where it is) while
// the page reruns with the same years.
function playBar(root, state) {
  const bar = root.querySelector(".atlas-lm-play");
  const frames = state.data.frames;
  if (!frames.length) {
    stop(state);
    state.play = null;
    bar.replaceChildren();
    bar.style.display = "none";
    return;
  }
  bar.style.display = "flex";
  const years = JSON.stringify(frames.map((f) => f.year));
  if (state.play && state.play.years === years) {
    showFrame(state, state.frame, false);
    return;
  }
  stop(state);
  const button = document.createElement("button");
  button.type = "button";
  button.className = "atlas-lm-playbutton";
  const slider = document.createElement("input");
  slider.type = "range";
  slider.min = "0";
  slider.max = String(frames.length - 1);
  slider.step = "1";
  slider.setAttribute("aria-label", state.data.play[2]);
  const label = document.createElement("span");
  label.className = "atlas-lm-year";
  bar.replaceChildren(button, slider, label);
  const play = { years, button, slider, label, timer: null, playing: false };
  state.play = play;
  button.textContent = state.data.play[0];
  button.onclick = () => {
    if (play.playing) return stop(state);
    play.playing = true;
    button.textContent = state.data.play[1];
    if (state.frame >= state.data.frames.length - 1) {  // at the end: from the first year
      showFrame(state, 0, true);
      state.map.once("idle", () => { play.timer = setTimeout(() => step(state), state.data.frame_ms); });
    } else step(state);
  };
  slider.oninput = () => { stop(state); showFrame(state, Number(slider.value), true); };
  showFrame(state, state.data.start, false);
}

function showFrame(state, i, draw) {
  const frame = state.data.frames[i];
  state.frame = i;
  Object.assign(state.data, {
    classes: frame.classes, colours: frame.colours, legend: frame.legend, subtitle: frame.subtitle,
    png: { ...state.data.png, filename: frame.png }, hover: frame.hover,
  });
  state.play.slider.value = String(i);
  state.play.label.textContent = `${state.data.play[2]}: ${frame.year}`;
  if (draw) {
    legend(state.root, state.data, state);
    if (state.loaded) recolour(state);
  }
}

function step(state) {
  const play = state.play;
  if (!play || !play.playing) return;
  if (state.frame + 1 >= state.data.frames.length) return stop(state);
  const started = performance.now();
  showFrame(state, state.frame + 1, true);
  state.map.once("idle", () => {
    if (play.playing) play.timer = setTimeout(() => step(state), Math.max(0, state.data.frame_ms - (performance.now() - started)));
  });
}

function stop(state) {
  const play = state.play;
  if (!play) return;
  play.playing = false;
  clearTimeout(play.timer);
  play.button.textContent = state.data.play[0];
}

// The units' names (the sidebar's "Unit names"): once the map stops moving, the units drawn wide enough are named
// at the middle of their box, the largest first, a name left out where it would cover another, not fit its unit or leave the map;
// none while moving, none until one zoom before the last the tiles were made for (the page's note says so).
const NAMES_MAX = 250;

function clearNames(state) {
  if (state.nameBox) state.nameBox.replaceChildren();
  state.placed = [];
}

function placeNames(state) {
  clearNames(state);
  const { map, data } = state;
  // a typical unit is 32 px across at the last zoom made: a zoom out, a name fits only the largest ones
  if (!data.names || !state.names || !state.loaded || map.getZoom() < data.tiles.maxzoom - 1) return;
  const box = state.nameBox;
  const seen = new Map();  // a unit cut by tiles comes once a tile: its whole box
  for (const feature of map.queryRenderedFeatures({ layers: ["fill"] })) {
    const coords = feature.geometry.type === "Polygon" ? [feature.geometry.coordinates] : feature.geometry.coordinates;
    const b = seen.get(feature.id) || [Infinity, Infinity, -Infinity, -Infinity];
    for (const polygon of coords) for (const [x, y] of polygon[0]) {
      b[0] = Math.min(b[0], x); b[1] = Math.min(b[1], y); b[2] = Math.max(b[2], x); b[3] = Math.max(b[3], y);
    }
    seen.set(feature.id, b);
    if (seen.size > 20000) return;  // too many units in view to name: zoom in
  }
  const units = [];
  for (const [id, b] of seen) {
    const [sw, ne] = [map.project([b[0], b[1]]), map.project([b[2], b[3]])];
    const width = Math.abs(ne.x - sw.x);
    if (width >= 40) units.push({ id, width, x: (sw.x + ne.x) / 2, y: (sw.y + ne.y) / 2 });
  }
  units.sort((a, b) => b.width - a.width);
  const taken = [];
  for (const unit of units.slice(0, NAMES_MAX * 4)) {
    if (state.placed.length >= NAMES_MAX) break;
    const label = document.createElement("div");
    label.className = "atlas-lm-name";
    label.innerHTML = state.names[unit.id];  // HTML-escaped on the server: shows as text
    box.appendChild(label);
    const w = label.offsetWidth, h = label.offsetHeight;
    const r = [unit.x - w / 2, unit.y - h / 2, unit.x + w / 2, unit.y + h / 2];
    const outside = r[0] < 0 || r[1] < 0 || r[2] > box.clientWidth || r[3] > box.clientHeight;
    if (outside || w > unit.width || taken.some((t) => r[0] < t[2] && t[0] < r[2] && r[1] < t[3] && t[1] < r[3])) {
      label.remove();
      continue;
    }
    label.style.left = r[0] + "px";
    label.style.top = r[1] + "px";
    taken.push(r);
    state.placed.push({ text: label.textContent, x: unit.x, y: unit.y });
  }
}

// The units' codes and names by feature number, for clicks and hovers: asked for once the map has drawn its units
// (100,000 units: 2.4 MB, which the server compresses and the page parses while it would otherwise be drawing them).
// A click before they are in is kept and answered when they arrive.
function labels(state, url) {
  state.labelsUrl = url;
  state.codes = state.names = null;
  state.clicked = null;
  state.map.once("idle", () => {
    if (state.labelsUrl !== url) return;
    fetch(url).then((r) => r.json()).then((found) => {
      if (state.labelsUrl !== url) return;
      [state.codes, state.names] = [found.codes, found.names];
      if (state.clicked !== null) state.setTriggerValue("unit", state.codes[state.clicked]);
      state.clicked = null;
      if (state.data.names && state.loaded) placeNames(state);
    });
  });
}

// The workspace's tile basemap under the units (null: none), as the sidebar's checkbox asks: a raster source, the
// units a little transparent over it, its attribution (escaped on the server) in the corner.
function setBasemap(state, basemap) {
  const map = state.map;
  const url = basemap ? basemap.url : null;
  if (state.basemapUrl === url) return;
  if (map.getLayer("basemap")) map.removeLayer("basemap");
  if (map.getSource("basemap")) map.removeSource("basemap");
  if (state.attribution) map.removeControl(state.attribution);
  state.attribution = null;
  if (url) {
    map.addSource("basemap", { type: "raster", tiles: [url], tileSize: 256, attribution: basemap.attribution });
    map.addLayer({ id: "basemap", type: "raster", source: "basemap" }, "fill");
    state.attribution = new maplibregl.AttributionControl({ compact: false });
    map.addControl(state.attribution, "bottom-right");
  }
  map.setPaintProperty("fill", "fill-opacity", url ? 0.7 : 1);
  state.basemapUrl = url;
}

// The value the hover gives for the unit numbered ``id``, as the SVG map gives it ("12,3 %"; "no data"); null while
// the year's values file (asked for once, when the pointer first rests on a unit) has not arrived.
function hoverValue(state, id) {
  const hover = state.data.hover;
  if (!hover || !hover.url) return null;
  if (state.valuesUrl !== hover.url) {
    const url = hover.url;
    state.valuesUrl = url;
    state.values = null;
    fetch(url).then((r) => r.json()).then((found) => {
      if (state.valuesUrl !== url) return;
      state.values = found.values;
      if (state.tipId !== null) showTip(state, state.tipId, state.tipPoint);
    }).catch(() => {});  // not there (a file pruned under an open page): the hover keeps the class
  }
  if (!state.values) return null;
  const value = state.values[id];
  if (value === null || value === undefined) return state.data.no_data[0];
  const key = `${hover.lang}/${hover.decimals}`;
  if (state.formatKey !== key) {
    const digits = { minimumFractionDigits: hover.decimals, maximumFractionDigits: hover.decimals };
    state.format = new Intl.NumberFormat(hover.lang, digits);
    state.formatKey = key;
  }
  return state.format.format(value) + (hover.unit ? " " + hover.unit : "");
}

// The hover box showing ``children`` beside ``point``.
function placeTip(state, children, point) {
  const { tip, container } = state;
  tip.replaceChildren(...children);
  tip.style.left = point.x + 12 + "px";
  tip.style.top = container.offsetTop + point.y + 12 + "px";
  tip.style.display = "block";
}

// The hover of the unit numbered ``id`` at ``point``: its name (HTML-escaped on the server: shows as text), then its
// value (its class until the values arrive, and on the class maps of other pages).
function showTip(state, id, point) {
  if (!state.names) return;
  const { data } = state;
  const c = state.classes ? state.classes[id] : 0;
  const name = document.createElement("b");
  name.innerHTML = state.names[id];
  const label = document.createElement("span");
  const kind = c > 0 ? data.legend[c - 1] : data.no_data[0];
  const value = hoverValue(state, id);
  label.textContent = " · " + (value === null ? kind : data.hover.with_class ? `${value} · ${kind}` : value);
  placeTip(state, [name, label], point);
  state.tipId = id;
  state.tipPoint = point;
}

function create(state, root) {
  const { data } = state;
  const container = root.querySelector(".atlas-lm-map");
  let tip = root.querySelector(".atlas-lm-tip");
  if (!tip) {
    tip = document.createElement("div");
    tip.className = "atlas-lm-tip";
    root.style.position = "relative";
    root.appendChild(tip);
  }
  const map = new maplibregl.Map({
    container,
    style: {
      version: 8,
      sources: {
        units: tileSource(data.tiles),
        selected: { type: "geojson", data: EMPTY },
        "overlay-lines": { type: "geojson", data: EMPTY },
        "overlay-points": { type: "geojson", data: EMPTY },
      },
      layers: [
        { id: "background", type: "background", paint: { "background-color": "#ffffff" } },
        ...unitLayers(data),
        { id: "selected", type: "line", source: "selected", paint: { "line-color": "#000000", "line-width": 2.5 } },
        { id: "areas", type: "line", source: "overlay-lines", paint: { "line-color": ["get", "colour"], "line-width": 3 } },
        { id: "proposals", type: "circle", source: "overlay-points",
          paint: { "circle-color": ["get", "colour"], "circle-radius": ["/", ["get", "size"], 2], "circle-opacity": 0.85,
                   "circle-stroke-color": "#ffffff", "circle-stroke-width": 1 } },
      ],
    },
    minZoom: data.tiles.minzoom,  // no tiles below: the whole level fits a phone's map at this zoom
    bounds: data.bounds ? [[data.bounds[0], data.bounds[1]], [data.bounds[2], data.bounds[3]]] : undefined,
    fitBoundsOptions: { padding: 12 },
    attributionControl: false,
    dragRotate: false,
    pitchWithRotate: false,
  });
  map.touchZoomRotate.disableRotation();
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), "top-right");
  state.map = map;
  state.tip = tip;
  state.tiles = data.tiles.url;
  state.nameBox = document.createElement("div");
  state.nameBox.className = "atlas-lm-names";
  container.appendChild(state.nameBox);
  map.on("movestart", () => clearNames(state));
  map.on("moveend", () => map.once("idle", () => placeNames(state)));
  state.container = container;
  container.atlasMap = map;  // for the browser tests: the map and its features' state
  // Classes are set once the style is in (not at "load", which waits for the tiles to be drawn grey first): each
  // tile then arrives coloured, and 100,000 units are drawn once, not twice (a frame costs ~0.5 s in software).
  map.once("style.load", () => {
    state.loaded = true;
    setBasemap(state, state.data.basemap);
    recolour(state);
  });
  labels(state, data.labels);
  map.on("mousemove", "fill", (event) => {
    const feature = event.features && event.features[0];
    if (!feature || map.queryRenderedFeatures(event.point, { layers: ["proposals"] }).length) return;
    showTip(state, feature.id, event.point);
    map.getCanvas().style.cursor = "pointer";
  });
  map.on("mousemove", "proposals", (event) => {  // a proposal: its hover text, escaped on the server as Plotly's
    const feature = event.features && event.features[0];
    if (!feature) return;
    const text = document.createElement("span");
    text.innerHTML = feature.properties.text;
    state.tipId = null;  // the box shows a proposal, not a unit
    placeTip(state, [text], event.point);
  });
  map.on("mouseleave", "fill", () => {
    tip.style.display = "none";
    state.tipId = null;
    map.getCanvas().style.cursor = "";
  });
  map.on("click", "fill", (event) => {
    const feature = event.features && event.features[0];
    if (feature && state.codes) state.setTriggerValue("unit", state.codes[feature.id]);
    else if (feature) state.clicked = feature.id;  // answered when the codes arrive
  });
}

export default function ({ data, parentElement, setTriggerValue }) {
  const root = parentElement.querySelector(".atlas-lm");
  let state = states.get(parentElement);
  if (!state) {
    state = { classes: null, selected: "null", shown: 0, loaded: false, placed: [], tipId: null, clicked: null };
    states.set(parentElement, state);
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = data.style;
    parentElement.appendChild(link);
  }
  root.style.height = data.height + "px";  // the wrapper Streamlit sizes is not the root's parent
  state.data = { ...data };
  state.root = root;
  state.setTriggerValue = setTriggerValue;
  playBar(root, state);  // Play on: the year its bar shows (classes, legend, subtitle, PNG name)
  library(data).then(() => {
    if (state.map && !state.loaded && state.tiles !== data.tiles.url) {  // another level before the first drew
      state.map.remove();
      state.map = null;
    }
    if (state.map && state.tiles !== data.tiles.url) {  // another level: its tiles, every state anew
      const map = state.map;
      for (const layer of unitLayers(data)) map.removeLayer(layer.id);
      map.removeSource("units");
      map.addSource("units", tileSource(data.tiles));
      for (const layer of unitLayers(data)) map.addLayer(layer, "selected");
      map.setMinZoom(data.tiles.minzoom);
      if (data.bounds) map.fitBounds([[data.bounds[0], data.bounds[1]], [data.bounds[2], data.bounds[3]]], { padding: 12, duration: 0 });
      labels(state, data.labels);
      state.tiles = data.tiles.url;
      state.classes = null;
    }
    if (!state.map) create(state, root);
    else {
      state.map.resize();  // the height may have changed (a phone, another level)
      if (state.loaded) {
        setBasemap(state, state.data.basemap);
        recolour(state);
      }
    }
  });
  legend(root, state.data, state);
}
