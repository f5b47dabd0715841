'use strict';
// Finds the package's WebAssembly memory. pkg/node does not export it, so this wraps the
// WebAssembly.Instance constructor (require this file before anything loads pkg/node) and keeps
// the memory of the latest instance that has the package's exports. The facade reloads the
// module after a trap; the latest instance is the live one.

let memory = null;
let instances = 0;
// Counts the instances whose memory was collected (a WeakRef would keep it for the job that
// made or read it).
let freed = 0;
const collected = new FinalizationRegistry(() => { freed += 1; });

if (!WebAssembly.Instance.__benchProbe) {
    const Original = WebAssembly.Instance;
    const Probe = new Proxy(Original, {
        construct(target, args, newTarget) {
            const instance = Reflect.construct(target, args, newTarget === Probe ? target : newTarget);
            const exp = instance.exports;
            if (exp.memory instanceof WebAssembly.Memory && typeof exp.wasmMemory === 'function') {
                memory = exp.memory;
                instances += 1;
                collected.register(exp.memory, null);
            }
            return instance;
        },
        get(target, prop, receiver) {
            return prop === '__benchProbe' ? true : Reflect.get(target, prop, receiver);
        },
    });
    WebAssembly.Instance = Probe;
}

/** Bytes of the live instance's linear memory, or null when the module is not loaded yet. */
function wasmBytes() {
    return memory ? memory.buffer.byteLength : null;
}

/** How many instances' memories are not collected yet (after gc() and a turn of the event loop). */
function reachable() {
    return instances - freed;
}

module.exports = { wasmBytes, instances: () => instances, reachable };
