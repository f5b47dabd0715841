module.exports = function (RED) {
    'use strict';
    const core = require('./lib/core');

    // One Elasticsearch cluster: where sentinel-bulk sends its documents.
    function SentinelElastic(config) {
        RED.nodes.createNode(this, config);
        this.name = config.name;
        this.host = (config.host || '').trim();
        this.index = (config.index || '').trim() || core.DEFAULTS.index;
        // A cleared pipeline setting sends no pipeline parameter (the ingest pipeline need not exist);
        // a flow saved before the setting existed gets the default.
        this.pipeline = config.pipeline === undefined || config.pipeline === null ? core.DEFAULTS.pipeline : String(config.pipeline).trim();
    }

    RED.nodes.registerType('sentinel-elastic', SentinelElastic, {
        credentials: {
            apiKey: { type: 'password' }
        }
    });
};
