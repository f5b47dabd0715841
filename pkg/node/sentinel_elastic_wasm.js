/**
 * The NDJSON body straight from a query API response (the fused path), a slice of rows at a
 * time, so that JavaScript can let its event loop run between slices (or all in one step).
 */
class BulkJob {
    static __wrap(ptr) {
        const obj = Object.create(BulkJob.prototype);
        obj.__wbg_ptr = ptr;
        BulkJobFinalization.register(obj, obj.__wbg_ptr, obj);
        return obj;
    }
    __destroy_into_raw() {
        const ptr = this.__wbg_ptr;
        this.__wbg_ptr = 0;
        BulkJobFinalization.unregister(this);
        return ptr;
    }
    free() {
        const ptr = this.__destroy_into_raw();
        wasm.__wbg_bulkjob_free(ptr, 0);
    }
    /**
     * Forgets the pending NDJSON once JavaScript has read it.
     */
    clearPending() {
        wasm.bulkjob_clearPending(this.__wbg_ptr);
    }
    /**
     * JSON text `{"first":{…},"last":{…},"error":…}`: the hidden columns of the first and last
     * rows, and the response's top-level `error` member (see `bulk::Job::cursor`).
     * @returns {string}
     */
    cursor() {
        let deferred1_0;
        let deferred1_1;
        try {
            const ret = wasm.bulkjob_cursor(this.__wbg_ptr);
            deferred1_0 = ret[0];
            deferred1_1 = ret[1];
            return getStringFromWasm0(ret[0], ret[1]);
        } finally {
            wasm.__wbindgen_free(deferred1_0, deferred1_1, 1);
        }
    }
    /**
     * The rest of the NDJSON body, the document count and the warnings (call once).
     * @returns {Output}
     */
    finish() {
        const ret = wasm.bulkjob_finish(this.__wbg_ptr);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return Output.__wrap(ret[0]);
    }
    /**
     * True when the last step needs more of the response: write the next part before stepping.
     * @returns {boolean}
     */
    get hungry() {
        const ret = wasm.bulkjob_hungry(this.__wbg_ptr);
        return ret !== 0;
    }
    /**
     * The incremental mode's job (without a response, one given in parts, as `new`): every
     * revision its own document (`_id` `key@time`, or the original's key alone when
     * `revision_ids` is false), also written into `latest_index` when given, `@timestamp` the
     * same whenever a row is read, the `hidden` (cursor) columns left out of the documents and
     * reported by `cursor()`; `ecs`: documents in the Elastic Common Schema.
     * @param {Input | null | undefined} response
     * @param {string} index
     * @param {string | null | undefined} tenant_name_json
     * @param {number} now_ms
     * @param {boolean} revision_ids
     * @param {string | null | undefined} latest_index
     * @param {string[]} hidden
     * @param {boolean | null} [ecs]
     * @returns {BulkJob}
     */
    static incremental(response, index, tenant_name_json, now_ms, revision_ids, latest_index, hidden, ecs) {
        const val6 = +now_ms;
        const val7 = +revision_ids;
        let ptr0 = 0, ptr1, len1, ptr2, len2, ptr3, len3, ptr4, len4;
        try {
            if (!isLikeNone(response)) {
                _assertClass(response, Input);
                ptr0 = response.__destroy_into_raw();
            }
            ptr1 = passStringToWasm0(index, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            len1 = WASM_VECTOR_LEN;
            ptr2 = isLikeNone(tenant_name_json) ? 0 : passStringToWasm0(tenant_name_json, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            len2 = WASM_VECTOR_LEN;
            ptr3 = isLikeNone(latest_index) ? 0 : passStringToWasm0(latest_index, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            len3 = WASM_VECTOR_LEN;
            ptr4 = passArrayJsValueToWasm0(hidden, wasm.__wbindgen_malloc);
            len4 = WASM_VECTOR_LEN;
        } catch (e) {
            if (ptr4) { wasm.__externref_drop_slice(ptr4, len4); wasm.__wbindgen_free(ptr4, len4 * 4, 4); }
            if (ptr3) { wasm.__wbindgen_free(ptr3, len3 * 1, 1); }
            if (ptr2) { wasm.__wbindgen_free(ptr2, len2 * 1, 1); }
            if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 1, 1); }
            if (ptr0) wasm.__wbg_input_free(ptr0, 1);
            throw e;
        }
        const ret = wasm.bulkjob_incremental(ptr0, ptr1, len1, ptr2, len2, val6, val7, ptr3, len3, ptr4, len4, isLikeNone(ecs) ? 0xFFFFFF : ecs ? 1 : 0);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return BulkJob.__wrap(ret[0]);
    }
    /**
     * Validates a query API response and finds its rows; without one, a job given the response
     * in parts (UTF-8, untagged): `room`, then `wrote`, whenever it is `hungry`.
     * @param {Input | null | undefined} response
     * @param {string} index
     * @param {string | null | undefined} tenant_name_json
     * @param {number} now_ms
     * @param {boolean | null} [ecs]
     */
    constructor(response, index, tenant_name_json, now_ms, ecs) {
        const val4 = +now_ms;
        let ptr0 = 0, ptr1, len1, ptr2, len2;
        try {
            if (!isLikeNone(response)) {
                _assertClass(response, Input);
                ptr0 = response.__destroy_into_raw();
            }
            ptr1 = passStringToWasm0(index, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            len1 = WASM_VECTOR_LEN;
            ptr2 = isLikeNone(tenant_name_json) ? 0 : passStringToWasm0(tenant_name_json, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            len2 = WASM_VECTOR_LEN;
        } catch (e) {
            if (ptr2) { wasm.__wbindgen_free(ptr2, len2 * 1, 1); }
            if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 1, 1); }
            if (ptr0) wasm.__wbg_input_free(ptr0, 1);
            throw e;
        }
        const ret = wasm.bulkjob_new(ptr0, ptr1, len1, ptr2, len2, val4, isLikeNone(ecs) ? 0xFFFFFF : ecs ? 1 : 0);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        this.__wbg_ptr = ret[0];
        BulkJobFinalization.register(this, this.__wbg_ptr, this);
        return this;
    }
    /**
     * How many bytes of NDJSON are pending.
     * @returns {number}
     */
    pendingLen() {
        const ret = wasm.bulkjob_pendingLen(this.__wbg_ptr);
        return ret >>> 0;
    }
    /**
     * Where the NDJSON written since the last `clearPending` is (see [`wasm_memory`]).
     * @returns {number}
     */
    pendingPtr() {
        const ret = wasm.bulkjob_pendingPtr(this.__wbg_ptr);
        return ret >>> 0;
    }
    /**
     * Where the pending NDJSON holds characters outside ASCII (see `Output::text_spans`).
     * @returns {Uint32Array}
     */
    pendingSpans() {
        const ret = wasm.bulkjob_pendingSpans(this.__wbg_ptr);
        var v1 = getArrayU32FromWasm0(ret[0], ret[1]).slice();
        wasm.__wbindgen_free(ret[0], ret[1] * 4, 4);
        return v1;
    }
    /**
     * Where to write up to `len` bytes of the next part in the module's memory (see
     * [`wasm_memory`]; valid until the next call).
     * @param {number} len
     * @returns {number}
     */
    room(len) {
        const ret = wasm.bulkjob_room(this.__wbg_ptr, len);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return ret[0] >>> 0;
    }
    /**
     * Writes up to `rows` more rows; true once every row is written.
     * @param {number} rows
     * @returns {boolean}
     */
    step(rows) {
        const ret = wasm.bulkjob_step(this.__wbg_ptr, rows);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return ret[0] !== 0;
    }
    /**
     * `len` bytes were written into the room; `last`: the response ends there.
     * @param {number} len
     * @param {boolean} last
     */
    wrote(len, last) {
        const ret = wasm.bulkjob_wrote(this.__wbg_ptr, len, last);
        if (ret[1]) {
            throw takeFromExternrefTable0(ret[0]);
        }
    }
}
if (Symbol.dispose) BulkJob.prototype[Symbol.dispose] = BulkJob.prototype.free;
exports.BulkJob = BulkJob;

/**
 * A `_bulk` response read a slice of items at a time (see `bulk_result::Job`): where its items
 * are, and the rest of the response.
 */
class BulkResultJob {
    __destroy_into_raw() {
        const ptr = this.__wbg_ptr;
        this.__wbg_ptr = 0;
        BulkResultJobFinalization.unregister(this);
        return ptr;
    }
    free() {
        const ptr = this.__destroy_into_raw();
        wasm.__wbg_bulkresultjob_free(ptr, 0);
    }
    /**
     * The response without its items (`items` is `0` where it has one), as [`Json`].
     * @returns {any}
     */
    frame() {
        const ret = wasm.bulkresultjob_frame(this.__wbg_ptr);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
    /**
     * Where the response is in the module's memory (see [`wasm_memory`]).
     * @returns {number}
     */
    inputPtr() {
        const ret = wasm.bulkresultjob_inputPtr(this.__wbg_ptr);
        return ret >>> 0;
    }
    /**
     * How many bytes that text has.
     * @param {number} from
     * @param {number} to
     * @returns {number}
     */
    itemsLen(from, to) {
        const ret = wasm.bulkresultjob_itemsLen(this.__wbg_ptr, from, to);
        return ret >>> 0;
    }
    /**
     * Where the text of items `from..to` starts in the response: with the commas between them,
     * the inside of a JSON array.
     * @param {number} from
     * @param {number} to
     * @returns {number}
     */
    itemsStart(from, to) {
        const ret = wasm.bulkresultjob_itemsStart(this.__wbg_ptr, from, to);
        return ret >>> 0;
    }
    /**
     * The end of a run of items from `from` whose text is at most `max_len` bytes (at least one).
     * @param {number} from
     * @param {number} max_len
     * @returns {number}
     */
    itemsWithin(from, max_len) {
        const ret = wasm.bulkresultjob_itemsWithin(this.__wbg_ptr, from, max_len);
        return ret >>> 0;
    }
    /**
     * How many items the response has (once read).
     * @returns {number}
     */
    get items() {
        const ret = wasm.bulkresultjob_items(this.__wbg_ptr);
        return ret >>> 0;
    }
    /**
     * Starts reading a `_bulk` response.
     * @param {Input} response
     */
    constructor(response) {
        _assertClass(response, Input);
        var ptr0 = response.__destroy_into_raw();
        const ret = wasm.bulkresultjob_new(ptr0);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        this.__wbg_ptr = ret[0];
        BulkResultJobFinalization.register(this, this.__wbg_ptr, this);
        return this;
    }
    /**
     * Reads up to `items` more items; true once the whole response is read.
     * @param {number} items
     * @returns {boolean}
     */
    step(items) {
        const ret = wasm.bulkresultjob_step(this.__wbg_ptr, items);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return ret[0] !== 0;
    }
}
if (Symbol.dispose) BulkResultJob.prototype[Symbol.dispose] = BulkResultJob.prototype.free;
exports.BulkResultJob = BulkResultJob;

/**
 * The NDJSON body from an array of documents given in parts, or in one (see `bulk::DocumentsJob`).
 */
class DocumentsJob {
    static __wrap(ptr) {
        const obj = Object.create(DocumentsJob.prototype);
        obj.__wbg_ptr = ptr;
        DocumentsJobFinalization.register(obj, obj.__wbg_ptr, obj);
        return obj;
    }
    __destroy_into_raw() {
        const ptr = this.__wbg_ptr;
        this.__wbg_ptr = 0;
        DocumentsJobFinalization.unregister(this);
        return ptr;
    }
    free() {
        const ptr = this.__destroy_into_raw();
        wasm.__wbg_documentsjob_free(ptr, 0);
    }
    /**
     * Forgets the pending NDJSON once JavaScript has read it.
     */
    clearPending() {
        wasm.documentsjob_clearPending(this.__wbg_ptr);
    }
    /**
     * The rest of the NDJSON body, the document count and the warnings (call once).
     * @returns {Output}
     */
    finish() {
        const ret = wasm.documentsjob_finish(this.__wbg_ptr);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return Output.__wrap(ret[0]);
    }
    /**
     * The incremental mode's job for documents (see [`BulkJob::incremental`]; no latest index).
     * @param {string} index
     * @param {string | null | undefined} tenant_name_json
     * @param {number} now_ms
     * @param {number} input_len
     * @param {boolean} revision_ids
     * @param {boolean | null} [ecs]
     * @returns {DocumentsJob}
     */
    static incremental(index, tenant_name_json, now_ms, input_len, revision_ids, ecs) {
        const val3 = +now_ms;
        const val4 = +input_len;
        const val5 = +revision_ids;
        let ptr0, len0, ptr1, len1;
        try {
            ptr0 = passStringToWasm0(index, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            len0 = WASM_VECTOR_LEN;
            ptr1 = isLikeNone(tenant_name_json) ? 0 : passStringToWasm0(tenant_name_json, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            len1 = WASM_VECTOR_LEN;
        } catch (e) {
            if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 1, 1); }
            if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 1, 1); }
            throw e;
        }
        const ret = wasm.documentsjob_incremental(ptr0, len0, ptr1, len1, val3, val4, val5, isLikeNone(ecs) ? 0xFFFFFF : ecs ? 1 : 0);
        return DocumentsJob.__wrap(ret);
    }
    /**
     * A job for about `input_len` bytes of documents.
     * @param {string} index
     * @param {string | null | undefined} tenant_name_json
     * @param {number} now_ms
     * @param {number} input_len
     * @param {boolean | null} [ecs]
     */
    constructor(index, tenant_name_json, now_ms, input_len, ecs) {
        const val3 = +now_ms;
        const val4 = +input_len;
        let ptr0, len0, ptr1, len1;
        try {
            ptr0 = passStringToWasm0(index, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            len0 = WASM_VECTOR_LEN;
            ptr1 = isLikeNone(tenant_name_json) ? 0 : passStringToWasm0(tenant_name_json, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            len1 = WASM_VECTOR_LEN;
        } catch (e) {
            if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 1, 1); }
            if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 1, 1); }
            throw e;
        }
        const ret = wasm.documentsjob_new(ptr0, len0, ptr1, len1, val3, val4, isLikeNone(ecs) ? 0xFFFFFF : ecs ? 1 : 0);
        this.__wbg_ptr = ret;
        DocumentsJobFinalization.register(this, this.__wbg_ptr, this);
        return this;
    }
    /**
     * How many bytes of NDJSON are pending.
     * @returns {number}
     */
    pendingLen() {
        const ret = wasm.documentsjob_pendingLen(this.__wbg_ptr);
        return ret >>> 0;
    }
    /**
     * Where the NDJSON written since the last `clearPending` is (see [`wasm_memory`]).
     * @returns {number}
     */
    pendingPtr() {
        const ret = wasm.documentsjob_pendingPtr(this.__wbg_ptr);
        return ret >>> 0;
    }
    /**
     * Where the pending NDJSON holds characters outside ASCII (see `Output::text_spans`).
     * @returns {Uint32Array}
     */
    pendingSpans() {
        const ret = wasm.documentsjob_pendingSpans(this.__wbg_ptr);
        var v1 = getArrayU32FromWasm0(ret[0], ret[1]).slice();
        wasm.__wbindgen_free(ret[0], ret[1] * 4, 4);
        return v1;
    }
    /**
     * Writes the next documents: the JSON text of an array of them.
     * @param {Input} docs
     */
    push(docs) {
        _assertClass(docs, Input);
        var ptr0 = docs.__destroy_into_raw();
        const ret = wasm.documentsjob_push(this.__wbg_ptr, ptr0);
        if (ret[1]) {
            throw takeFromExternrefTable0(ret[0]);
        }
    }
}
if (Symbol.dispose) DocumentsJob.prototype[Symbol.dispose] = DocumentsJob.prototype.free;
exports.DocumentsJob = DocumentsJob;

