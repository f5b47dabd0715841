module.exports = function (RED) {
    'use strict';
    const core = require('./lib/core');
    const azureErrors = require('./lib/azure-errors');

    // Builds the Elasticsearch _bulk request (NDJSON, one create action per document).
    function SentinelBulk(config) {
        RED.nodes.createNode(this, config);
        const node = this;
        const elastic = RED.nodes.getNode(config.elastic);
        const tenant = RED.nodes.getNode(config.tenant);
        const apiKey = elastic && elastic.credentials ? elastic.credentials.apiKey : undefined;
        const ecs = config.ecs === true;
        let setupError = null;

        if ((config.elastic && !elastic) || (config.tenant && !tenant)) {
            setupError = new Error(RED._('sentinel-bulk.errors.no-config'));
            node.error(setupError);
            node.status({ fill: 'red', shape: 'ring', text: RED._('sentinel-bulk.status.settings') });
        }

        node.on('input', (msg, send, done) => {
            const payload = msg.payload;
            const failed = (err) => {
                node.status({ fill: 'red', shape: 'ring', text: RED._('sentinel-bulk.status.failed') });
                // Wired straight after the query (the fused path): a query API error names its fix.
                done((!Array.isArray(payload) && azureErrors.fromQueryResponse(payload)) || err);
            };
            const finish = ({ request, documents, warnings }) => {
                warnings.forEach((warning) => node.warn(warning));
                if (!request) {
                    node.status({ fill: 'grey', shape: 'ring', text: RED._('sentinel-bulk.status.empty') });
                    done();
                    return;
                }
                msg.elastic = msg.elastic || {};
                msg.payload = request.payload;
                msg.headers = request.headers;
                msg.method = request.method;
                msg.url = request.url;
                node.status({ fill: 'green', shape: 'dot', text: RED._('sentinel-bulk.status.docs', { count: documents }) });
                send(msg);
                done();
            };
            try {
                if (setupError) {
                    throw setupError;
                }
                const fromMsg = msg.elastic || {};
                const options = {
                    index: elastic ? elastic.index : undefined,
                    pipeline: elastic ? elastic.pipeline : undefined,
                    host: (elastic && elastic.host) || fromMsg.host,
                    apiKey: apiKey || fromMsg.apiKey,
                    tenantName: (tenant && tenant.tenantName) || (msg.oauth && msg.oauth.tenantName) || undefined,
                    ecs
                };
                // Processed in slices, so that other flows keep running meanwhile.
                core.bulkAsync(msg.payload, options).then((result) => {
                    try {
                        finish(result);
                    } catch (err) {
                        failed(err);
                    }
                }, failed);
            } catch (err) {
                failed(err);
            }
        });

        node.on('close', () => node.status({}));
    }

    RED.nodes.registerType('sentinel-bulk', SentinelBulk);
};
