'use strict';
// What each step of the original flow sets on the message, and how an oracle result reads as
// one of three outcomes: {throws: true} (the original threw, or called node.error and sent
// nothing), {none: true} (sent nothing, no error), or {parts, warnings}.

const PARTS = {
  'create-jwt': ['payload'],
  'token-request': ['method', 'url', 'headers', 'payload'],
  'query-alerts': ['method', 'url', 'headers', 'payload'],
  'query-incidents': ['method', 'url', 'headers', 'payload'],
  convert: ['payload'],
  'prepare-bulk': ['payload', 'headers', 'method', 'url'],
  'filter-409': ['payload', 'bulkSummary', 'conflicts', 'failures'],
};

function outcomeOf(step, output) {
  if (output.thrown || (output.msg === null && output.errors.length > 0)) return { throws: true };
  if (output.msg === null) return { none: true };
  const parts = {};
  for (const k of Object.keys(output.msg)) if (PARTS[step].includes(k)) parts[k] = output.msg[k];
  return { parts, warnings: output.warnings };
}

const short = (s, n = 200) => (s.length > n ? s.slice(0, n) + `... (${s.length} chars)` : s);

// What is wrong with `warnings` (ours, as strings) against the expected outcome's: for a
// deliberate case whose warnings list what they must name (`includes`), each must name those
// parts; otherwise they must be the same list.
function warningProblems(kase, expected, warnings) {
  const problems = [];
  if (kase.deliberate && expected.warnings && expected.warnings.some((w) => w.includes)) {
    if (warnings.length !== expected.warnings.length) problems.push(`expected ${expected.warnings.length} warning(s), got ${JSON.stringify(warnings)}`);
    expected.warnings.forEach((w, i) => {
      const text = String(warnings[i] || '');
      for (const part of w.includes) {
        const hit = /^\d+$/.test(part) ? new RegExp(`(^|\\D)${part}(\\D|$)`).test(text) : text.includes(part);
        if (!hit) problems.push(`warning ${i} ${JSON.stringify(text)} does not name ${JSON.stringify(part)}`);
      }
    });
  } else if (JSON.stringify(warnings) !== JSON.stringify(expected.warnings || [])) {
    problems.push(`warnings ${short(JSON.stringify(warnings))} instead of ${short(JSON.stringify(expected.warnings || []))}`);
  }
  return problems;
}

module.exports = { PARTS, outcomeOf, warningProblems };
