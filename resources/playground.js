// The playground page: input, settings and outputs. The transform runs in a Web Worker
// (runner.js, worker.js); this thread only reads the form and shows results, so it stays
// responsive with a 50 MB response. The URL's hash carries the mode and settings, never the data.

import { Runner } from './runner.js';
import { renderExplanation, renderSummary, formatBytes } from './render.js';

const $ = (id) => document.getElementById(id);
const SETTINGS = ['tenant-name', 'index', 'pipeline', 'host', 'latest-index', 'ids', 'ecs'];
const DEBOUNCE_MS = 300;
const runner = new Runner();
let file = null; // a loaded file replaces the textarea (a large one would not fit there)
let timer = null;
let downloads = [];

function settings() {
  return {
    tenantName: $('tenant-name').value,
    index: $('index').value.trim(),
    pipeline: $('pipeline').value.trim() || undefined, // empty: the default, as the placeholder says
    host: $('host').value.trim() || 'https://localhost:9200',
    latestIndex: $('latest-index').value.trim(),
    ids: $('ids').value,
    ecs: $('ecs').checked,
  };
}

// A setting's value in the URL: a checkbox is `1` when on (absent when off).
function valueOf(id) {
  const e = $(id);
  if (e.type === 'checkbox') return e.checked ? '1' : '';
  return e.value;
}

function setValue(id, value) {
  const e = $(id);
  if (e.type === 'checkbox') e.checked = value === '1' || value === 'true';
  else e.value = value;
}

// The mode and the settings in the URL's hash (so that a link reproduces them), never the input.
function saveToUrl() {
  const params = new URLSearchParams();
  params.set('mode', $('mode').value);
  for (const id of SETTINGS) if (valueOf(id)) params.set(id, valueOf(id));
  history.replaceState(null, '', `#${params}`);
}

function loadFromUrl() {
  const params = new URLSearchParams(location.hash.slice(1));
  const mode = params.get('mode');
  if (mode && [...$('mode').options].some((o) => o.value === mode)) $('mode').value = mode;
  for (const id of SETTINGS) if (params.has(id)) setValue(id, params.get(id));
}

function setStatus(state, text) {
  const status = $('status');
  status.dataset.state = state;
  status.textContent = text;
}

function showFor(mode) {
  const bulkLike = mode === 'bulk' || mode === 'documents' || mode === 'incidents';
  $('bulk-settings').disabled = !bulkLike;
  // The REST API source: its latest index, and always the revision _ids.
  $('latest-row').hidden = mode !== 'incidents';
  $('ids-row').hidden = mode === 'incidents';
  $('ndjson-box').hidden = !bulkLike;
  $('explain-box').hidden = !bulkLike && mode !== 'bulk-result';
  $('rows-box').hidden = bulkLike;
  $('rows-title').textContent = mode === 'bulk-result' ? 'msg.payload (409 items removed)' : 'Rows (msg.payload)';
}

function clearOutputs() {
  for (const url of downloads) URL.revokeObjectURL(url);
  downloads = [];
  for (const id of ['ndjson', 'rows', 'summary', 'warnings', 'explain']) $(id).replaceChildren();
  for (const id of ['ndjson-download', 'rows-download']) $(id).hidden = true;
}

// Shows text that may be a preview of a larger output, with its download link.
function showText(pre, link, shownText) {
  if (!shownText) return;
  pre.textContent = shownText.text;
  if (!shownText.whole) {
    const url = URL.createObjectURL(shownText.blob);
    downloads.push(url);
    link.href = url;
    link.hidden = false;
    link.textContent = `download all ${formatBytes(shownText.bytes)} (the first ${formatBytes(shownText.text.length)} are shown)`;
  }
}

// A run after the input settles; the status says at once that the result shown is not the
// latest input's.
function schedule(delay = DEBOUNCE_MS) {
  clearTimeout(timer);
  setStatus('running', 'waiting for the input to settle…');
  timer = setTimeout(run, delay);
}

async function run() {
  clearTimeout(timer);
  const mode = $('mode').value;
  showFor(mode);
  saveToUrl();
  const input = file || $('input').value;
  if (!file && input.trim() === '') {
    clearOutputs();
    setStatus('done', 'Paste, load a file or pick a sample.');
    return;
  }
  setStatus('running', file ? `running on ${file.name} (${formatBytes(file.size)})…` : 'running…');
  const answer = await runner.run({ mode, input, settings: settings() });
  if (!answer) return; // a newer input replaced this one
  clearOutputs();
  if (!answer.ok) {
    setStatus('error', answer.error);
    return;
  }
  const r = answer.result;
  setStatus('done', `done in ${answer.ms.toFixed(0)} ms`);
  renderSummary($('summary'), mode, r);
  for (const w of r.warnings || []) {
    const li = document.createElement('li');
    li.textContent = w;
    $('warnings').append(li);
  }
  if (r.ndjson) showText($('ndjson'), $('ndjson-download'), r.ndjson);
  if (mode === 'rows') showText($('rows'), $('rows-download'), r.rows || { text: 'no rows: the node sends no message', whole: true });
  if (mode === 'bulk-result') showText($('rows'), $('rows-download'), r.payload);
  renderExplanation($('explain'), mode, r);
}

async function loadSample(name) {
  if (!name) return;
  setStatus('running', 'loading the sample…');
  // A sample is one of this page's own files.
  const res = await fetch(new URL(`samples/${name}.json`, import.meta.url));
  file = null;
  $('file').value = '';
  $('file-note').hidden = true;
  $('input').value = await res.text();
  if (name === 'bulk-response') $('mode').value = 'bulk-result';
  else if (name === 'rest-incidents') $('mode').value = 'incidents';
  else if (['bulk-result', 'documents', 'incidents'].includes($('mode').value)) $('mode').value = 'bulk';
  run();
}

function init() {
  loadFromUrl();
  showFor($('mode').value);
  $('input').addEventListener('input', () => {
    file = null;
    $('file-note').hidden = true;
    schedule();
  });
  for (const id of ['mode', ...SETTINGS]) {
    $(id).addEventListener('input', () => schedule());
    $(id).addEventListener('change', () => schedule());
  }
  $('file').addEventListener('change', () => {
    file = $('file').files[0] || null;
    if (!file) return;
    $('input').value = '';
    $('file-note').hidden = false;
    $('file-note').textContent = `Input: ${file.name} (${formatBytes(file.size)}), read in the worker. Type in the box to use pasted text instead.`;
    $('sample').value = '';
    run();
  });
  $('sample').addEventListener('change', () => loadSample($('sample').value));
  $('run').addEventListener('click', () => run());
  window.addEventListener('hashchange', () => {
    loadFromUrl();
    schedule(0);
  });
  if ($('input').value.trim()) run();
}

init();
