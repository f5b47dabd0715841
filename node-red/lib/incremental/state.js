'use strict';
// Where the incremental mode remembers how far it has read: one small JSON file per tenant,
// table and destination under Node-RED's user directory, written atomically (a temporary file,
// fsync, rename, fsync of the directory), so that a SIGKILL at any moment leaves either the old
// cursor or the new one, never a torn file. Needs no context store to be configured.

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const VERSION = 1;
const STALE_TMP_MS = 60e3;

class StateStore {
  /** `dir`: the folder of the state files (created when first written). */
  constructor(dir) {
    this.dir = dir;
    // A temporary file left by a process killed while saving: the state it belonged to is the
    // previous one (the rename never happened), so it holds nothing to keep. Only old ones: a
    // node of another flow may be saving right now.
    try {
      for (const name of fs.readdirSync(dir)) {
        const file = path.join(dir, name);
        if (name.endsWith('.tmp') && Date.now() - fs.statSync(file).mtimeMs > STALE_TMP_MS) fs.rmSync(file, { force: true });
      }
    } catch { /* no folder yet */ }
  }

  /** The file of a key: readable parts, then a hash of the whole key (no collisions, no path tricks). */
  file(key) {
    const readable = [key.workspaceId, key.table].map((p) => String(p).replace(/[^A-Za-z0-9_-]/g, '_')).join('.');
    const hash = crypto.createHash('sha256').update(JSON.stringify(key)).digest('hex').slice(0, 16);
    return path.join(this.dir, `${readable}.${hash}.json`);
  }

  /** The saved state of `key`, or null when there is none. A damaged file is an error that names it. */
  load(key) {
    const file = this.file(key);
    let text;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      if (err.code === 'ENOENT') return null;
      throw new Error(`cannot read the incremental state ${file}: ${err.message}`);
    }
    try {
      const state = JSON.parse(text);
      if (!state || state.version !== VERSION || !state.cursor || typeof state.cursor.time !== 'string') throw new Error('unexpected content');
      return state;
    } catch (err) {
      throw new Error(`the incremental state ${file} is damaged (${err.message}): delete it to read again from the initial lookback (documents already written are not duplicated)`);
    }
  }

  /** Saves `state` for `key` atomically and durably. */
  save(key, state) {
    const file = this.file(key);
    fs.mkdirSync(this.dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    const text = `${JSON.stringify({ version: VERSION, ...state, key }, null, 2)}\n`;
    const fd = fs.openSync(tmp, 'w', 0o600);
    try {
      fs.writeFileSync(fd, text);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
    try {
      const dirFd = fs.openSync(this.dir, 'r');
      try { fs.fsyncSync(dirFd); } finally { fs.closeSync(dirFd); }
    } catch { /* some file systems cannot fsync a directory; the rename is still atomic */ }
  }
}

module.exports = { StateStore };