/**
 * Bytes that JavaScript writes straight into the module's memory (a string's UTF-8 with
 * `TextEncoder.encodeInto`, a Buffer's bytes with `set`) and then gives to a function here, which takes
 * them without another copy.
 */
class Input {
    __destroy_into_raw() {
        const ptr = this.__wbg_ptr;
        this.__wbg_ptr = 0;
        InputFinalization.unregister(this);
        return ptr;
    }
    free() {
        const ptr = this.__destroy_into_raw();
        wasm.__wbg_input_free(ptr, 0);
    }
    /**
     * `len` zero bytes to write into; `from_string` when they will be valid UTF-8, `tagged`
     * when that string is JSON text written from a JavaScript value with `undefined` or `NaN`.
     * @param {number} len
     * @param {boolean} from_string
     * @param {boolean} tagged
     */
    constructor(len, from_string, tagged) {
        const ret = wasm.input_new(len, from_string, tagged);
        this.__wbg_ptr = ret;
        InputFinalization.register(this, this.__wbg_ptr, this);
        return this;
    }
    /**
     * Where the bytes are in the module's memory (see [`wasm_memory`]); it moves when the
     * Input is resized.
     * @returns {number}
     */
    ptr() {
        const ret = wasm.input_ptr(this.__wbg_ptr);
        return ret >>> 0;
    }
    /**
     * Makes the Input `len` bytes long: zeros are added, or the end is cut off.
     * @param {number} len
     */
    resize(len) {
        wasm.input_resize(this.__wbg_ptr, len);
    }
}
if (Symbol.dispose) Input.prototype[Symbol.dispose] = Input.prototype.free;
exports.Input = Input;

