'use strict';
const { describe, it, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const { helper, load, recorder, next, flow } = require('./support');

const rowsNode = load('sentinel-rows');

const response = {
    tables: [{
        name: 'PrimaryResult',
        columns: [{ name: 'SystemAlertId', type: 'string' }, { name: 'Entities', type: 'string' }, { name: 'AlertIds', type: 'string' }],
        rows: [
            ['a1', '[{"Type":"host"}]', ''],
            ['a2', '{not json}', '["x"]']
        ]
    }]
};
const empty = { tables: [{ name: 'PrimaryResult', columns: [{ name: 'SystemAlertId', type: 'string' }], rows: [] }] };

// A value nested `n` levels deep, built without recursion (too deep for JSON.stringify).
function deepValue(n) {
    let v = 1;
    for (let i = 0; i < n; i++) v = [v];
    return v;
}

describe('sentinel-rows node', () => {
    before((t, done) => { helper.startServer(done); });
    after((t, done) => { helper.stopServer(done); });
    afterEach(() => helper.unload());

    async function start() {
        await helper.load(rowsNode, flow({ type: 'sentinel-rows' }));
        const n1 = helper.getNode('n1');
        return { n1, out: helper.getNode('out'), caught: helper.getNode('caught'), completed: helper.getNode('completed'), rec: recorder([n1]) };
    }

    it('should turn a query response into row objects and parse the JSON fields', async () => {
        const { n1, out } = await start();
        const got = next(out, 'input');
        n1.receive({ payload: response, topic: 't' });
        const msg = await got;
        assert.deepEqual(msg.payload, [
            { SystemAlertId: 'a1', Entities: [{ Type: 'host' }], AlertIds: '' },
            { SystemAlertId: 'a2', Entities: '{not json}', AlertIds: ['x'] }
        ]);
        assert.deepEqual(Object.keys(msg), ['payload', 'topic', '_msgid']);
    });

    it('should accept the response as a string or a Buffer', async () => {
        const { n1, out } = await start();
        for (const payload of [JSON.stringify(response), Buffer.from(JSON.stringify(response))]) {
            const got = next(out, 'input');
            n1.receive({ payload });
            assert.equal((await got).payload.length, 2);
        }
    });

    it('should warn about a field that looks like JSON but is not', async () => {
        const { n1 } = await start();
        const warned = next(n1, 'call:warn');
        n1.receive({ payload: response });
        const call = await warned;
        assert.match(String(call.args[0]), /1.*Entities/);
    });

    it('should show the row count in the status', async () => {
        const { n1 } = await start();
        const status = next(n1, 'call:status', (c) => c.args[0].text);
        n1.receive({ payload: response });
        assert.deepEqual((await status).args[0], { fill: 'green', shape: 'dot', text: '2 rows' });
    });

    it('should send no message when there are no rows, and still complete', async () => {
        const { n1, out, completed } = await start();
        let sent = false;
        out.on('input', () => { sent = true; });
        const status = next(n1, 'call:status', (c) => c.args[0].text);
        const done = next(completed, 'input');
        n1.receive({ payload: empty });
        assert.equal((await status).args[0].text, 'no rows');
        await done;
        await new Promise((r) => setImmediate(r));
        assert.equal(sent, false);
    });

    it('should report a response of the wrong shape to a Catch node', async () => {
        const { n1, caught } = await start();
        const got = next(caught, 'input');
        const status = next(n1, 'call:status', (c) => c.args[0].fill === 'red');
        n1.receive({ payload: { nope: true } });
        const msg = await got;
        assert.equal(msg.error.source.id, 'n1');
        assert.ok(msg.error.message.length > 0);
        assert.equal((await status).args[0].text, 'failed');
    });

    it('should report a response that is not JSON to a Catch node', async () => {
        const { n1, caught } = await start();
        const got = next(caught, 'input');
        n1.receive({ payload: '<html>gateway timeout</html>' });
        assert.equal((await got).error.source.id, 'n1');
    });

    it('should pass a cell nested too deep for JSON.stringify through as it is, as the original did', async () => {
        // No Catch or Complete node: Node-RED would clone the message for them, which its deep clone cannot.
        await helper.load(rowsNode, flow({ type: 'sentinel-rows' }).slice(0, 2));
        const n1 = helper.getNode('n1');
        const out = helper.getNode('out');
        const cell = deepValue(100000);
        const got = next(out, 'input');
        const payload = { tables: [{ columns: [{ name: 'SystemAlertId' }, { name: 'Entities' }, { name: 'X' }], rows: [['a', '[1]', cell], 7, ['b', cell, 2]] }] };
        n1.receive({ payload });
        const msg = await got;
        assert.equal(msg.payload.length, 2);
        assert.deepEqual(Object.keys(msg.payload[0]), ['SystemAlertId', 'Entities', 'X']);
        assert.deepEqual(msg.payload[0].Entities, [1]);
        assert.equal(msg.payload[0].X, cell);
        assert.equal(msg.payload[1].Entities, cell);
        assert.equal(msg.payload[1].X, 2);
    });
});
