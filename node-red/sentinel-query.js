module.exports = function (RED) {
    'use strict';
    const core = require('./lib/core');
    const azureErrors = require('./lib/azure-errors');

    // Builds the Log Analytics query request for one Sentinel table.
    function SentinelQuery(config) {
        RED.nodes.createNode(this, config);
        const node = this;
        const tenant = RED.nodes.getNode(config.tenant);
        const lookback = (config.lookback || '').trim();
        let settings = null;
        let setupError = null;

        try {
            if (config.tenant && !tenant) {
                throw new Error(RED._('sentinel-query.errors.no-tenant'));
            }
            // A bad table, lookback, limit or host shows at deploy rather than on the first
            // message; settings left empty take the defaults.
            settings = core.checkQuerySettings({
                host: (tenant && tenant.queryHost) || undefined,
                table: (config.table || '').trim(),
                retention: lookback,
                limit: config.limit
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
                const { host, table, limit } = settings;
                const request = core.queryRequest({
                    accessToken: msg.payload && msg.payload.access_token,
                    workspaceId: (tenant && tenant.workspaceId) || (msg.oauth && msg.oauth.workspaceId),
                    table,
                    retention: lookback || msg.retention,
                    limit,
                    host
                });
                msg.method = request.method;
                msg.url = request.url;
                msg.headers = request.headers;
                msg.payload = request.payload;
                node.status({ fill: 'green', shape: 'dot', text: RED._('sentinel-query.status.query', { table: settings.table }) });
                send(msg);
                done();
            } catch (err) {
                node.status({ fill: 'red', shape: 'ring', text: RED._('sentinel-query.status.failed') });
                // An Entra ID error instead of a token: say what to change in the app registration.
                done((!setupError && azureErrors.fromTokenResponse(msg.payload, msg.statusCode, err)) || err);
            }
        });

        node.on('close', () => node.status({}));
    }

    RED.nodes.registerType('sentinel-query', SentinelQuery);
};