/**
 * What a job gives when it finishes: the rest of its text (NDJSON, read in place), how many
 * items it holds, warnings, and an extra text. JavaScript turns the bytes into a string far
 * faster than wasm-bindgen's `TextDecoder` does when they are ASCII, as they mostly are.
 */
class Output {
    static __wrap(ptr) {
        const obj = Object.create(Output.prototype);
        obj.__wbg_ptr = ptr;
        OutputFinalization.register(obj, obj.__wbg_ptr, obj);
        return obj;
    }
    __destroy_into_raw() {
        const ptr = this.__wbg_ptr;
        this.__wbg_ptr = 0;
        OutputFinalization.unregister(this);
        return ptr;
    }
    free() {
        const ptr = this.__destroy_into_raw();
        wasm.__wbg_output_free(ptr, 0);
    }
    /**
     * How many rows or documents the text holds.
     * @returns {number}
     */
    get count() {
        const ret = wasm.output_count(this.__wbg_ptr);
        return ret >>> 0;
    }
    /**
     * Rows: the property names as a JSON array when a row was shorter than the columns.
     * @returns {string | undefined}
     */
    get extra() {
        const ret = wasm.output_extra(this.__wbg_ptr);
        let v1;
        if (ret[0] !== 0) {
            v1 = getStringFromWasm0(ret[0], ret[1]);
            wasm.__wbindgen_free(ret[0], ret[1] * 1, 1);
        }
        return v1;
    }
    /**
     * How many bytes the text has.
     * @returns {number}
     */
    textLen() {
        const ret = wasm.output_textLen(this.__wbg_ptr);
        return ret >>> 0;
    }
    /**
     * Where the text's bytes are in the module's memory (see [`wasm_memory`]), so that JavaScript
     * can read them in place instead of copying them out first.
     * @returns {number}
     */
    textPtr() {
        const ret = wasm.output_textPtr(this.__wbg_ptr);
        return ret >>> 0;
    }
    /**
     * Where the text holds characters outside ASCII (see `json::ascii::non_ascii_spans`), so
     * that JavaScript decodes only those spans as UTF-8 and copies the rest as Latin-1.
     * @returns {Uint32Array}
     */
    textSpans() {
        const ret = wasm.output_textSpans(this.__wbg_ptr);
        var v1 = getArrayU32FromWasm0(ret[0], ret[1]).slice();
        wasm.__wbindgen_free(ret[0], ret[1] * 4, 4);
        return v1;
    }
    /**
     * Warnings about skipped or repaired input.
     * @returns {string[]}
     */
    get warnings() {
        const ret = wasm.output_warnings(this.__wbg_ptr);
        var v1 = getArrayJsValueFromWasm0(ret[0], ret[1]);
        wasm.__wbindgen_free(ret[0], ret[1] * 4, 4);
        return v1;
    }
}
if (Symbol.dispose) Output.prototype[Symbol.dispose] = Output.prototype.free;
exports.Output = Output;

