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

module.exports = { PARTS, outcomeOf };
