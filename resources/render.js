// Results as HTML, for the playground page and the editor's Preview tab (DOM nodes and
// textContent only: the input's text is never parsed as HTML).

export function formatBytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'text') e.textContent = v;
    else if (k === 'style') e.style.cssText = v;
    else e.setAttribute(k, v);
  }
  e.append(...children);
  return e;
}

/** The counts of a result, one line per fact. */
export function renderSummary(box, mode, r) {
  const facts = [];
  if (mode === 'rows') facts.push(`${r.count.toLocaleString('en-US')} row${r.count === 1 ? '' : 's'}${r.count === 0 ? ' (the node sends no message)' : ''}`);
  if (mode === 'bulk' || mode === 'documents' || mode === 'incidents') {
    const e = r.explain;
    facts.push(`${r.documents.toLocaleString('en-US')} document${r.documents === 1 ? '' : 's'}${r.documents === 0 ? ' (no _bulk request is made)' : ''}`);
    facts.push(`body ${e.bytes.toLocaleString('en-US')} bytes (${formatBytes(e.bytes)}), ${e.lines.toLocaleString('en-US')} lines`);
    facts.push(`data stream ${r.index}, pipeline ${r.pipeline}, customer.name ${r.tenantName ? JSON.stringify(r.tenantName) : '(none)'}`);
    if (mode === 'incidents') facts.push(`latest index ${r.latestIndex || '(none)'}`);
    facts.push(r.ecs ? 'ECS: on (the original document under microsoft_sentinel.*)' : 'ECS: off (the original field names)');
    if (r.url) facts.push(`POST ${r.url}`);
  }
  if (mode === 'bulk-result') {
    const s = r.bulkSummary;
    facts.push(`${s.total_items} items: ${s.created} created, ${s.conflicts} conflicts (409, removed), ${s.failures} failures`);
    facts.push(`msg.bulkSummary = ${JSON.stringify(s)}`);
  }
  box.replaceChildren(...facts.map((f) => el('div', { text: f })));
}

/** The explanation of a _bulk body (see src/explain.rs), or the conflicts and failures of a _bulk response. */
export function renderExplanation(box, mode, r) {
  if (mode === 'bulk-result') {
    const list = (title, items) => [el('h3', { text: `${title} (${items.length})` }),
      el('ul', {}, ...items.slice(0, 200).map((i) => el('li', { text: `${i && i._id !== undefined ? i._id : '?'}: ${i && i.status} ${i && i.error ? (i.error.type || '') + ' ' + (i.error.reason || '') : ''}` })))];
    box.replaceChildren(...list('msg.conflicts', r.conflicts), ...list('msg.failures', r.failures));
    return;
  }
  if (!r.explain) {
    box.replaceChildren();
    return;
  }
  const e = r.explain;
  const parts = [];
  if (e.shared.length) {
    parts.push(el('h3', { text: `_ids shared within this batch: ${e.shared.length} (every create after the first is a 409)` }),
      el('ul', { class: 'shared' }, ...e.shared.slice(0, 100).map((s) => el('li', {}, el('code', { text: s.id }), ` documents ${s.documents.join(', ')}`))));
  } else if (e.documents > 0) {
    parts.push(el('p', { text: 'Every _id in this batch is distinct.' }));
  }
  if (e.details.length) {
    const cell = 'text-align: left; vertical-align: top; padding: 2px 6px 2px 0; border-bottom: 1px solid #e3e3e3';
    // With ECS the original fields moved (not removed): where to, per document.
    const moved = e.details.some((d) => d.originalAt);
    const titles = ['#', 'input', '_id', '@timestamp', 'from', 'removed by cleaning', ...(moved ? ['original fields under'] : []), 'same _id as'];
    const head = el('tr', {}, ...titles.map((h) => el('th', { text: h, style: cell })));
    const rows = e.details.map((d) => el('tr', { 'data-document': String(d.document) },
      el('td', { text: String(d.document), style: cell }),
      el('td', { text: String(d.input), style: cell }),
      el('td', { style: `${cell}; word-break: break-all; min-width: 12em` }, el('code', { text: d.id === null || d.id === undefined ? '(none: Elasticsearch makes one)' : d.id })),
      el('td', { text: d.timestamp, style: `${cell}; white-space: nowrap` }),
      el('td', { class: `from-${d.timestampFrom.replace(/\W/g, '-')}`, text: d.timestampFrom, style: cell }),
      el('td', { text: d.removed.length ? d.removed.join(', ') : '—', style: `${cell}; min-width: 14em` }),
      ...(moved ? [el('td', { class: 'original-at', text: d.originalAt || '—', style: cell })] : []),
      el('td', { text: d.sharesIdWith.length ? d.sharesIdWith.join(', ') : '—', style: cell })));
    parts.push(el('table', { style: 'border-collapse: collapse; width: 100%; font-size: 12px' }, el('thead', {}, head), el('tbody', {}, ...rows)));
    if (e.documents > e.details.length) parts.push(el('p', { text: `The first ${e.details.length} of ${e.documents} documents are explained.` }));
  }
  box.replaceChildren(...parts);
}