/**
 * The rows of a query response a slice at a time, or all in one step (see `rows::Job`).
 */
class RowsJob {
    static __wrap(ptr) {
        const obj = Object.create(RowsJob.prototype);
        obj.__wbg_ptr = ptr;
        RowsJobFinalization.register(obj, obj.__wbg_ptr, obj);
        return obj;
    }
    __destroy_into_raw() {
        const ptr = this.__wbg_ptr;
        this.__wbg_ptr = 0;
        RowsJobFinalization.unregister(this);
        return ptr;
    }
    free() {
        const ptr = this.__destroy_into_raw();
        wasm.__wbg_rowsjob_free(ptr, 0);
    }
    /**
     * True once every row has been given.
     * @returns {boolean}
     */
    get done() {
        const ret = wasm.rowsjob_done(this.__wbg_ptr);
        return ret !== 0;
    }
    /**
     * The row count, warnings and (for short rows) property names; no text.
     * @returns {Output}
     */
    finish() {
        const ret = wasm.rowsjob_finish(this.__wbg_ptr);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return Output.__wrap(ret[0]);
    }
    /**
     * True when the last step needs more of the response: write the next part before stepping.
     * @returns {boolean}
     */
    get hungry() {
        const ret = wasm.rowsjob_hungry(this.__wbg_ptr);
        return ret !== 0;
    }
    /**
     * A job given the response in parts (UTF-8, untagged): `room`, then `wrote`, whenever it
     * is `hungry`.
     * @returns {RowsJob}
     */
    static inParts() {
        const ret = wasm.rowsjob_inParts();
        return RowsJob.__wrap(ret);
    }
    /**
     * Validates a query API response and finds its rows.
     * @param {Input} response
     */
    constructor(response) {
        _assertClass(response, Input);
        var ptr0 = response.__destroy_into_raw();
        const ret = wasm.rowsjob_new(ptr0);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        this.__wbg_ptr = ret[0];
        RowsJobFinalization.register(this, this.__wbg_ptr, this);
        return this;
    }
    /**
     * Where to write up to `len` bytes of the next part in the module's memory (see
     * [`wasm_memory`]; valid until the next call).
     * @param {number} len
     * @returns {number}
     */
    room(len) {
        const ret = wasm.rowsjob_room(this.__wbg_ptr, len);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return ret[0] >>> 0;
    }
    /**
     * The JSON array of up to `rows` more rows (see `done` and `tags`).
     * @param {number} rows
     * @returns {string}
     */
    step(rows) {
        let deferred2_0;
        let deferred2_1;
        try {
            const ret = wasm.rowsjob_step(this.__wbg_ptr, rows);
            var ptr1 = ret[0];
            var len1 = ret[1];
            if (ret[3]) {
                ptr1 = 0; len1 = 0;
                throw takeFromExternrefTable0(ret[2]);
            }
            deferred2_0 = ptr1;
            deferred2_1 = len1;
            return getStringFromWasm0(ptr1, len1);
        } finally {
            wasm.__wbindgen_free(deferred2_0, deferred2_1, 1);
        }
    }
    /**
     * Where `undefined` and `NaN` go back in the last slice, once parsed (see [`Json`]).
     * @returns {string | undefined}
     */
    get tags() {
        const ret = wasm.rowsjob_tags(this.__wbg_ptr);
        let v1;
        if (ret[0] !== 0) {
            v1 = getStringFromWasm0(ret[0], ret[1]);
            wasm.__wbindgen_free(ret[0], ret[1] * 1, 1);
        }
        return v1;
    }
    /**
     * `len` bytes were written into the room; `last`: the response ends there.
     * @param {number} len
     * @param {boolean} last
     */
    wrote(len, last) {
        const ret = wasm.rowsjob_wrote(this.__wbg_ptr, len, last);
        if (ret[1]) {
            throw takeFromExternrefTable0(ret[0]);
        }
    }
}
if (Symbol.dispose) RowsJob.prototype[Symbol.dispose] = RowsJob.prototype.free;
exports.RowsJob = RowsJob;

/**
 * A parsed RSA private key, kept across signatures.
 */
