// The map of a large level (see dashboard/large_map.py): MapLibre GL draws the level's geometry file once and each
// rerun recolours it through feature state. Texts from files are set as text (names arrive HTML-escaped).
const states = new WeakMap();
const EMPTY = { type: "FeatureCollection", features: [] };

function library(url) {
  if (window.maplibregl) return Promise.resolve();
  if (!window.atlasMaplibre) {
    window.atlasMaplibre = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = url;
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }
  return window.atlasMaplibre;
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

function legend(root, data) {
  const box = root.querySelector(".atlas-lm-legend");
  box.replaceChildren();
  const line = (cls, text) => {
    const div = document.createElement("div");
    div.className = cls;
    div.textContent = text;
    box.appendChild(div);
    return div;
  };
  line("title", data.title);
  line("sub", data.subtitle);
  const row = line("items", "");
  const items = data.legend.map((label, i) => [label, data.colours[i]]);
  if (unpack(data.classes).some((c, i) => c === 0 && i < data.units)) items.push(data.no_data);
  for (const [label, colour] of items) {
    const item = document.createElement("div");
    item.className = "item";
    row.appendChild(item);
    const swatch = document.createElement("span");
    swatch.className = "swatch";
    swatch.style.background = colour;
    const text = document.createElement("span");
    text.textContent = label;
    item.append(swatch, text);
  }
}

function recolour(state) {
  const { map, data } = state;
  const classes = unpack(data.classes);
  const before = state.classes;
  for (let i = 0; i < data.units; i++) {
    if (!before || before[i] !== classes[i]) map.setFeatureState({ source: "units", id: i }, { c: classes[i] });
  }
  state.classes = classes;
  map.setPaintProperty("fill", "fill-color", fillColour(data));
  const outline = JSON.stringify(data.selected);
  if (state.selected !== outline) {  // the chosen unit's outline: its own small source, not a layer over every unit
    map.getSource("selected").setData(data.selected || EMPTY);
    state.selected = outline;
  }
  state.shown += 1;
  map.once("idle", () => { state.container.dataset.shown = String(state.shown); });
  map.triggerRepaint();
}

function labels(state, url) {  // codes and names by feature number, for clicks and hovers (after the shapes)
  state.labelsUrl = url;
  state.codes = state.names = null;
  fetch(url).then((r) => r.json()).then((found) => {
    if (state.labelsUrl === url) [state.codes, state.names] = [found.codes, found.names];
  });
}

function create(state, root) {
  const { data } = state;
  const container = root.querySelector(".atlas-lm-map");
  const tip = document.createElement("div");
  tip.className = "atlas-lm-tip";
  root.style.position = "relative";
  root.appendChild(tip);
  const map = new maplibregl.Map({
    container,
    style: {
      version: 8,
      sources: { units: { type: "geojson", data: data.geometry }, selected: { type: "geojson", data: EMPTY } },
      layers: [
        { id: "background", type: "background", paint: { "background-color": "#ffffff" } },
        // no outline pass: the units cover the level edge to edge (it would draw every unit's border once more)
        { id: "fill", type: "fill", source: "units", paint: { "fill-color": fillColour(data), "fill-antialias": false } },
        { id: "borders", type: "line", source: "units", minzoom: 8, paint: { "line-color": "#ffffff", "line-width": 0.5 } },
        { id: "selected", type: "line", source: "selected", paint: { "line-color": "#000000", "line-width": 2.5 } },
      ],
    },
    bounds: data.bounds ? [[data.bounds[0], data.bounds[1]], [data.bounds[2], data.bounds[3]]] : undefined,
    fitBoundsOptions: { padding: 12 },
    attributionControl: false,
    dragRotate: false,
    pitchWithRotate: false,
  });
  map.touchZoomRotate.disableRotation();
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), "top-right");
  state.map = map;
  state.geometry = data.geometry;
  state.container = container;
  container.atlasMap = map;  // for the browser tests: the map and its features' state
  map.on("load", () => { state.loaded = true; recolour(state); });
  labels(state, data.labels);
  map.on("mousemove", "fill", (event) => {
    const feature = event.features && event.features[0];
    if (!feature) return;
    const c = state.classes ? state.classes[feature.id] : 0;
    const name = document.createElement("b");
    if (!state.names) return;
    name.innerHTML = state.names[feature.id];  // HTML-escaped on the server: shows as text
    const label = document.createElement("span");
    label.textContent = " · " + (c > 0 ? state.data.legend[c - 1] : state.data.no_data[0]);
    tip.replaceChildren(name, label);
    tip.style.left = event.point.x + 12 + "px";
    tip.style.top = container.offsetTop + event.point.y + 12 + "px";
    tip.style.display = "block";
    map.getCanvas().style.cursor = "pointer";
  });
  map.on("mouseleave", "fill", () => { tip.style.display = "none"; map.getCanvas().style.cursor = ""; });
  map.on("click", "fill", (event) => {
    const feature = event.features && event.features[0];
    if (feature && state.codes) state.setTriggerValue("unit", state.codes[feature.id]);
  });
}

export default function ({ data, parentElement, setTriggerValue }) {
  const root = parentElement.querySelector(".atlas-lm");
  let state = states.get(parentElement);
  if (!state) {
    state = { classes: null, selected: "null", shown: 0, loaded: false };
    states.set(parentElement, state);
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = data.style;
    parentElement.appendChild(link);
  }
  root.style.height = data.height + "px";  // the wrapper Streamlit sizes is not the root's parent
  state.data = data;
  state.setTriggerValue = setTriggerValue;
  library(data.script).then(() => {
    if (state.map && state.geometry !== data.geometry) {  // another level: new geometry, every state anew
      state.map.getSource("units").setData(data.geometry);
      labels(state, data.labels);
      state.geometry = data.geometry;
      state.map.removeFeatureState({ source: "units" });
      state.classes = null;
    }
    if (!state.map) create(state, root);
    else {
      state.map.resize();  // the height may have changed (a phone, another level)
      if (state.loaded) recolour(state);
    }
  });
  legend(root, data);
}
