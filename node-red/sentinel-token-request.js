module.exports = function (RED) {
    'use strict';
    const core = require('./lib/core');

    // Builds the client-credentials token request (RFC 7523 client assertion) for an http request node.
    function SentinelTokenRequest(config) {
        RED.nodes.createNode(this, config);
        const node = this;
        const tenant = RED.nodes.getNode(config.tenant);
        let setupError = null;

        if (config.tenant && !tenant) {
            setupError = new Error(RED._('sentinel-token-request.errors.no-tenant'));
            node.error(setupError);
            node.status({ fill: 'red', shape: 'ring', text: RED._('sentinel-token-request.status.settings') });
        }

        node.on('input', (msg, send, done) => {
            try {
                if (setupError) {
                    throw setupError;
                }
                if (!msg.client_assertion) {
                    throw new Error(RED._('sentinel-token-request.errors.no-assertion'));
                }
                const oauth = msg.oauth || {};
                const request = core.tokenRequest({
                    clientId: (tenant && tenant.clientId) || oauth.clientId,
                    tenantId: (tenant && tenant.tenantId) || oauth.tenantId,
                    scope: (tenant && tenant.scope) || oauth.scope,
                    clientAssertion: msg.client_assertion,
                    authorityHost: (tenant && tenant.authorityHost) || undefined
                });
                msg.method = request.method;
                msg.url = request.url;
                msg.headers = request.headers;
                msg.payload = request.payload;
                node.status({ fill: 'green', shape: 'dot', text: RED._('sentinel-token-request.status.request') });
                send(msg);
                done();
            } catch (err) {
                node.status({ fill: 'red', shape: 'ring', text: RED._('sentinel-token-request.status.failed') });
                done(err);
            }
        });

        node.on('close', () => node.status({}));
    }

    RED.nodes.registerType('sentinel-token-request', SentinelTokenRequest);
};