class SigningKey {
    __destroy_into_raw() {
        const ptr = this.__wbg_ptr;
        this.__wbg_ptr = 0;
        SigningKeyFinalization.unregister(this);
        return ptr;
    }
    free() {
        const ptr = this.__destroy_into_raw();
        wasm.__wbg_signingkey_free(ptr, 0);
    }
    /**
     * Signs a client assertion; returns `{assertion, claims}`, the claims as [`Json`].
     * @param {string} client_id
     * @param {string} tenant_id
     * @param {string} authority_host
     * @param {number} now_seconds
     * @param {number} lifetime
     * @param {string | null | undefined} jti
     * @param {string} algorithm
     * @param {string | null} [kid]
     * @param {string | null} [x5t]
     * @param {string | null} [x5t_s256]
     * @returns {any}
     */
    createAssertion(client_id, tenant_id, authority_host, now_seconds, lifetime, jti, algorithm, kid, x5t, x5t_s256) {
        const val9 = +now_seconds;
        const val10 = +lifetime;
        let ptr0, len0, ptr1, len1, ptr2, len2, ptr3, len3, ptr4, len4, ptr5, len5, ptr6, len6, ptr7, len7;
        try {
            ptr0 = passStringToWasm0(client_id, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            len0 = WASM_VECTOR_LEN;
            ptr1 = passStringToWasm0(tenant_id, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            len1 = WASM_VECTOR_LEN;
            ptr2 = passStringToWasm0(authority_host, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            len2 = WASM_VECTOR_LEN;
            ptr3 = isLikeNone(jti) ? 0 : passStringToWasm0(jti, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            len3 = WASM_VECTOR_LEN;
            ptr4 = passStringToWasm0(algorithm, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            len4 = WASM_VECTOR_LEN;
            ptr5 = isLikeNone(kid) ? 0 : passStringToWasm0(kid, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            len5 = WASM_VECTOR_LEN;
            ptr6 = isLikeNone(x5t) ? 0 : passStringToWasm0(x5t, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            len6 = WASM_VECTOR_LEN;
            ptr7 = isLikeNone(x5t_s256) ? 0 : passStringToWasm0(x5t_s256, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            len7 = WASM_VECTOR_LEN;
        } catch (e) {
            if (ptr7) { wasm.__wbindgen_free(ptr7, len7 * 1, 1); }
            if (ptr6) { wasm.__wbindgen_free(ptr6, len6 * 1, 1); }
            if (ptr5) { wasm.__wbindgen_free(ptr5, len5 * 1, 1); }
            if (ptr4) { wasm.__wbindgen_free(ptr4, len4 * 1, 1); }
            if (ptr3) { wasm.__wbindgen_free(ptr3, len3 * 1, 1); }
            if (ptr2) { wasm.__wbindgen_free(ptr2, len2 * 1, 1); }
            if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 1, 1); }
            if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 1, 1); }
            throw e;
        }
        const ret = wasm.signingkey_createAssertion(this.__wbg_ptr, ptr0, len0, ptr1, len1, ptr2, len2, val9, val10, ptr3, len3, ptr4, len4, ptr5, len5, ptr6, len6, ptr7, len7);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        return takeFromExternrefTable0(ret[0]);
    }
    /**
     * Parses a PKCS#8 or PKCS#1 PEM (also the one-line form with literal `\n`).
     * @param {string} pem
     */
    constructor(pem) {
        const ptr0 = passStringToWasm0(pem, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ret = wasm.signingkey_new(ptr0, len0);
        if (ret[2]) {
            throw takeFromExternrefTable0(ret[1]);
        }
        this.__wbg_ptr = ret[0];
        SigningKeyFinalization.register(this, this.__wbg_ptr, this);
        return this;
    }
}
if (Symbol.dispose) SigningKey.prototype[Symbol.dispose] = SigningKey.prototype.free;
exports.SigningKey = SigningKey;

/**
 * The `_bulk` URL for an Elasticsearch origin and an ingest pipeline.
 * @param {string} host
 * @param {string} pipeline
 * @returns {string}
 */
function bulkUrl(host, pipeline) {
    let deferred4_0;
    let deferred4_1;
    try {
        let ptr0, len0, ptr1, len1;
        try {
            ptr0 = passStringToWasm0(host, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            len0 = WASM_VECTOR_LEN;
            ptr1 = passStringToWasm0(pipeline, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            len1 = WASM_VECTOR_LEN;
        } catch (e) {
            if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 1, 1); }
            if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 1, 1); }
            throw e;
        }
        const ret = wasm.bulkUrl(ptr0, len0, ptr1, len1);
        var ptr3 = ret[0];
        var len3 = ret[1];
        if (ret[3]) {
            ptr3 = 0; len3 = 0;
            throw takeFromExternrefTable0(ret[2]);
        }
        deferred4_0 = ptr3;
        deferred4_1 = len3;
        return getStringFromWasm0(ptr3, len3);
    } finally {
        wasm.__wbindgen_free(deferred4_0, deferred4_1, 1);
    }
}
exports.bulkUrl = bulkUrl;

/**
 * Checks a query node's settings (see `request::check_query_settings`).
 * @param {string} host
 * @param {string} table
 * @param {string} retention
 * @param {number} limit
 */
function checkQuerySettings(host, table, retention, limit) {
    const val4 = +limit;
    let ptr0, len0, ptr1, len1, ptr2, len2;
    try {
        ptr0 = passStringToWasm0(host, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        len0 = WASM_VECTOR_LEN;
        ptr1 = passStringToWasm0(table, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        len1 = WASM_VECTOR_LEN;
        ptr2 = passStringToWasm0(retention, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        len2 = WASM_VECTOR_LEN;
    } catch (e) {
        if (ptr2) { wasm.__wbindgen_free(ptr2, len2 * 1, 1); }
        if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 1, 1); }
        if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 1, 1); }
        throw e;
    }
    const ret = wasm.checkQuerySettings(ptr0, len0, ptr1, len1, ptr2, len2, val4);
    if (ret[1]) {
        throw takeFromExternrefTable0(ret[0]);
    }
}
exports.checkQuerySettings = checkQuerySettings;

/**
 * The defaults of the drop-in nodes' settings (see `request::Defaults`).
 * @returns {any}
 */
function defaults() {
    const ret = wasm.defaults();
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return takeFromExternrefTable0(ret[0]);
}
exports.defaults = defaults;

/**
 * Why each document of `ndjson` (a body written from `input`, a query API response when `kind`
 * is `response`, an array of documents when it is `documents`) looks as it does: a plain object
 * (see `explain::Explanation`), with details for the first `limit` documents; `ecs` when the
 * body was written with that option.
 * @param {Input} input
 * @param {string} kind
 * @param {Input} ndjson
 * @param {number} limit
 * @param {boolean | null} [ecs]
 * @returns {any}
 */
function explain(input, kind, ndjson, limit, ecs) {
    const val4 = +limit;
    let ptr0, ptr1, len1, ptr2;
    try {
        _assertClass(input, Input);
        ptr0 = input.__destroy_into_raw();
        ptr1 = passStringToWasm0(kind, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        len1 = WASM_VECTOR_LEN;
        _assertClass(ndjson, Input);
        ptr2 = ndjson.__destroy_into_raw();
    } catch (e) {
        if (ptr2) wasm.__wbg_input_free(ptr2, 1);
        if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 1, 1); }
        if (ptr0) wasm.__wbg_input_free(ptr0, 1);
        throw e;
    }
    const ret = wasm.explain(ptr0, ptr1, len1, ptr2, val4, isLikeNone(ecs) ? 0xFFFFFF : ecs ? 1 : 0);
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return takeFromExternrefTable0(ret[0]);
}
exports.explain = explain;

/**
 * The `_bulk` body for incidents of the Sentinel REST API (the JSON text of an array; see
 * `incidents::from_incidents`): every revision into `index` and `latest_index`, in the Elastic
 * Common Schema when `ecs`.
 * @param {Input} docs
 * @param {string} index
 * @param {string | null | undefined} tenant_name_json
 * @param {string | null | undefined} latest_index
 * @param {boolean} ecs
 * @returns {Output}
 */
function incidentsBulk(docs, index, tenant_name_json, latest_index, ecs) {
    const val5 = +ecs;
    let ptr0, ptr1, len1, ptr2, len2, ptr3, len3;
    try {
        _assertClass(docs, Input);
        ptr0 = docs.__destroy_into_raw();
        ptr1 = passStringToWasm0(index, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        len1 = WASM_VECTOR_LEN;
        ptr2 = isLikeNone(tenant_name_json) ? 0 : passStringToWasm0(tenant_name_json, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        len2 = WASM_VECTOR_LEN;
        ptr3 = isLikeNone(latest_index) ? 0 : passStringToWasm0(latest_index, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        len3 = WASM_VECTOR_LEN;
    } catch (e) {
        if (ptr3) { wasm.__wbindgen_free(ptr3, len3 * 1, 1); }
        if (ptr2) { wasm.__wbindgen_free(ptr2, len2 * 1, 1); }
        if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 1, 1); }
        if (ptr0) wasm.__wbg_input_free(ptr0, 1);
        throw e;
    }
    const ret = wasm.incidentsBulk(ptr0, ptr1, len1, ptr2, len2, ptr3, len3, val5);
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return Output.__wrap(ret[0]);
}
exports.incidentsBulk = incidentsBulk;

/**
 * How deep values may nest (the JavaScript side refuses deeper payloads with the same words).
 * @returns {number}
 */
function maxDepth() {
    const ret = wasm.maxDepth();
    return ret >>> 0;
}
exports.maxDepth = maxDepth;

/**
 * Where `text` holds characters outside ASCII, as a job's `pendingSpans` gives them.
 * @param {Uint8Array | number[]} text
 * @returns {Uint32Array}
 */
function nonAsciiSpans(text) {
    const ptr0 = passArray8ToWasm0(text, wasm.__wbindgen_malloc);
    const len0 = WASM_VECTOR_LEN;
    const ret = wasm.nonAsciiSpans(ptr0, len0);
    var v2 = getArrayU32FromWasm0(ret[0], ret[1]).slice();
    wasm.__wbindgen_free(ret[0], ret[1] * 4, 4);
    return v2;
}
exports.nonAsciiSpans = nonAsciiSpans;

/**
 * The origin (`scheme://host[:port]`) of a host setting without a path, checked as for the
 * authority and query hosts (the one host rule: request::origin).
 * @param {string} host
 * @returns {string}
 */
function origin(host) {
    let deferred3_0;
    let deferred3_1;
    try {
        const ptr0 = passStringToWasm0(host, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ret = wasm.origin(ptr0, len0);
        var ptr2 = ret[0];
        var len2 = ret[1];
        if (ret[3]) {
            ptr2 = 0; len2 = 0;
            throw takeFromExternrefTable0(ret[2]);
        }
        deferred3_0 = ptr2;
        deferred3_1 = len2;
        return getStringFromWasm0(ptr2, len2);
    } finally {
        wasm.__wbindgen_free(deferred3_0, deferred3_1, 1);
    }
}
exports.origin = origin;

/**
 * Recurses until V8 runs out of stack inside the module (a `RangeError`), so that tests can
 * check that such an instance is replaced like a trapped one.
 * @returns {number}
 */
function overflowForTests() {
    const ret = wasm.overflowForTests();
    return ret >>> 0;
}
exports.overflowForTests = overflowForTests;

/**
 * `{url, query}` of the Log Analytics query request.
 * @param {string} host
 * @param {string} workspace_id
 * @param {string} table
 * @param {string} retention
 * @param {number} limit
 * @returns {any}
 */
function queryRequest(host, workspace_id, table, retention, limit) {
    const val5 = +limit;
    let ptr0, len0, ptr1, len1, ptr2, len2, ptr3, len3;
    try {
        ptr0 = passStringToWasm0(host, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        len0 = WASM_VECTOR_LEN;
        ptr1 = passStringToWasm0(workspace_id, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        len1 = WASM_VECTOR_LEN;
        ptr2 = passStringToWasm0(table, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        len2 = WASM_VECTOR_LEN;
        ptr3 = passStringToWasm0(retention, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        len3 = WASM_VECTOR_LEN;
    } catch (e) {
        if (ptr3) { wasm.__wbindgen_free(ptr3, len3 * 1, 1); }
        if (ptr2) { wasm.__wbindgen_free(ptr2, len2 * 1, 1); }
        if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 1, 1); }
        if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 1, 1); }
        throw e;
    }
    const ret = wasm.queryRequest(ptr0, len0, ptr1, len1, ptr2, len2, ptr3, len3, val5);
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return takeFromExternrefTable0(ret[0]);
}
exports.queryRequest = queryRequest;

/**
 * The query API URL of a workspace.
 * @param {string} host
 * @param {string} workspace_id
 * @returns {string}
 */
function queryUrl(host, workspace_id) {
    let deferred4_0;
    let deferred4_1;
    try {
        let ptr0, len0, ptr1, len1;
        try {
            ptr0 = passStringToWasm0(host, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            len0 = WASM_VECTOR_LEN;
            ptr1 = passStringToWasm0(workspace_id, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            len1 = WASM_VECTOR_LEN;
        } catch (e) {
            if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 1, 1); }
            if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 1, 1); }
            throw e;
        }
        const ret = wasm.queryUrl(ptr0, len0, ptr1, len1);
        var ptr3 = ret[0];
        var len3 = ret[1];
        if (ret[3]) {
            ptr3 = 0; len3 = 0;
            throw takeFromExternrefTable0(ret[2]);
        }
        deferred4_0 = ptr3;
        deferred4_1 = len3;
        return getStringFromWasm0(ptr3, len3);
    } finally {
        wasm.__wbindgen_free(deferred4_0, deferred4_1, 1);
    }
}
exports.queryUrl = queryUrl;

/**
 * `{x5t, x5tS256}`: base64url SHA-1 and SHA-256 thumbprints of a certificate PEM.
 * @param {string} cert_pem
 * @returns {any}
 */
function thumbprints(cert_pem) {
    const ptr0 = passStringToWasm0(cert_pem, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
    const len0 = WASM_VECTOR_LEN;
    const ret = wasm.thumbprints(ptr0, len0);
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return takeFromExternrefTable0(ret[0]);
}
exports.thumbprints = thumbprints;

/**
 * `{url, payload}` of the Entra ID token request.
 * @param {string} authority_host
 * @param {string} tenant_id
 * @param {string} client_id
 * @param {string} scope
 * @param {string} client_assertion
 * @returns {any}
 */
function tokenRequest(authority_host, tenant_id, client_id, scope, client_assertion) {
    let ptr0, len0, ptr1, len1, ptr2, len2, ptr3, len3, ptr4, len4;
    try {
        ptr0 = passStringToWasm0(authority_host, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        len0 = WASM_VECTOR_LEN;
        ptr1 = passStringToWasm0(tenant_id, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        len1 = WASM_VECTOR_LEN;
        ptr2 = passStringToWasm0(client_id, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        len2 = WASM_VECTOR_LEN;
        ptr3 = passStringToWasm0(scope, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        len3 = WASM_VECTOR_LEN;
        ptr4 = passStringToWasm0(client_assertion, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        len4 = WASM_VECTOR_LEN;
    } catch (e) {
        if (ptr4) { wasm.__wbindgen_free(ptr4, len4 * 1, 1); }
        if (ptr3) { wasm.__wbindgen_free(ptr3, len3 * 1, 1); }
        if (ptr2) { wasm.__wbindgen_free(ptr2, len2 * 1, 1); }
        if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 1, 1); }
        if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 1, 1); }
        throw e;
    }
    const ret = wasm.tokenRequest(ptr0, len0, ptr1, len1, ptr2, len2, ptr3, len3, ptr4, len4);
    if (ret[2]) {
        throw takeFromExternrefTable0(ret[1]);
    }
    return takeFromExternrefTable0(ret[0]);
}
exports.tokenRequest = tokenRequest;

/**
 * Executes `unreachable` on purpose, so that tests can check that a trapped instance is
 * replaced (the Rust code itself never panics: `panic = "abort"` would trap the same way).
 */
function trapForTests() {
    wasm.trapForTests();
}
exports.trapForTests = trapForTests;

/**
 * A random version-4 UUID from the platform's cryptographic random source.
 * @returns {string}
 */
function uuidV4() {
    let deferred1_0;
    let deferred1_1;
    try {
        const ret = wasm.uuidV4();
        deferred1_0 = ret[0];
        deferred1_1 = ret[1];
        return getStringFromWasm0(ret[0], ret[1]);
    } finally {
        wasm.__wbindgen_free(deferred1_0, deferred1_1, 1);
    }
}
exports.uuidV4 = uuidV4;

/**
 * The module's linear memory, for reading an [`Output`]'s text in place.
 * @returns {any}
 */
function wasmMemory() {
    const ret = wasm.wasmMemory();
    return ret;
}
exports.wasmMemory = wasmMemory;
function __wbg_get_imports() {
    const import0 = {
        __proto__: null,
        __wbg_Error_208446807d0d1e30: function(arg0, arg1) {
            const ret = Error(getStringFromWasm0(arg0, arg1));
            return ret;
        },
        __wbg_String_8564e559799eccda: function(arg0, arg1) {
            const ret = String(arg1);
            const ptr1 = passStringToWasm0(ret, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            const len1 = WASM_VECTOR_LEN;
            getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
            getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
        },
        __wbg___wbindgen_memory_17a1178bc3328ea3: function() {
            const ret = wasm.memory;
            return ret;
        },
        __wbg___wbindgen_string_get_7ce8eee7fd327545: function(arg0, arg1) {
            const obj = arg1;
            const ret = typeof(obj) === 'string' ? obj : undefined;
            var ptr1 = isLikeNone(ret) ? 0 : passStringToWasm0(ret, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            var len1 = WASM_VECTOR_LEN;
            getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 1, len1, true);
            getDataViewMemory0().setInt32((arg0 >>> 0) + 4 * 0, ptr1, true);
        },
        __wbg___wbindgen_throw_4c88d8bf264fd984: function(arg0, arg1) {
            throw new Error(getStringFromWasm0(arg0, arg1));
        },
        __wbg_getRandomValues_8b6f1f663e6f188d: function() { return handleError(function (arg0, arg1) {
            globalThis.crypto.getRandomValues(getArrayU8FromWasm0(arg0, arg1));
        }, arguments); },
        __wbg_new_37eb45aaf5eeb820: function() {
            const ret = new Array();
            return ret;
        },
        __wbg_new_cd4348290afae586: function() {
            const ret = new Object();
            return ret;
        },
        __wbg_set_d2d33b52458e984a: function(arg0, arg1, arg2) {
            arg0[arg1 >>> 0] = arg2;
        },
        __wbg_set_e4b9a833d288759a: function(arg0, arg1, arg2) {
            arg0[arg1] = arg2;
        },
        __wbindgen_generic_0000000000000001: function(arg0) {
            // Cast intrinsic for `F64 -> Externref`.
            const ret = arg0;
            return ret;
        },
        __wbindgen_generic_0000000000000002: function(arg0, arg1) {
            // Cast intrinsic for `Ref(String) -> Externref`.
            const ret = getStringFromWasm0(arg0, arg1);
            return ret;
        },
        __wbindgen_generic_0000000000000003: function(arg0) {
            // Cast intrinsic for `U64 -> Externref`.
            const ret = BigInt.asUintN(64, arg0);
            return ret;
        },
        __wbindgen_init_externref_table: function() {
            const table = wasm.__wbindgen_externrefs;
            table.set(0, undefined);
            table.set(1024, undefined);
            table.set(1025, null);
            table.set(1026, true);
            table.set(1027, false);
        },
    };
    return {
        __proto__: null,
        "./sentinel_elastic_wasm_bg.js": import0,
    };
}

const BulkJobFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(ptr => wasm.__wbg_bulkjob_free(ptr, 1));
const BulkResultJobFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(ptr => wasm.__wbg_bulkresultjob_free(ptr, 1));
const DocumentsJobFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(ptr => wasm.__wbg_documentsjob_free(ptr, 1));
const InputFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(ptr => wasm.__wbg_input_free(ptr, 1));
const OutputFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(ptr => wasm.__wbg_output_free(ptr, 1));
const RowsJobFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(ptr => wasm.__wbg_rowsjob_free(ptr, 1));
const SigningKeyFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(ptr => wasm.__wbg_signingkey_free(ptr, 1));

function addToExternrefTable0(obj) {
    const idx = wasm.__externref_table_alloc();
    wasm.__wbindgen_externrefs.set(idx, obj);
    return idx;
}

function _assertClass(instance, klass) {
    if (!(instance instanceof klass)) {
        throw new Error(`expected instance of ${klass.name}`);
    }
}

function getArrayJsValueFromWasm0(ptr, len) {
    ptr = ptr >>> 0;
    const mem = getDataViewMemory0();
    const result = [];
    for (let i = ptr; i < ptr + 4 * len; i += 4) {
        result.push(wasm.__wbindgen_externrefs.get(mem.getUint32(i, true)));
    }
    wasm.__externref_drop_slice(ptr, len);
    return result;
}

function getArrayU32FromWasm0(ptr, len) {
    ptr = ptr >>> 0;
    return getUint32ArrayMemory0().subarray(ptr / 4, ptr / 4 + len);
}

function getArrayU8FromWasm0(ptr, len) {
    ptr = ptr >>> 0;
    return getUint8ArrayMemory0().subarray(ptr / 1, ptr / 1 + len);
}

let cachedDataViewMemory0 = null;
function getDataViewMemory0() {
    if (cachedDataViewMemory0 === null || cachedDataViewMemory0.buffer.detached === true || (cachedDataViewMemory0.buffer.detached === undefined && cachedDataViewMemory0.buffer !== wasm.memory.buffer)) {
        cachedDataViewMemory0 = new DataView(wasm.memory.buffer);
    }
    return cachedDataViewMemory0;
}

function getStringFromWasm0(ptr, len) {
    ptr = ptr >>> 0;
    return decodeText(getUint8ArrayMemory0().subarray(ptr, ptr + len));
}

let cachedUint32ArrayMemory0 = null;
function getUint32ArrayMemory0() {
    if (cachedUint32ArrayMemory0 === null || cachedUint32ArrayMemory0.byteLength === 0) {
        cachedUint32ArrayMemory0 = new Uint32Array(wasm.memory.buffer);
    }
    return cachedUint32ArrayMemory0;
}

let cachedUint8ArrayMemory0 = null;
function getUint8ArrayMemory0() {
    if (cachedUint8ArrayMemory0 === null || cachedUint8ArrayMemory0.byteLength === 0) {
        cachedUint8ArrayMemory0 = new Uint8Array(wasm.memory.buffer);
    }
    return cachedUint8ArrayMemory0;
}

function handleError(f, args) {
    try {
        return f.apply(this, args);
    } catch (e) {
        const idx = addToExternrefTable0(e);
        wasm.__wbindgen_exn_store(idx);
    }
}

function isLikeNone(x) {
    return x === undefined || x === null;
}

function passArray8ToWasm0(arg, malloc) {
    const ptr = malloc(arg.length * 1, 1) >>> 0;
    getUint8ArrayMemory0().set(arg, ptr / 1);
    WASM_VECTOR_LEN = arg.length;
    return ptr;
}

function passArrayJsValueToWasm0(array, malloc) {
    const ptr = malloc(array.length * 4, 4) >>> 0;
    for (let i = 0; i < array.length; i++) {
        const add = addToExternrefTable0(array[i]);
        getDataViewMemory0().setUint32(ptr + 4 * i, add, true);
    }
    WASM_VECTOR_LEN = array.length;
    return ptr;
}

function passStringToWasm0(arg, malloc, realloc) {
    if (realloc === undefined) {
        const buf = cachedTextEncoder.encode(arg);
        const ptr = malloc(buf.length, 1) >>> 0;
        getUint8ArrayMemory0().subarray(ptr, ptr + buf.length).set(buf);
        WASM_VECTOR_LEN = buf.length;
        return ptr;
    }

    let len = arg.length;
    let ptr = malloc(len, 1) >>> 0;

    const mem = getUint8ArrayMemory0();

    let offset = 0;

    for (; offset < len; offset++) {
        const code = arg.charCodeAt(offset);
        if (code > 0x7F) break;
        mem[ptr + offset] = code;
    }
    if (offset !== len) {
        if (offset !== 0) {
            arg = arg.slice(offset);
        }
        ptr = realloc(ptr, len, len = offset + arg.length * 3, 1) >>> 0;
        const view = getUint8ArrayMemory0().subarray(ptr + offset, ptr + len);
        const ret = cachedTextEncoder.encodeInto(arg, view);

        offset += ret.written;
        ptr = realloc(ptr, len, offset, 1) >>> 0;
    }

    WASM_VECTOR_LEN = offset;
    return ptr;
}

function takeFromExternrefTable0(idx) {
    const value = wasm.__wbindgen_externrefs.get(idx);
    wasm.__externref_table_dealloc(idx);
    return value;
}

let cachedTextDecoder = new TextDecoder('utf-8', { ignoreBOM: true });
cachedTextDecoder.decode();
function decodeText(bytes) {
    return cachedTextDecoder.decode(bytes);
}

const cachedTextEncoder = new TextEncoder();

if (!('encodeInto' in cachedTextEncoder)) {
    cachedTextEncoder.encodeInto = function (arg, view) {
        const buf = cachedTextEncoder.encode(arg);
        view.set(buf);
        return {
            read: arg.length,
            written: buf.length
        };
    };
}

let WASM_VECTOR_LEN = 0;

const wasmPath = `${__dirname}/sentinel_elastic_wasm_bg.wasm`;
const wasmBytes = require('fs').readFileSync(wasmPath);
const wasmModule = new WebAssembly.Module(wasmBytes);
let wasmInstance = new WebAssembly.Instance(wasmModule, __wbg_get_imports());
let wasm = wasmInstance.exports;
wasm.__wbindgen_start();
