module.exports = function (RED) {
    'use strict';
    const core = require('./lib/core');

    // Builds the Log Analytics query request for one Sentinel table.
    function SentinelQuery(config) {
        RED.nodes.createNode(this, config);
        const node = this;
        const tenant = RED.nodes.getNode(config.tenant);
        const table = (config.table || '').trim() || 'SecurityAlert';
        const lookback = (config.lookback || '').trim();
        const limit = config.limit === undefined || config.limit === '' ? 1000 : Number(config.limit);
        const host = (tenant && tenant.queryHost) || undefined;
        let setupError = null;

        try {
            if (config.tenant && !tenant) {
                throw new Error(RED._('sentinel-query.errors.no-tenant'));
            }
            // The settings go through the same checks as a real request, so a bad table,
            // lookback, limit or host shows at deploy rather than on the first message.
            core.queryRequest({
                accessToken: 'settings-check',
                workspaceId: '00000000-0000-0000-0000-000000000000',
                table,
                retention: lookback || '12h',
                limit,
                host
            });
        } catch (err) {
            setupError = err;
            node.error(err);
            node.status({ fill: 'red', shape: 'ring', text: RED._('sentinel-query.status.settings') });
        }

        node.on('input', (msg, send, done) => {
            try {
                if (setupError) {
                    throw setupError;
                }
                const token = msg.payload && msg.payload.access_token;
                if (!token) {
                    throw new Error(RED._('sentinel-query.errors.no-token'));
                }
                const request = core.queryRequest({
                    accessToken: token,
                    workspaceId: (tenant && tenant.workspaceId) || (msg.oauth && msg.oauth.workspaceId),
                    table,
                    retention: lookback || msg.retention || '12h',
                    limit,
                    host
                });
                msg.method = request.method;
                msg.url = request.url;
                msg.headers = request.headers;
                msg.payload = request.payload;
                node.status({ fill: 'green', shape: 'dot', text: RED._('sentinel-query.status.query', { table }) });
                send(msg);
                done();
            } catch (err) {
                node.status({ fill: 'red', shape: 'ring', text: RED._('sentinel-query.status.failed') });
                done(err);
            }
        });

        node.on('close', () => node.status({}));
    }

    RED.nodes.registerType('sentinel-query', SentinelQuery);
};
