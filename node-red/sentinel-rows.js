module.exports = function (RED) {
    'use strict';
    const core = require('./lib/core');
    const azureErrors = require('./lib/azure-errors');

    // Turns a Log Analytics query response into an array of row objects.
    function SentinelRows(config) {
        RED.nodes.createNode(this, config);
        const node = this;

        node.on('input', (msg, send, done) => {
            const payload = msg.payload;
            const failed = (err) => {
                node.status({ fill: 'red', shape: 'ring', text: RED._('sentinel-rows.status.failed') });
                // A query API error instead of a result: say which role, scope or host to fix.
                done(azureErrors.fromQueryResponse(payload, msg.statusCode, msg.headers) || err);
            };
            // Converted in slices of rows, so that other flows keep running meanwhile.
            core.rowsAsync(msg.payload).then(({ rows, warnings }) => {
                try {
                    warnings.forEach((warning) => node.warn(warning));
                    if (!rows) {
                        node.status({ fill: 'grey', shape: 'ring', text: RED._('sentinel-rows.status.empty') });
                        done();
                        return;
                    }
                    msg.payload = rows;
                    node.status({ fill: 'green', shape: 'dot', text: RED._('sentinel-rows.status.rows', { count: rows.length }) });
                    send(msg);
                    done();
                } catch (err) {
                    failed(err);
                }
            }, failed);
        });

        node.on('close', () => node.status({}));
    }

    RED.nodes.registerType('sentinel-rows', SentinelRows);
};
