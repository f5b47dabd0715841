module.exports = function (RED) {
    'use strict';
    const core = require('./lib/core');

    // Drops the 409 "document already exists" items from a _bulk response and summarises the rest.
    function SentinelBulkResult(config) {
        RED.nodes.createNode(this, config);
        const node = this;

        node.on('input', (msg, send, done) => {
            const failed = (err) => {
                node.status({ fill: 'red', shape: 'ring', text: RED._('sentinel-bulk-result.status.failed') });
                done(err);
            };
            // Read in slices of items, so that other flows keep running meanwhile.
            core.bulkResultAsync(msg.payload).then((result) => {
                try {
                    const refused = core.wholeRequestError(result.payload);
                    if (refused) {
                        throw new Error(refused);
                    }
                    msg.bulkSummary = result.bulkSummary;
                    msg.conflicts = result.conflicts;
                    msg.failures = result.failures;
                    msg.payload = result.payload;
                    const { created, conflicts, failures } = result.bulkSummary;
                    const counts = { created, conflicts, failures };
                    if (failures > 0) {
                        node.status({ fill: 'yellow', shape: 'dot', text: RED._('sentinel-bulk-result.status.failures', counts) });
                    } else {
                        node.status({ fill: 'green', shape: 'dot', text: RED._('sentinel-bulk-result.status.summary', counts) });
                    }
                    send(msg);
                    done();
                } catch (err) {
                    failed(err);
                }
            }, failed);
        });

        node.on('close', () => node.status({}));
    }

    RED.nodes.registerType('sentinel-bulk-result', SentinelBulkResult);
};
