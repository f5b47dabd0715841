// The Preview tab of the sentinel-rows, sentinel-bulk and sentinel-bulk-result edit dialogs: runs
// the same module as the node (in a Web Worker, as the playground page does) with the dialog's
// current, unsaved settings on pasted or sample data. What was pasted is remembered per node
// while the editor is open (this module stays loaded). Node-RED's JSONata "Test" tab is the model.
//
//   attach({nodeId, kind, container, settings, t}) -> {run, close}
//   kind: 'rows' | 'bulk' | 'bulk-result'; settings(): the dialog's current settings (bulk:
//   index, pipeline, host, tenantName, ecs);
//   t(key): the node's words for the preview (locales/en-US/<node>.json "preview").

import { Runner } from './runner.js';
import { el, renderExplanation, renderSummary } from './render.js';

const remembered = new Map(); // node id -> {text, sample}
const DEBOUNCE_MS = 300;
const SAMPLES = {
  rows: ['alerts', 'incidents'],
  bulk: ['alerts', 'incidents'],
  'bulk-result': ['bulk-response'],
};

// The mode of the worker for what the node would receive: sentinel-bulk takes an array of
// documents or the query response itself.
function modeFor(kind, text) {
  if (kind !== 'bulk') return kind;
  return text.trimStart().startsWith('[') ? 'documents' : 'bulk';
}

export function attach({ nodeId, kind, container, settings = () => ({}), t }) {
  const memory = remembered.get(nodeId) || { text: '', sample: '' };
  remembered.set(nodeId, memory);
  const runner = new Runner();
  let timer = null;

  const sample = el('select', { 'data-testid': 'preview-sample', style: 'width: auto; margin-left: 6px' },
    el('option', { value: '', text: t('sample') }),
    ...SAMPLES[kind].map((name) => el('option', { value: name, text: t(`samples.${name}`) })));
  const input = el('textarea', { 'data-testid': 'preview-input', spellcheck: 'false', placeholder: t(`placeholder.${kind}`),
    style: 'width: 100%; height: 160px; font-family: monospace; font-size: 12px; white-space: pre' });
  input.value = memory.text;
  sample.value = memory.sample;
  const status = el('span', { 'data-testid': 'preview-status', 'data-state': 'idle', text: t('idle') });
  const summary = el('div', { 'data-testid': 'preview-summary', style: 'font-family: monospace; font-size: 12px' });
  const warnings = el('ul', { 'data-testid': 'preview-warnings', style: 'color: #b85c00; margin: 4px 0 4px 18px' });
  const output = el('pre', { 'data-testid': 'preview-output', style: 'max-height: 240px; overflow: auto; font-size: 11px; white-space: pre; margin: 4px 0' });
  const explain = el('div', { 'data-testid': 'preview-explain', style: 'max-height: 260px; overflow: auto; font-size: 12px' });

  container.replaceChildren(
    el('div', { class: 'form-row', style: 'margin-bottom: 4px' }, el('label', { text: t('input'), style: 'width: auto' }), sample),
    input,
    el('div', { style: 'margin: 6px 0' }, status),
    summary, warnings, output, explain);

  async function run() {
    clearTimeout(timer);
    const text = input.value;
    memory.text = text;
    const s = kind === 'bulk' ? settings() : {};
    if (text.trim() === '') {
      status.dataset.state = 'idle';
      status.textContent = t('idle');
      for (const box of [summary, warnings, output, explain]) box.replaceChildren();
      return;
    }
    const mode = modeFor(kind, text);
    status.dataset.state = 'running';
    status.textContent = t('running');
    const answer = await runner.run({ mode, input: text, settings: { ...s, ids: 'first' } });
    if (!answer) return;
    for (const box of [summary, warnings, output, explain]) box.replaceChildren();
    if (!answer.ok) {
      status.dataset.state = 'error';
      status.textContent = answer.error;
      return;
    }
    const r = answer.result;
    status.dataset.state = 'done';
    status.textContent = t('done').replace('__ms__', answer.ms.toFixed(0));
    renderSummary(summary, mode, r);
    for (const w of r.warnings || []) warnings.append(el('li', { text: w }));
    const shown = mode === 'rows' ? r.rows : mode === 'bulk-result' ? r.payload : r.ndjson;
    output.textContent = shown ? shown.text + (shown.whole ? '' : '\n…') : t('norows');
    renderExplanation(explain, mode, r);
  }

  const schedule = () => {
    clearTimeout(timer);
    status.dataset.state = 'running';
    status.textContent = t('running');
    timer = setTimeout(run, DEBOUNCE_MS);
  };
  input.addEventListener('input', () => {
    sample.value = '';
    memory.sample = '';
    schedule();
  });
  sample.addEventListener('change', async () => {
    memory.sample = sample.value;
    if (!sample.value) return;
    status.dataset.state = 'running';
    status.textContent = t('running');
    const res = await fetch(new URL(`samples/${sample.value}.json`, import.meta.url));
    input.value = await res.text();
    run();
  });

  return {
    run,
    close() {
      clearTimeout(timer);
      memory.text = input.value;
      runner.stop();
    },
  };
}
