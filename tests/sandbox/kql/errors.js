'use strict';
// The errors of the KQL subset, shaped like the query API's innererror: {kind, code, message, line, pos, token}.

class KqlError extends Error {
  constructor(kind, code, message, extra = {}) {
    super(message);
    Object.assign(this, { kind, code }, extra);
  }
}

const at = (tok) => (tok ? { line: tok.line, pos: tok.pos, token: tok.text } : {});

/** SYN0002, as Kusto reports a token it cannot parse. */
const syntaxError = (tok) => new KqlError('SyntaxError', 'SYN0002', `Query could not be parsed at '${tok.text}' on line [${tok.line},${tok.pos}]`, at(tok));

/** A semantic error (unknown name, wrong types, ...) located at `tok`. */
const semanticError = (code, message, tok) => new KqlError('SemanticError', code, message, at(tok));

module.exports = { KqlError, syntaxError, semanticError };
