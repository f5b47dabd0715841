module.exports = function (RED) {
    'use strict';
    const core = require('./lib/core');

    const ALGORITHMS = ['RS256', 'PS256'];
    const KEY_CACHE_SIZE = 8;

    // Signs the client assertion (a JWT) that Entra ID accepts instead of a client secret.
    // Settings win; the message fills what the settings leave empty.
    function SentinelAssertion(config) {
        RED.nodes.createNode(this, config);
        const node = this;
        const tenant = RED.nodes.getNode(config.tenant);
        const creds = (tenant && tenant.credentials) || {};
        const algorithm = config.algorithm || core.DEFAULTS.algorithm;
        const lifetime = config.lifetime === undefined || config.lifetime === '' ? core.DEFAULTS.lifetime : Number(config.lifetime);
        const keyCache = new Map(); // PEM from the message -> parsed key, newest last
        let setupError = null;
        let configKey = null;
        let configThumbprints = null;

        try {
            if (config.tenant && !tenant) {
                throw new Error(RED._('sentinel-assertion.errors.no-tenant'));
            }
            if (!ALGORITHMS.includes(algorithm)) {
                throw new Error(RED._('sentinel-assertion.errors.algorithm', { algorithm: String(algorithm) }));
            }
            if (!Number.isInteger(lifetime) || lifetime <= 0) {
                throw new Error(RED._('sentinel-assertion.errors.lifetime'));
            }
            if (creds.privateKeyPem) {
                configKey = core.parseKey(creds.privateKeyPem);
            }
            if (creds.certificatePem) {
                configThumbprints = core.thumbprints(creds.certificatePem);
            }
        } catch (err) {
            setupError = err;
            node.error(err);
            node.status({ fill: 'red', shape: 'ring', text: RED._('sentinel-assertion.status.settings') });
        }

        function keyFrom(pem) {
            if (typeof pem !== 'string' || pem === '') {
                throw new Error(RED._('sentinel-assertion.errors.no-key'));
            }
            let key = keyCache.get(pem);
            if (!key) {
                key = core.parseKey(pem);
                keyCache.set(pem, key);
                if (keyCache.size > KEY_CACHE_SIZE) {
                    keyCache.delete(keyCache.keys().next().value);
                }
            }
            return key;
        }

        node.on('input', (msg, send, done) => {
            try {
                if (setupError) {
                    throw setupError;
                }
                const oauth = msg.oauth || {};
                const certs = msg.certs || {};
                const clientId = (tenant && tenant.clientId) || oauth.clientId;
                const tenantId = (tenant && tenant.tenantId) || oauth.tenantId;
                const key = configKey || keyFrom(certs.privateKeyPem);
                const thumbprints = configThumbprints ||
                    (certs.certificatePem ? core.thumbprints(certs.certificatePem) : null);
                const kid = creds.kid || certs.kid || (thumbprints && thumbprints.x5t) || undefined;
                const { assertion, claims } = core.createAssertion(key, {
                    clientId,
                    tenantId,
                    authorityHost: (tenant && tenant.authorityHost) || undefined,
                    algorithm,
                    kid,
                    x5t: thumbprints ? thumbprints.x5t : kid,
                    x5tS256: thumbprints ? thumbprints.x5tS256 : undefined,
                    lifetime
                });
                msg.payload = claims;
                msg.client_assertion = assertion;
                node.status({ fill: 'green', shape: 'dot', text: RED._('sentinel-assertion.status.signed', { algorithm }) });
                send(msg);
                done();
            } catch (err) {
                node.status({ fill: 'red', shape: 'ring', text: RED._('sentinel-assertion.status.failed') });
                done(err);
            }
        });

        node.on('close', () => {
            keyCache.clear();
            node.status({});
        });
    }

    RED.nodes.registerType('sentinel-assertion', SentinelAssertion);
};
