// Runs transforms in worker.js for the playground page and the editor's Preview tab: one run at
// a time, the latest wins (a run still going when a newer one starts is stopped by replacing the
// worker, so a large response never delays the next result).

const WORKER = new URL('./worker.js', import.meta.url);

export class Runner {
  constructor() {
    this.worker = null;
    this.pending = null; // {id, resolve}
    this.next = 1;
  }

  /** Resolves to {ok, result | error, ms} for the latest request, or to null when a newer one replaced it. */
  run(request) {
    if (this.pending) {
      // Still busy with an older input: stop it.
      this.pending.resolve(null);
      this.pending = null;
      this.stop();
    }
    if (!this.worker) {
      this.worker = new Worker(WORKER, { type: 'module' });
      this.worker.onmessage = (event) => this.answer(event.data);
      this.worker.onerror = (event) => this.answer({ id: this.pending && this.pending.id, ok: false, error: `the worker failed: ${event.message || 'could not load worker.js'}`, internal: true });
    }
    const id = this.next++;
    return new Promise((resolve) => {
      this.pending = { id, resolve };
      this.worker.postMessage({ id, ...request });
    });
  }

  answer(message) {
    if (!this.pending || message.id !== this.pending.id) return;
    const { resolve } = this.pending;
    this.pending = null;
    // A trapped module is not reused (see sentinel.js call()).
    if (message.internal) this.stop();
    resolve(message);
  }

  stop() {
    if (this.worker) this.worker.terminate();
    this.worker = null;
  }
}
